"""`thaievents annotate`: push, next, pull and agreement against a doccano server."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import typer

from thaievents.annotate.client import Doccano, DoccanoError
from thaievents.annotate.convert import (
    META_ID,
    LabelScheme,
    corpus_paragraphs,
    example_meta,
    exported_to_record,
    is_annotated,
    label_differences,
    read_label_scheme,
)
from thaievents.data.io import read_jsonl, write_jsonl
from thaievents.data.schema import Paragraph

app = typer.Typer(
    help="The annotation loop with a doccano server (credentials from the environment).", no_args_is_help=True
)

URL = typer.Option("http://127.0.0.1:8000", envvar="DOCCANO_URL", help="doccano server URL.")
USERNAME = typer.Option(
    None, envvar="DOCCANO_USERNAME", help="doccano user (env DOCCANO_USERNAME).", show_default=False
)
PASSWORD_ENV = "DOCCANO_PASSWORD"
PASSWORD_STDIN = typer.Option(
    False,
    "--password-stdin",
    help=f"Read the password from the first line of standard input (else env {PASSWORD_ENV}). "
    "Never on the command line, where `ps` shows it to every user.",
)
PROJECT = typer.Option("thaievents", help="doccano project name.")
LABELS = typer.Option(Path("configs/labels.yaml"), help="Label scheme (names, colours, keys).")
CORPUS = typer.Option(..., help="Raw articles to annotate (`thaievents corpus add` writes them).")
ANNOTATIONS = typer.Option(..., help="Gold files: their paragraphs are never pushed.")


def gold_ids(folder: Path) -> set[str]:
    """Ids of every paragraph already gold in the folder's *.jsonl files."""
    return {str(r["id"]) for path in sorted(folder.glob("*.jsonl")) for r in read_jsonl(path)}


@app.callback()
def credentials(
    ctx: typer.Context, url: str = URL, username: str = USERNAME, password_stdin: bool = PASSWORD_STDIN
) -> None:
    """Keep the connection settings; each command logs in when it needs the server."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else os.environ.get(PASSWORD_ENV)
    ctx.obj = {"url": url, "username": username, "password": password}


def connect(ctx: typer.Context) -> Doccano:
    """Log in with the settings of the `annotate` group (they never reach a message)."""
    if not ctx.obj["username"] or not ctx.obj["password"]:
        raise DoccanoError(
            f"set DOCCANO_USERNAME and {PASSWORD_ENV} (or --username, and --password-stdin with the password "
            "on standard input, before the command)"
        )
    return Doccano(ctx.obj["url"], ctx.obj["username"], ctx.obj["password"])


def fail(error: Exception) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(1)


def ensure_project(doccano: Doccano, name: str, scheme: LabelScheme) -> dict:
    """Create the project and its labels, or reuse it if its labels match the scheme."""
    project = doccano.find_project(name) or doccano.create_project(
        name, "Thai scam-centre news: entities + events"
    )
    server = doccano.label_types(project["id"])
    if not server["spans"] and not server["categories"]:
        for label, style in scheme.entities.items():
            doccano.create_span_type(project["id"], label, style["color"], str(style["key"]))
        for label, style in scheme.events.items():
            doccano.create_category_type(project["id"], label, style["color"], str(style["key"]))
    elif problems := label_differences(scheme, server):
        raise DoccanoError(
            f"project {name!r} has another label set than configs/labels.yaml: " + "; ".join(problems)
        )
    return project


def pre_annotate(
    doccano: Doccano,
    project_id: int,
    examples: Sequence[tuple[int, Paragraph]],
    model: Path,
) -> int:
    """Attach the model's entities and categories as this user's suggestions (with scores)."""
    from thaievents.nlp.events import event_thresholds
    from thaievents.serve.load import load_pipeline

    nlp = load_pipeline(model)
    cuts = event_thresholds(nlp)
    types = doccano.label_types(project_id)
    count = 0
    for (example_id, _), doc in zip(examples, nlp.pipe(p.text for _, p in examples), strict=True):
        if doccano.spans(project_id, example_id) or doccano.categories(project_id, example_id):
            continue  # never overwrite what someone already marked
        for ent in doc.ents:
            doccano.add_span(
                project_id, example_id, ent.start_char, ent.end_char, types["spans"][ent.label_], 1.0
            )
        for label, score in doc.cats.items():
            if score >= cuts.get(label, 0.5):
                doccano.add_category(
                    project_id, example_id, types["categories"][label], round(float(score), 4)
                )
        count += 1
    return count


def push_paragraphs(doccano: Doccano, project: dict, paragraphs: Sequence[Paragraph]) -> tuple[list, int]:
    """Create paragraphs not on the server yet; return (example id, paragraph) pairs and the new count."""
    existing = {e["meta"].get(META_ID): e["id"] for e in doccano.examples(project["id"]) if e.get("meta")}
    pairs, created = [], 0
    for paragraph in paragraphs:
        if paragraph.id not in existing:
            existing[paragraph.id] = doccano.create_example(
                project["id"], paragraph.text, example_meta(paragraph)
            )["id"]
            created += 1
        pairs.append((existing[paragraph.id], paragraph))
    return pairs, created


@app.command()
def push(
    ctx: typer.Context,
    project: str = PROJECT,
    labels: Path = LABELS,
    corpus: Path = CORPUS,
    annotations: Path = ANNOTATIONS,
    limit: int = typer.Option(0, help="Push only the first N paragraphs (0: all)."),
    pre_annotate_model: Path = typer.Option(None, "--pre-annotate", help="Attach this model's predictions."),
) -> None:
    """Create or reuse the project and its labels; upload paragraphs that are not gold (idempotent)."""
    try:
        gold = gold_ids(annotations)
        paragraphs = [p for p in corpus_paragraphs(read_jsonl(corpus)) if p.id not in gold]
        paragraphs = paragraphs[:limit] if limit else paragraphs
        doccano = connect(ctx)
        found = ensure_project(doccano, project, read_label_scheme(labels))
        pairs, created = push_paragraphs(doccano, found, paragraphs)
        suggested = pre_annotate(doccano, found["id"], pairs, pre_annotate_model) if pre_annotate_model else 0
    except (DoccanoError, ValueError, FileNotFoundError) as error:
        raise fail(error) from error
    typer.echo(
        f"project {project!r}: {created} new, {len(pairs) - created} already there, {suggested} pre-annotated"
    )


@app.command("next")
def next_batch(
    ctx: typer.Context,
    model: Path = typer.Option(..., help="Trained spaCy pipeline that scores uncertainty."),
    k: int = typer.Option(20, "-k", help="How many paragraphs to push."),
    project: str = PROJECT,
    labels: Path = LABELS,
    corpus: Path = CORPUS,
    annotations: Path = ANNOTATIONS,
    suggest: bool = typer.Option(True, help="Pre-annotate the pushed paragraphs with the model."),
) -> None:
    """Push the K unannotated paragraphs the model is least sure of (events and entity margins)."""
    from thaievents.annotate.select import rank_uncertain
    from thaievents.nlp.events import event_thresholds
    from thaievents.serve.load import load_pipeline

    try:
        gold = gold_ids(annotations)
        doccano = connect(ctx)
        found = ensure_project(doccano, project, read_label_scheme(labels))
        on_server = {e["meta"].get(META_ID) for e in doccano.examples(found["id"]) if e.get("meta")}
        candidates = [p for p in corpus_paragraphs(read_jsonl(corpus)) if p.id not in gold | on_server]
        nlp = load_pipeline(model)
        ranked = rank_uncertain(nlp, [p.text for p in candidates], event_thresholds(nlp), k)
        chosen = [candidates[i] for i, _ in ranked]
        pairs, created = push_paragraphs(doccano, found, chosen)
        if suggest:
            pre_annotate(doccano, found["id"], pairs, model)
    except (DoccanoError, ValueError, FileNotFoundError) as error:
        raise fail(error) from error
    for (_, score), paragraph in zip(ranked, chosen, strict=True):
        typer.echo(f"{paragraph.id}\t{score:.3f}\t{paragraph.text[:60]}")
    typer.echo(f"pushed {created} of {len(candidates)} unannotated paragraphs")


def exported_paragraphs(records: Sequence[dict], only_done: bool) -> list[dict]:
    return [exported_to_record(r) for r in records if only_done or is_annotated(r)]


def dated_path(folder: Path, annotator: str, today: dt.date, prefix: str = "doccano") -> Path:
    """A new file name; an existing gold or pull file is never overwritten."""
    stem = f"{prefix}-{today.isoformat()}-{annotator}"
    for number in itertools.count(1):
        path = folder / (f"{stem}.jsonl" if number == 1 else f"{stem}-{number}.jsonl")
        if not path.exists():
            return path
    raise AssertionError("unreachable")


@app.command()
def pull(
    ctx: typer.Context,
    project: str = PROJECT,
    annotator: str = typer.Option(
        None, help="Whose annotations become gold (needed when several annotated)."
    ),
    only_done: bool = typer.Option(False, help="Only examples marked done (confirmed)."),
    output_dir: Path = typer.Option(
        ..., help="Folder for the new dated pull file (merged into gold by `merge`)."
    ),
    dictionary: Path = typer.Option(Path("configs/domain_words.txt"), help="Tokenizer domain dictionary."),
    max_bad_span_fraction: float = typer.Option(0.0, help="Fail above this share of bad spans."),
) -> None:
    """Fetch annotations, validate them like `prepare`, write a new dated file in annotations/."""
    from thaievents.data.validate import validate_lines
    from thaievents.nlp.text import blank_thai, read_word_list

    try:
        doccano = connect(ctx)
        exported = doccano.export(doccano.project(project)["id"], only_done)
        annotators = sorted(
            user for user, records in exported.items() if exported_paragraphs(records, only_done)
        )
        if annotator is None and len(annotators) != 1:
            raise DoccanoError(f"choose --annotator: annotations by {annotators or 'nobody'}")
        chosen = annotator or annotators[0]
        records = exported_paragraphs(exported.get(chosen, []), only_done)
        if not records:
            raise DoccanoError(
                f"{chosen!r} has no annotations in {project!r} "
                f"(annotators: {', '.join(annotators) or 'nobody'}); "
                "nothing written"
            )
    except (DoccanoError, ValueError) as error:
        raise fail(error) from error
    source = f"doccano:{project}/{chosen}"
    result = validate_lines(
        [json.dumps(r, ensure_ascii=False) for r in records], source, blank_thai(read_word_list(dictionary))
    )
    for problem in result.problems:
        typer.echo(str(problem), err=True)
    if result.failed(max_bad_span_fraction):
        typer.echo(f"pull failed: {len(result.problems)} problem(s); nothing written", err=True)
        raise typer.Exit(1)
    target = dated_path(output_dir, chosen, dt.date.today())
    write_jsonl(target, records)
    typer.echo(f"wrote {len(records)} paragraph(s) by {chosen} to {target}")


@app.command()
def merge(
    pulls: Path = typer.Option(..., help="Folder of pulled files (doccano-DATE-NAME.jsonl)."),
    annotations: Path = typer.Option(
        ..., help="Gold folder: agreed paragraphs go into a new dated file here."
    ),
    dictionary: Path = typer.Option(..., help="Tokenizer domain dictionary (for validation)."),
) -> None:
    """Merge pulls into gold: agreed paragraphs → a new dated gold file; disagreements → adjudication.

    An annotator's newest pull of a paragraph replaces their older ones; paragraphs already
    gold are left alone; two annotators who differ send the paragraph to
    ``PULLS/adjudication-DATE.jsonl``, never into training.
    """
    from thaievents.annotate.merge import Pull, merge_pulls, pull_order
    from thaievents.data.validate import validate_lines
    from thaievents.nlp.text import blank_thai, read_word_list

    found = []
    for path in sorted(pulls.glob("doccano-*.jsonl")):
        order = pull_order(path)
        if order is not None:
            found.append(Pull(order[0], order[1:], read_jsonl(path)))
    if not found:
        typer.echo(f"error: no pull files (doccano-DATE-NAME.jsonl) in {pulls}", err=True)
        raise typer.Exit(1)
    result = merge_pulls(found, gold_ids(annotations))
    lines = [json.dumps(r, ensure_ascii=False) for r in result.agreed]
    checked = validate_lines(lines, "merge", blank_thai(read_word_list(dictionary)))
    for problem in checked.problems:
        typer.echo(str(problem), err=True)
    if checked.problems:
        typer.echo("merge failed: agreed records do not validate; nothing written", err=True)
        raise typer.Exit(1)
    today = dt.date.today()
    if result.agreed:
        target = dated_path(annotations, "merge", today, prefix="gold")
        write_jsonl(target, result.agreed)
        typer.echo(f"wrote {len(result.agreed)} agreed paragraph(s) to {target}")
    if result.adjudication:
        target = dated_path(pulls, "adjudication", today, prefix="list")
        write_jsonl(target, result.adjudication)
        typer.echo(f"wrote {len(result.adjudication)} paragraph(s) to adjudicate to {target}")
    if result.already_gold:
        typer.echo(f"left {len(result.already_gold)} paragraph(s) that are gold already")


@app.command()
def agreement(
    ctx: typer.Context,
    project: str = PROJECT,
    only_done: bool = typer.Option(False, help="Only examples marked done."),
    disagreements_out: Path = typer.Option(None, help="Write disagreements here (JSONL)."),
) -> None:
    """Entity F1 per label and Cohen's kappa per category for each pair of annotators."""
    from thaievents.data.validate import validate_lines
    from thaievents.evaluation.agreement import compare

    try:
        doccano = connect(ctx)
        exported = doccano.export(doccano.project(project)["id"], only_done)
    except DoccanoError as error:
        raise fail(error) from error
    by_user: dict[str, dict[str, Paragraph]] = {}
    for user, records in exported.items():
        lines = [json.dumps(r, ensure_ascii=False) for r in exported_paragraphs(records, only_done)]
        by_user[user] = {p.id: p for p in validate_lines(lines, user, None).paragraphs}
    pairs = [
        (a, b) for a, b in itertools.combinations(sorted(by_user), 2) if by_user[a].keys() & by_user[b].keys()
    ]
    if not pairs:
        typer.echo("no example is annotated by two users", err=True)
        raise typer.Exit(1)
    report = []
    for first, second in pairs:
        result = compare(by_user[first], by_user[second])
        report.append({"annotators": [first, second], **result.to_json()})
        typer.echo(
            f"{first} vs {second}: {result.examples} shared example(s), entity micro-F1 "
            f"{result.entity_micro_f1:.3f}"
        )
        for label, value in result.entity_f1.items():
            typer.echo(f"  {label:<14} F1 {value:.3f}")
        for label, value in result.kappa.items():
            typer.echo(f"  {label:<18} kappa {value:.3f}")
    if disagreements_out is not None:
        write_jsonl(
            disagreements_out,
            [dict(d, annotators=r["annotators"]) for r in report for d in r["disagreements"]],
        )
    typer.echo(json.dumps([{k: v for k, v in r.items() if k != "disagreements"} for r in report]))
