"""Corpus tools: markup → corpus/ + annotations/ (build), validation (check), counts (stats)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from thaievents.io import write_jsonl
from thaievents.markup import Article, MarkupError, parse_markup, read_markup_dir
from thaievents.schema import Paragraph
from thaievents.stats import count, floor_violations
from thaievents.text import blank_thai, read_word_list
from thaievents.validate import Problem, check_spans, validate_files

app = typer.Typer(help="Build, check and count the annotated corpus.", no_args_is_help=True)

DICTIONARY_OPTION = typer.Option(Path("configs/domain_words.txt"), help="Tokenizer domain dictionary.")


def check_articles(articles: list[Article], dictionary: list[str], source: str) -> list[Problem]:
    """Token-alignment and span checks for parsed markup articles."""
    nlp = blank_thai(dictionary)
    problems = []
    for article in articles:
        for paragraph in article.paragraphs:
            raw = [[s.start, s.end, s.label] for s in paragraph.entities]
            _, messages = check_spans(paragraph.text, raw, nlp(paragraph.text))
            problems.extend(Problem(source, 0, f"{paragraph.id}: {m}", is_span=True) for m in messages)
    return problems


@app.command()
def build(
    markup: Path = typer.Option(Path("annotations/markup"), help="Folder of *.txt markup files."),
    articles_out: Path = typer.Option(Path("corpus/articles.jsonl"), help="Raw articles, one per line."),
    gold_out: Path = typer.Option(Path("annotations/gold.jsonl"), help="Gold paragraphs (doccano JSONL)."),
    dictionary: Path = DICTIONARY_OPTION,
) -> None:
    """Convert markup sources into corpus/ articles and annotations/ gold paragraphs."""
    try:
        articles = read_markup_dir(markup)
    except MarkupError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    problems = check_articles(articles, read_word_list(dictionary), str(markup))
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise typer.Exit(1)
    write_jsonl(articles_out, (a.to_json() for a in articles))
    write_jsonl(gold_out, (p.to_json() for a in articles for p in a.paragraphs))
    paragraphs = sum(len(a.paragraphs) for a in articles)
    typer.echo(f"wrote {len(articles)} articles to {articles_out} and {paragraphs} paragraphs to {gold_out}")


@app.command()
def check(
    files: list[Path] = typer.Argument(..., help="Markup (*.txt) or gold (*.jsonl) files."),
    dictionary: Path = DICTIONARY_OPTION,
) -> None:
    """Validate markup or gold files; print every problem as file:line: message."""
    words = read_word_list(dictionary)
    problems: list[Problem] = []
    for path in files:
        if path.suffix == ".jsonl":
            problems.extend(validate_files([path], blank_thai(words)).problems)
            continue
        try:
            articles = parse_markup(path.read_text(encoding="utf-8"), str(path))
        except MarkupError as error:
            problems.append(Problem(str(path), 0, str(error)))
            continue
        problems.extend(check_articles(articles, words, str(path)))
    for problem in problems:
        typer.echo(str(problem))
    typer.echo(f"{len(problems)} problem(s) in {len(files)} file(s)")
    if problems:
        raise typer.Exit(1)


def load_gold(folder: Path) -> list[Paragraph]:
    """All gold paragraphs in a folder's *.jsonl files, without token checks."""
    return validate_files(sorted(Path(folder).glob("*.jsonl")), None).paragraphs


@app.command()
def stats(
    annotations: Path = typer.Option(Path("annotations"), help="Folder of gold *.jsonl files."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    floors: bool = typer.Option(False, help="Exit non-zero when a balance floor is missed."),
) -> None:
    """Print counts of articles, paragraphs, entities and event categories."""
    counts = count(load_gold(annotations))
    if as_json:
        typer.echo(json.dumps(counts.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(f"articles     {counts.articles}\nparagraphs   {counts.paragraphs}")
        share = max(counts.paragraphs, 1)
        typer.echo(f"no category  {counts.no_category} ({counts.no_category / share:.1%})")
        typer.echo(f"2+ category  {counts.multi_category} ({counts.multi_category / share:.1%})")
        for label, value in {**counts.categories, **counts.entities}.items():
            typer.echo(f"{label:<18} {value}")
    missed = floor_violations(counts)
    for line in missed:
        typer.echo(f"below floor: {line}", err=True)
    if floors and missed:
        raise typer.Exit(1)


@app.command()
def agreement(
    first: Path = typer.Option(Path("annotations/markup"), help="First pass: folder of markup files."),
    second: Path = typer.Option(Path("annotations/second_pass"), help="Second, independent pass (markup)."),
    disagreements_out: Path = typer.Option(None, help="Write the disagreements here (JSONL)."),
) -> None:
    """Entity F1 per label and Cohen's kappa per category between two annotation passes."""
    from thaievents.agreement import compare, support

    try:
        passes = [
            {p.id: p for a in read_markup_dir(folder) for p in a.paragraphs} for folder in (first, second)
        ]
    except MarkupError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    result = compare(*passes)
    if result.examples == 0:
        typer.echo("no example is annotated in both passes", err=True)
        raise typer.Exit(1)
    counts = support({k: v for k, v in passes[0].items() if k in passes[1]})
    typer.echo(f"examples in both passes: {result.examples}")
    typer.echo(f"entity micro-F1: {result.entity_micro_f1:.3f}")
    for label, value in result.entity_f1.items():
        typer.echo(f"  {label:<14} F1 {value:.3f}  (first-pass entities: {counts[label]})")
    for label, value in result.kappa.items():
        typer.echo(f"  {label:<18} kappa {value:.3f}")
    typer.echo(f"disagreements: {len(result.disagreements)} example(s)")
    if disagreements_out is not None:
        write_jsonl(disagreements_out, result.disagreements)
