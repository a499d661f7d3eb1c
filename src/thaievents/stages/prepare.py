"""prepare: annotations/*.jsonl (+ optional ThaiNER transfer) → validated, split DocBins + a data report."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import typer
from spacy.language import Language

from thaievents.docbin import paragraph_to_doc, write_docs
from thaievents.io import atomic_path, write_json
from thaievents.schema import Paragraph
from thaievents.split import SPLITS, split_of
from thaievents.stats import count
from thaievents.text import blank_thai, read_word_list
from thaievents.thainer import Sentence, read_split, sentence_to_doc
from thaievents.validate import ValidationResult, validate_files


def split_paragraphs(
    paragraphs: list[Paragraph], seed: int, dev_ratio: float, test_ratio: float
) -> dict[str, list[Paragraph]]:
    """Group paragraphs into splits by article, ordered by id for stable output."""
    splits: dict[str, list[Paragraph]] = defaultdict(list)
    for paragraph in sorted(paragraphs, key=lambda p: (p.article_id, p.paragraph, p.id)):
        splits[split_of(paragraph.article_id, seed, dev_ratio, test_ratio)].append(paragraph)
    return {name: splits.get(name, []) for name in SPLITS}


def data_report(result: ValidationResult, splits: dict[str, list[Paragraph]]) -> dict:
    """Counts per label and category for each split, plus what validation found."""
    return {
        "splits": {name: count(paragraphs).to_json() for name, paragraphs in splits.items()},
        "spans": {"total": result.total_spans, "bad": result.bad_spans},
        "problems": [str(p) for p in result.problems],
    }


def transfer_sentences(thainer_dir: Path, fraction: float, seed: int) -> list[Sentence]:
    """A stable share of ThaiNER train sentences (by a hash of their id) to add to train."""
    if fraction <= 0:
        return []
    if fraction >= 1:
        return read_split(thainer_dir, "train")
    return [
        s
        for s in read_split(thainer_dir, "train")
        if split_of(f"thainer-{s.id}", seed, 0.0, fraction) == "test"
    ]


def write_splits(
    nlp: Language, splits: dict[str, list[Paragraph]], output: Path, extra_train: list[Sentence]
) -> None:
    """Write all split DocBins into ``output`` at once (temp dir + rename).

    ThaiNER sentences join train only (entities, no event categories: the event
    classifier treats their categories as missing); dev and test stay in-domain.
    """
    with atomic_path(output, directory=True) as temp:
        for name, paragraphs in splits.items():
            docs = [paragraph_to_doc(nlp, p) for p in paragraphs]
            if name == "train":
                docs += [sentence_to_doc(nlp.vocab, s) for s in extra_train]
            write_docs(docs, temp / f"{name}.spacy")


def prepare(
    annotations: Path = typer.Option(Path("annotations"), help="Folder of gold *.jsonl files."),
    dictionary: Path = typer.Option(Path("configs/domain_words.txt"), help="Tokenizer domain dictionary."),
    output: Path = typer.Option(Path("training/corpus"), help="Folder for {train,dev,test}.spacy."),
    report: Path = typer.Option(Path("training/data_report.json"), help="Data report (JSON)."),
    seed: int = typer.Option(0, help="Seed of the article-id hash that assigns splits."),
    dev_ratio: float = typer.Option(0.15, help="Share of articles in dev."),
    test_ratio: float = typer.Option(0.15, help="Share of articles in test."),
    max_bad_span_fraction: float = typer.Option(0.0, help="Fail when more than this share of spans is bad."),
    thainer_dir: Path = typer.Option(
        Path("../shared/data/thainer"), help="ThaiNER 1.3 folder, for transfer."
    ),
    thainer_fraction: float = typer.Option(
        0.0, help="Share of ThaiNER train sentences added to train (0: none)."
    ),
) -> None:
    """Validate gold annotations, split them by article and write DocBins."""
    files = sorted(annotations.glob("*.jsonl"))
    if not files:
        typer.echo(f"{annotations}: no *.jsonl annotation files", err=True)
        raise typer.Exit(1)
    nlp = blank_thai(read_word_list(dictionary))
    result = validate_files(files, nlp.make_doc)
    for problem in result.problems:
        typer.echo(str(problem), err=True)
    if result.failed(max_bad_span_fraction):
        typer.echo(
            f"prepare failed: {len(result.record_errors)} record error(s), "
            f"{result.bad_spans}/{result.total_spans} bad span(s) (allowed fraction {max_bad_span_fraction})",
            err=True,
        )
        raise typer.Exit(1)
    splits = split_paragraphs(result.paragraphs, seed, dev_ratio, test_ratio)
    empty = [name for name, paragraphs in splits.items() if not paragraphs]
    if empty:
        typer.echo(f"prepare failed: split(s) {empty} are empty; add articles or change the ratios", err=True)
        raise typer.Exit(1)
    extra: list[Sentence] = []
    if thainer_fraction > 0 and not (thainer_dir / "train.jsonl").exists():
        typer.echo(
            f"warning: {thainer_dir}/train.jsonl not found: training without ThaiNER transfer", err=True
        )
    elif thainer_fraction > 0:
        extra = transfer_sentences(thainer_dir, thainer_fraction, seed)
    write_splits(nlp, splits, output, extra)
    write_json(report, {**data_report(result, splits), "thainer_transfer_sentences": len(extra)})
    sizes = ", ".join(f"{name}={len(p)}" for name, p in splits.items())
    typer.echo(
        f"prepared {len(result.paragraphs)} paragraphs from {len(files)} file(s): {sizes}; "
        f"{len(extra)} ThaiNER sentences added to train"
    )
