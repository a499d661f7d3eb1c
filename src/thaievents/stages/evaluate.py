"""evaluate: the trained pipeline + dev/test/challenge DocBins → metrics.json, plots, errors.jsonl.

The shipped event component carries its own (cross-validated) thresholds; the textcat
peer's are tuned on dev. Test and the challenge set are only read here.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from thaievents.data.docbin import read_docs
from thaievents.data.io import atomic_path, write_json, write_jsonl, write_text
from thaievents.data.schema import EVENT_LABELS
from thaievents.data.thainer import gold_entities, read_split
from thaievents.evaluation.metrics import (
    apply_thresholds,
    precision_recall_curve,
    score_entities,
    tune_thresholds,
)
from thaievents.evaluation.records import evaluate_records
from thaievents.evaluation.report import ParagraphErrors, render_report
from thaievents.evaluation.scoring import (
    confusion_counts_per_category,
    entities_of,
    entity_errors,
    event_errors,
    paragraph_errors,
    predict,
    score_set,
)
from thaievents.models.events import gold_matrix
from thaievents.nlp.events import event_thresholds
from thaievents.nlp.inference import load_for_inference
from thaievents.records.crosswalk import record_coding
from thaievents.tracking import flatten, log_file, log_metrics, stage_run


def evaluate(
    model: Path = typer.Option(..., help="Trained spaCy pipeline (with its event component)."),
    corpus: Path = typer.Option(..., help="Folder with dev, test and challenge .spacy files."),
    selection: Path = typer.Option(..., help="The event model's cross-validation report (from train)."),
    metrics_out: Path = typer.Option(..., help="DVC metrics file."),
    thresholds_out: Path = typer.Option(..., help="Every event model's thresholds (JSON)."),
    plots_out: Path = typer.Option(..., help="Folder of DVC plot files."),
    errors_out: Path = typer.Option(..., help="False positives and negatives (JSONL)."),
    report_out: Path = typer.Option(..., help="The error report a person reads (HTML)."),
    thainer_dir: Path = typer.Option(..., help="ThaiNER folder (out-of-domain NER); skipped when absent."),
    records: Path = typer.Option(..., help="Gold event records (annotations/records/*.jsonl)."),
    seed: int = typer.Option(..., help="Bootstrap seed."),
) -> None:
    """Score the pipeline and its event peers on test and the challenge set, with intervals."""
    nlp = load_for_inference(model)
    chosen = json.loads(selection.read_text(encoding="utf-8"))
    tfidf_thresholds = next(
        t["thresholds"] for t in chosen["candidates"] if t["candidate"] == chosen["chosen"]
    )
    data = {name: corpus / f"{name}.spacy" for name in ("dev", "test", "challenge")}
    with stage_run("evaluate", {"model": model}, list(data.values())) as parent:
        dev = predict(nlp, read_docs(data["dev"], nlp.vocab))
        thresholds = {
            "shipped": event_thresholds(nlp),
            "tfidf": tfidf_thresholds,
            "textcat": tune_thresholds(gold_matrix([d.cats for d in dev.docs]), dev.scores["textcat"]),
        }
        metrics: dict = {"shipped": {k: chosen[k] for k in ("chosen", "textcat_weight", "thresholds_from")}}
        errors: list[dict] = []
        report_errors: list[ParagraphErrors] = []
        held_out = {}
        for split in ("test", "challenge"):
            docs = read_docs(data[split], nlp.vocab) if data[split].exists() else []
            if not docs:
                continue
            held_out[split] = predict(nlp, docs)
            metrics[split] = score_set(held_out[split], thresholds, seed)
            errors += entity_errors(held_out[split], split) + event_errors(
                held_out[split], thresholds["shipped"], split
            )
            report_errors += paragraph_errors(held_out[split], thresholds["shipped"], split)
        if (thainer_dir / "test.jsonl").exists():
            sentences = read_split(thainer_dir, "test")
            thainer_docs = nlp.pipe(
                ("".join(s.tokens) for s in sentences),
                batch_size=64,
                disable=[n for n in nlp.pipe_names if n not in ("tok2vec", "ner")],
            )
            metrics["thainer_test"] = {
                "ner": score_entities(gold_entities(sentences), [entities_of(d) for d in thainer_docs])
            }
        if records.is_dir():
            splits = {"dev": dev, **held_out}
            crosswalk, linker = record_coding(nlp)
            metrics["records"] = {
                "shipped_linker": linker,
                **evaluate_records(
                    {name: (p.docs, p.predicted) for name, p in splits.items()},
                    records,
                    crosswalk,
                    thresholds["shipped"],
                    seed,
                ),
            }
        test = held_out["test"]
        gold = gold_matrix([d.cats for d in test.docs])
        predicted = apply_thresholds(test.scores["shipped"], thresholds["shipped"])
        curves = {
            label: precision_recall_curve(gold[:, column], test.scores["shipped"][:, column])
            for column, label in enumerate(EVENT_LABELS)
        }
        with atomic_path(plots_out, directory=True) as temp:
            for column, label in enumerate(EVENT_LABELS):
                write_json(temp / "pr" / f"{label}.json", curves[label])
                rows = [
                    {"actual": "yes" if g else "no", "predicted": "yes" if p else "no"}
                    for g, p in zip(gold[:, column], predicted[:, column], strict=True)
                ]
                write_json(temp / "confusion" / f"{label}.json", rows)
        write_json(metrics_out, metrics)
        write_json(thresholds_out, thresholds)
        write_jsonl(errors_out, errors)
        confusion = confusion_counts_per_category(gold, predicted)
        write_text(report_out, render_report(metrics, curves, confusion, report_errors))
        log_metrics(flatten(metrics))
        log_metrics(headline(metrics), parent=parent)
        for path in (metrics_out, thresholds_out, errors_out, report_out):
            log_file(path)
    for line in summary_lines(metrics):
        typer.echo(line)


def headline(metrics: dict) -> dict[str, float]:
    """The figures a person compares runs on: NER micro-F1 and event macro-F1 per set."""
    figures = {}
    for split in ("test", "challenge"):
        if split in metrics:
            figures[f"{split}.ner_f1"] = metrics[split]["ner"]["micro"]["f"]
            for name, events in metrics[split]["events"].items():
                figures[f"{split}.events_{name}_f1"] = events["paragraph"]["macro"]["f"]
    if "thainer_test" in metrics:
        figures["thainer_test.ner_f1"] = metrics["thainer_test"]["ner"]["micro"]["f"]
    return figures


def interval(figure: dict) -> str:
    return f"{figure['f']:.3f} [{figure['ci95_low']:.3f}, {figure['ci95_high']:.3f}]"


def summary_lines(metrics: dict) -> list[str]:
    lines = []
    for split in ("test", "challenge"):
        if split not in metrics:
            continue
        ner = metrics[split]["ner"]["micro_f1_ci"]
        events = ", ".join(
            f"{name} {interval(e['paragraph']['macro_f1_ci'])}"
            for name, e in metrics[split]["events"].items()
        )
        lines.append(f"{split}: NER micro-F1 {interval(ner)}; events macro-F1 {events}")
    if "thainer_test" in metrics:
        lines.append(f"ThaiNER test NER micro-F1 {metrics['thainer_test']['ner']['micro']['f']:.3f}")
    return lines
