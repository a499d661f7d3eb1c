"""`thaievents extract`: JSONL or plain text in, extraction records (JSONL) out."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer
from spacy.tokens import Doc
from tqdm import tqdm

from thaievents.data.io import decode_lines, parse_jsonl, write_jsonl
from thaievents.serve.extract import chunk_texts, extract
from thaievents.serve.load import load_pipeline

FORMATS = ("auto", "jsonl", "text")


class InputError(ValueError):
    """A bad input record, with its file and line."""


def read_inputs(lines: list[str], fmt: str, name: str) -> tuple[list[object], list[str]]:
    """Ids and texts. JSONL: ``{"id", "text"}`` per non-empty line; text: the whole input is one article.

    ``auto`` reads a ``.jsonl`` file as JSONL (an empty one has no records) and
    otherwise looks at the first non-blank line.
    """
    if fmt == "auto":
        first = next((line for line in lines if line.strip()), "")
        fmt = "jsonl" if name.endswith(".jsonl") or first.lstrip().startswith("{") else "text"
    if fmt == "text":
        text = "\n".join(lines)
        return ([name], [text]) if text.strip() else ([], [])
    ids, texts = [], []
    for number, record in parse_jsonl(lines):
        if isinstance(record, json.JSONDecodeError):
            raise InputError(f"{name}:{number}: broken JSON: {record.msg}")
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{name}:{number}: expected an object with a string "text"')
        ids.append(record.get("id", number))
        texts.append(record["text"])
    return ids, texts


def extract_command(
    input_file: Path = typer.Argument(
        None, help="JSONL ({'id', 'text'} a line) or plain text; stdin if absent."
    ),
    output: Path = typer.Option(
        None, "--output", "-o", help="Write JSONL here (atomically); stdout if absent."
    ),
    model: Path = typer.Option(..., help="Trained spaCy pipeline (carries its event thresholds)."),
    input_format: str = typer.Option("auto", "--format", help="auto, jsonl or text (one article)."),
    batch_size: int = typer.Option(64, help="Paragraphs per nlp.pipe batch."),
    n_process: int = typer.Option(1, help="Worker processes for nlp.pipe."),
) -> None:
    """Extract entities and events; one output record per input record, in order, with its id.

    Input may start with a BOM; text is normalised for the model while every offset
    points into the original input.
    """
    if input_format not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    name = str(input_file) if input_file else "<stdin>"
    try:
        data = input_file.read_bytes() if input_file else sys.stdin.buffer.read()
        ids, texts = read_inputs(decode_lines(data, name), input_format, name)
        nlp = load_pipeline(model)
    except (ValueError, OSError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    words = 0

    def count(doc: Doc) -> None:
        nonlocal words
        words += sum(1 for token in doc if not token.is_space)
        bar.update()

    started = time.perf_counter()
    with tqdm(total=len(chunk_texts(texts)), unit="para", file=sys.stderr, disable=None) as bar:
        records = extract(nlp, texts, batch_size=batch_size, n_process=n_process, on_chunk=count)
    seconds = time.perf_counter() - started
    records = [{"id": record_id, **record} for record_id, record in zip(ids, records, strict=True)]
    if output is None:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        write_jsonl(output, records)
    paragraphs = sum(len(r["paragraphs"]) for r in records)
    typer.echo(
        f"extracted {len(records)} record(s), {paragraphs} paragraph(s), {words} words "
        f"in {seconds:.1f} s ({words / max(seconds, 1e-9):.0f} words/s, n_process={n_process})",
        err=True,
    )
