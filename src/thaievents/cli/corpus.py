"""Corpus tools: markup → corpus/ + annotations/ (build), validation (check), counts (stats)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from thaievents.data.io import read_jsonl, write_jsonl
from thaievents.data.markup import Article, MarkupError, duplicate_ids, parse_markup, read_markup_dir
from thaievents.data.schema import Paragraph
from thaievents.data.stats import count, floor_violations, realism, target_misses
from thaievents.data.validate import Problem, check_spans, validate_files
from thaievents.nlp.text import blank_thai, read_word_list

app = typer.Typer(help="Build, check and count the annotated corpus.", no_args_is_help=True)

DICTIONARY_OPTION = typer.Option(..., help="Tokenizer domain dictionary.")


def check_articles(articles: list[Article], dictionary: list[str]) -> list[Problem]:
    """Token-alignment and span checks for parsed markup articles, at each paragraph's line."""
    nlp = blank_thai(dictionary)
    problems: list[Problem] = []
    for article in articles:
        for paragraph, line in zip(article.paragraphs, article.paragraph_lines, strict=True):
            raw = [[s.start, s.end, s.label] for s in paragraph.entities]
            _, messages = check_spans(paragraph.text, raw, nlp(paragraph.text))
            problems.extend(
                Problem(article.source, line, f"{paragraph.id}: {m}", is_span=True) for m in messages
            )
    return problems


CHALLENGE_FILE = "challenge.jsonl"


@app.command()
def build(
    markup: Path = typer.Option(..., help="Folder of *.txt markup files."),
    articles_out: Path = typer.Option(..., help="Raw articles, one per line."),
    gold_out: Path = typer.Option(..., help="Gold paragraphs (doccano JSONL)."),
    challenge: Path = typer.Option(..., help=f"Challenge-set folder: its *.txt markup → {CHALLENGE_FILE}."),
    dictionary: Path = DICTIONARY_OPTION,
) -> None:
    """Convert markup sources into corpus/ articles and annotations/ gold (and the challenge set)."""
    words = read_word_list(dictionary)
    try:
        articles = read_markup_dir(markup)
        held_out = read_markup_dir(challenge) if challenge.is_dir() else []
    except MarkupError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    problems = [str(p) for p in check_articles(articles + held_out, words)]
    problems += duplicate_ids(articles + held_out)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(1)
    write_jsonl(articles_out, (a.to_json() for a in articles))
    write_jsonl(gold_out, (p.to_json() for a in articles for p in a.paragraphs))
    paragraphs = sum(len(a.paragraphs) for a in articles)
    typer.echo(f"wrote {len(articles)} articles to {articles_out} and {paragraphs} paragraphs to {gold_out}")
    if held_out:
        write_jsonl(challenge / CHALLENGE_FILE, (p.to_json() for a in held_out for p in a.paragraphs))
        count_held = sum(len(a.paragraphs) for a in held_out)
        typer.echo(
            f"wrote {len(held_out)} challenge articles, {count_held} paragraphs, "
            f"to {challenge / CHALLENGE_FILE}"
        )


@app.command()
def check(
    files: list[Path] = typer.Argument(..., help="Markup (*.txt) or gold (*.jsonl) files."),
    dictionary: Path = DICTIONARY_OPTION,
) -> None:
    """Validate markup or gold files; print every problem as file:line: message.

    Article and paragraph ids must be unique across all the files given.
    """
    words = read_word_list(dictionary)
    problems: list[str] = []
    gold = [path for path in files if path.suffix == ".jsonl"]
    problems += [str(p) for p in validate_files(gold, blank_thai(words)).problems]
    articles: list[Article] = []
    for path in (p for p in files if p.suffix != ".jsonl"):
        try:
            parsed = parse_markup(path.read_text(encoding="utf-8"), str(path))
        except MarkupError as error:  # already file:line: message
            problems.append(str(error))
            continue
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{path}:1: cannot read: {error}")
            continue
        articles += parsed
        problems += [str(p) for p in check_articles(parsed, words)]
    problems += duplicate_ids(articles)
    for problem in problems:
        typer.echo(problem)
    typer.echo(f"{len(problems)} problem(s) in {len(files)} file(s)")
    if problems:
        raise typer.Exit(1)


def load_gold(folder: Path) -> list[Paragraph]:
    """All gold paragraphs in a folder's *.jsonl files, without token checks."""
    return validate_files(sorted(Path(folder).glob("*.jsonl")), None).paragraphs


@app.command()
def add(
    sources: list[Path] = typer.Argument(
        ..., help="Articles: .jsonl (title, date, outlet, url, text or paragraphs), .txt, .html."
    ),
    imported: Path = typer.Option(..., help="The imported articles (JSONL, appended to; never rewritten)."),
    articles: Path = typer.Option(..., help="The annotated articles: their text is refused too."),
) -> None:
    """Import raw articles: normalise, drop bylines, share lines and view counters, give stable ids.

    The same text under another id (or already annotated) is refused with a message.
    Nothing is written when a source cannot be read.
    """
    from thaievents.data.importer import ImportProblem, merge_imports, read_sources

    try:
        new = read_sources(sources)
        existing = read_jsonl(imported) if imported.exists() else []
        known = read_jsonl(articles) if articles.exists() else []
    except (ImportProblem, ValueError, OSError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    merged, refused = merge_imports(existing, known, new)
    for message in refused:
        typer.echo(message, err=True)
    for article in new:
        for line in article.dropped:
            typer.echo(f"{article.source}: dropped {line[:60]!r}", err=True)
    added = len(merged) - len(existing)
    if added:
        write_jsonl(imported, merged)
    paragraphs = sum(len(r["paragraphs"]) for r in merged[len(existing) :])
    typer.echo(f"added {added} article(s), {paragraphs} paragraph(s) to {imported}; {len(refused)} refused")


@app.command()
def stats(
    annotations: Path = typer.Option(..., help="Folder of gold *.jsonl files."),
    targets: Path = typer.Option(..., help="Realism targets (YAML)."),
    cues: Path = typer.Option(..., help="Event cue words (YAML), for the near-miss figure."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    floors: bool = typer.Option(
        False, help="Exit non-zero when a balance floor or realism target is missed."
    ),
) -> None:
    """Print counts, and the realism figures beside their targets (real Thai news)."""
    import yaml

    from thaievents.models.pipeline import read_cue_words

    paragraphs = load_gold(annotations)
    counts = count(paragraphs)
    figures = realism(paragraphs, read_cue_words(cues))
    wanted = yaml.safe_load(targets.read_text(encoding="utf-8"))
    if as_json:
        typer.echo(json.dumps({**counts.to_json(), "realism": figures}, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"articles     {counts.articles}\nparagraphs   {counts.paragraphs}")
        share = max(counts.paragraphs, 1)
        typer.echo(f"no category  {counts.no_category} ({counts.no_category / share:.1%})")
        typer.echo(f"2+ category  {counts.multi_category} ({counts.multi_category / share:.1%})")
        for label, value in {**counts.categories, **counts.entities}.items():
            typer.echo(f"{label:<18} {value}")
        typer.echo("\nrealism (per paragraph)    value   target")
        for name, target in wanted.items():
            figure = float(figures.get(name, 0.0))
            mark = "ok " if figure >= target else "LOW"
            typer.echo(f"{mark} {name:<24} {figure:>7.3g}  {target:>7g}")
    missed = floor_violations(counts) + target_misses(figures, wanted)
    for line in missed:
        typer.echo(f"below floor: {line}", err=True)
    if floors and missed:
        raise typer.Exit(1)


@app.command("compare-passes")
def compare_passes(
    first: Path = typer.Option(..., help="First pass: folder of markup files."),
    second: Path = typer.Option(Path("annotations/second_pass"), help="Second, independent pass (markup)."),
    disagreements_out: Path = typer.Option(None, help="Write the disagreements here (JSONL)."),
) -> None:
    """Entity F1 per label and Cohen's kappa per category between two annotation passes."""
    from thaievents.evaluation.agreement import compare, support

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
