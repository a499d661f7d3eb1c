"""prepare: annotations/*.jsonl (+ ThaiNER transfer, + the challenge set) → split DocBins + a data report."""

from __future__ import annotations

from pathlib import Path

import typer

from thaievents.data.docbin import write_split_docbins
from thaievents.data.io import write_json
from thaievents.data.split import assign_splits
from thaievents.data.stats import data_report
from thaievents.data.thainer import sentence_to_doc, transfer_sentences
from thaievents.data.validate import validate_files
from thaievents.nlp.text import blank_thai, read_word_list


def prepare(
    annotations: Path = typer.Option(..., help="Folder of gold *.jsonl files."),
    challenge: Path = typer.Option(
        ..., help="Folder of the challenge set's gold *.jsonl (never trained on)."
    ),
    dictionary: Path = typer.Option(..., help="Tokenizer domain dictionary."),
    output: Path = typer.Option(..., help="Folder for {train,dev,test,challenge}.spacy."),
    report: Path = typer.Option(..., help="Data report (JSON)."),
    seed: int = typer.Option(..., help="Seed of the article-id hash that assigns splits."),
    dev_ratio: float = typer.Option(..., help="Share of articles in dev."),
    test_ratio: float = typer.Option(..., help="Share of articles in test."),
    max_bad_span_fraction: float = typer.Option(..., help="Fail when more than this share of spans is bad."),
    thainer_dir: Path = typer.Option(..., help="ThaiNER 1.3 folder, for transfer."),
    thainer_fraction: float = typer.Option(
        ..., help="Share of ThaiNER train sentences added to train (0: none)."
    ),
) -> None:
    """Validate gold annotations, split them by article and write DocBins."""
    files = sorted(annotations.glob("*.jsonl"))
    if not files:
        typer.echo(f"{annotations}: no *.jsonl annotation files", err=True)
        raise typer.Exit(1)
    nlp = blank_thai(read_word_list(dictionary))
    result = validate_files(files, nlp.make_doc)
    held_out = validate_files(sorted(challenge.glob("*.jsonl")), nlp.make_doc)
    for problem in [*result.problems, *held_out.problems]:
        typer.echo(str(problem), err=True)
    if result.failed(max_bad_span_fraction) or held_out.failed(max_bad_span_fraction):
        typer.echo(
            f"prepare failed: {len(result.record_errors) + len(held_out.record_errors)} record error(s), "
            f"{result.bad_spans + held_out.bad_spans}/{result.total_spans + held_out.total_spans} "
            "bad span(s) "
            f"(allowed fraction {max_bad_span_fraction})",
            err=True,
        )
        raise typer.Exit(1)
    leaked = sorted({p.article_id for p in held_out.paragraphs} & {p.article_id for p in result.paragraphs})
    if leaked:
        typer.echo(f"prepare failed: challenge articles also in gold: {', '.join(leaked[:10])}", err=True)
        raise typer.Exit(1)
    splits = assign_splits(result.paragraphs, seed, dev_ratio, test_ratio)
    empty = [name for name, paragraphs in splits.items() if not paragraphs]
    if empty:
        typer.echo(f"prepare failed: split(s) {empty} are empty; add articles or change the ratios", err=True)
        raise typer.Exit(1)
    extra = []
    if thainer_fraction > 0 and not (thainer_dir / "train.jsonl").exists():
        typer.echo(
            f"warning: {thainer_dir}/train.jsonl not found: training without ThaiNER transfer", err=True
        )
    elif thainer_fraction > 0:
        extra = [
            sentence_to_doc(nlp.vocab, s) for s in transfer_sentences(thainer_dir, thainer_fraction, seed)
        ]
    splits["challenge"] = sorted(held_out.paragraphs, key=lambda p: (p.article_id, p.paragraph))
    write_split_docbins(nlp, splits, output, extra)
    problems = [str(p) for p in [*result.problems, *held_out.problems]]
    summary = data_report(splits, result.total_spans, result.bad_spans, problems)
    write_json(report, {**summary, "thainer_transfer_sentences": len(extra)})
    sizes = ", ".join(f"{name}={len(p)}" for name, p in splits.items())
    typer.echo(
        f"prepared {len(result.paragraphs)} paragraphs from {len(files)} file(s): {sizes}; "
        f"{len(extra)} ThaiNER sentences added to train"
    )
