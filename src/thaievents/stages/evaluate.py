"""evaluate: models + dev/test DocBins → metrics.json, tuned thresholds, plots, errors.jsonl.

Event thresholds are tuned per category on dev and applied unchanged to test.
Article-level events are the union of an article's paragraph events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import spacy
import typer
from spacy.language import Language
from spacy.tokens import Doc

from thaievents.baseline import baseline_scores, gold_matrix
from thaievents.docbin import read_docs
from thaievents.io import atomic_path, write_json, write_jsonl
from thaievents.metrics import (
    apply_thresholds,
    precision_recall_curve,
    score_entities,
    score_events,
    tune_thresholds,
    union_by_group,
)
from thaievents.schema import ENTITY_LABELS, EVENT_LABELS
from thaievents.tracking import flatten, mlflow_run


@dataclass
class EventResult:
    """One model's event scores on test, with its dev-tuned thresholds and 0/1 predictions."""

    thresholds: dict[str, float]
    scores: np.ndarray
    predicted: np.ndarray


def entities_of(doc: Doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def spacy_event_scores(docs: Sequence[Doc]) -> np.ndarray:
    return np.array([[doc.cats.get(label, 0.0) for label in EVENT_LABELS] for doc in docs])


def run_events(dev_gold: np.ndarray, dev_scores: np.ndarray, test_scores: np.ndarray) -> EventResult:
    """Tune thresholds on dev, apply them to test."""
    thresholds = tune_thresholds(dev_gold, dev_scores)
    return EventResult(thresholds, test_scores, apply_thresholds(test_scores, thresholds))


def event_metrics(gold: np.ndarray, result: EventResult, article_ids: Sequence[str]) -> dict:
    """Paragraph-level and article-level event scores."""
    _, gold_articles = union_by_group(gold, article_ids)
    _, predicted_articles = union_by_group(result.predicted, article_ids)
    return {
        "paragraph": score_events(gold, result.predicted),
        "article": score_events(gold_articles, predicted_articles),
    }


def entity_errors(gold: Sequence[Doc], predicted: Sequence[Doc]) -> list[dict]:
    """Every false-positive and false-negative entity of the spaCy model."""
    errors = []
    for gold_doc, predicted_doc in zip(gold, predicted, strict=True):
        gold_set, predicted_set = set(entities_of(gold_doc)), set(entities_of(predicted_doc))
        for kind, spans in (
            ("false_negative", gold_set - predicted_set),
            ("false_positive", predicted_set - gold_set),
        ):
            for start, end, label in sorted(spans):
                errors.append(
                    {
                        "task": "ner",
                        "model": "spacy",
                        "error": kind,
                        "id": gold_doc.user_data.get("id"),
                        "label": label,
                        "start": start,
                        "end": end,
                        "span": gold_doc.text[start:end],
                        "text": gold_doc.text,
                    }
                )
    return errors


def event_errors(model: str, gold_docs: Sequence[Doc], gold: np.ndarray, result: EventResult) -> list[dict]:
    """Every false-positive and false-negative category of one event model."""
    errors = []
    for row, doc in enumerate(gold_docs):
        for column, label in enumerate(EVENT_LABELS):
            if gold[row, column] != result.predicted[row, column]:
                errors.append(
                    {
                        "task": "events",
                        "model": model,
                        "error": "false_negative" if gold[row, column] else "false_positive",
                        "id": doc.user_data.get("id"),
                        "label": label,
                        "score": round(float(result.scores[row, column]), 4),
                        "text": doc.text,
                    }
                )
    return errors


def write_plots(folder: Path, gold: np.ndarray, result: EventResult) -> None:
    """Per-category precision-recall points and confusion rows, as DVC plot files."""
    with atomic_path(folder, directory=True) as temp:
        for column, label in enumerate(EVENT_LABELS):
            write_json(
                temp / "pr" / f"{label}.json",
                precision_recall_curve(gold[:, column], result.scores[:, column]),
            )
            rows = [
                {"actual": "yes" if g else "no", "predicted": "yes" if p else "no"}
                for g, p in zip(gold[:, column], result.predicted[:, column], strict=True)
            ]
            write_json(temp / "confusion" / f"{label}.json", rows)


def evaluate_models(
    nlp: Language, baseline, dev: list[Doc], test: list[Doc]
) -> tuple[dict, dict, list[dict], np.ndarray, EventResult]:
    """Score both models; return metrics, thresholds, errors and the spaCy test results."""
    predicted_dev = list(nlp.pipe((d.text for d in dev), batch_size=64))
    predicted_test = list(nlp.pipe((d.text for d in test), batch_size=64))
    dev_gold, test_gold = gold_matrix(dev), gold_matrix(test)
    article_ids = [str(d.user_data.get("article_id")) for d in test]
    spacy_events = run_events(dev_gold, spacy_event_scores(predicted_dev), spacy_event_scores(predicted_test))
    baseline_events = run_events(dev_gold, baseline_scores(baseline, dev), baseline_scores(baseline, test))
    metrics = {
        "spacy": {
            "ner": score_entities(
                [entities_of(d) for d in test], [entities_of(d) for d in predicted_test], ENTITY_LABELS
            ),
            "events": event_metrics(test_gold, spacy_events, article_ids),
        },
        "baseline": {"events": event_metrics(test_gold, baseline_events, article_ids)},
        "test_size": {"paragraphs": len(test), "articles": len(set(article_ids))},
    }
    thresholds = {"spacy": spacy_events.thresholds, "baseline": baseline_events.thresholds}
    errors = (
        entity_errors(test, predicted_test)
        + event_errors("spacy", test, test_gold, spacy_events)
        + event_errors("baseline", test, test_gold, baseline_events)
    )
    return metrics, thresholds, errors, test_gold, spacy_events


def thainer_test_scores(nlp: Language, thainer_dir: Path) -> dict | None:
    """Out-of-domain NER: the model on ThaiNER 1.3 test (real news), our tokenizer on raw text.

    None when the ThaiNER folder is absent (it is read in place, never shipped).
    """
    from thaievents.stages.bench import char_spans
    from thaievents.thainer import entity_spans, read_split

    if not (thainer_dir / "test.jsonl").exists():
        return None
    test = read_split(thainer_dir, "test")
    gold = [char_spans(s.tokens, list(entity_spans(s.tokens, s.tags))) for s in test]
    docs = nlp.pipe(("".join(s.tokens) for s in test), batch_size=64, disable=["textcat_multilabel"])
    return score_entities(gold, [entities_of(doc) for doc in docs], ENTITY_LABELS)


def evaluate(
    model: Path = typer.Option(Path("training/model/model-best"), help="Trained spaCy pipeline."),
    baseline: Path = typer.Option(Path("training/baseline.joblib"), help="Trained event baseline."),
    corpus: Path = typer.Option(Path("training/corpus"), help="Folder with dev.spacy and test.spacy."),
    metrics_out: Path = typer.Option(Path("evaluate/metrics.json"), help="DVC metrics file."),
    thresholds_out: Path = typer.Option(Path("evaluate/thresholds.json"), help="Dev-tuned event thresholds."),
    plots_out: Path = typer.Option(Path("evaluate/plots"), help="Folder of DVC plot files."),
    errors_out: Path = typer.Option(Path("evaluate/errors.jsonl"), help="False positives and negatives."),
    thainer_dir: Path = typer.Option(
        Path("../shared/data/thainer"), help="ThaiNER folder (out-of-domain NER)."
    ),
) -> None:
    """Score the spaCy pipeline and the baseline on test, thresholds tuned on dev."""
    nlp = spacy.load(model)
    dev, test = read_docs(corpus / "dev.spacy", nlp.vocab), read_docs(corpus / "test.spacy", nlp.vocab)
    with mlflow_run(
        "evaluate", {"model": model, "baseline": baseline}, [corpus / "dev.spacy", corpus / "test.spacy"]
    ):
        import mlflow

        metrics, thresholds, errors, test_gold, spacy_events = evaluate_models(
            nlp, joblib.load(baseline), dev, test
        )
        out_of_domain = thainer_test_scores(nlp, thainer_dir)
        if out_of_domain is not None:
            metrics["spacy"]["ner_thainer_test"] = out_of_domain
        write_plots(plots_out, test_gold, spacy_events)
        write_json(metrics_out, metrics)
        write_json(thresholds_out, thresholds)
        write_jsonl(errors_out, errors)
        mlflow.log_metrics(flatten(metrics))
        for path in (metrics_out, thresholds_out, errors_out):
            mlflow.log_artifact(str(path))
        mlflow.log_artifacts(str(plots_out), artifact_path="plots")
    ner = metrics["spacy"]["ner"]["micro"]["f"]
    spacy_macro = metrics["spacy"]["events"]["paragraph"]["macro"]["f"]
    baseline_macro = metrics["baseline"]["events"]["paragraph"]["macro"]["f"]
    typer.echo(
        f"NER micro-F1 {ner:.3f}; event macro-F1 spaCy {spacy_macro:.3f}, baseline {baseline_macro:.3f}"
    )
    if out_of_domain is not None:
        typer.echo(f"out-of-domain NER micro-F1 on ThaiNER test: {out_of_domain['micro']['f']:.3f}")
