"""`thaievents extract`: JSONL or plain text in, extraction records (JSONL) out."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer
from tqdm import tqdm

from thaievents.data.io import decode_lines, parse_jsonl, write_jsonl
from thaievents.records.build import parse_published
from thaievents.records.crosswalk import record_coding
from thaievents.records.table import event_rows, write_parquet, write_plover_jsonl
from thaievents.serve.extract import PIPE_BATCH, count_chunks, extract
from thaievents.serve.load import load_pipeline

FORMATS = ("auto", "jsonl", "text")
SCHEMAS = ("v1", "v2")
ENGINES = ("local", "spark")


class InputError(ValueError):
    """A bad input record, with its file and line."""


def read_inputs(lines: list[str], fmt: str, name: str) -> tuple[list[object], list[str], list[str | None]]:
    """Ids, texts and publication dates. JSONL: ``{"id", "text", "date"}`` per non-empty line
    (``date`` optional, ISO); text: the whole input is one article.

    ``auto`` reads a ``.jsonl`` file as JSONL (an empty one has no records) and
    otherwise looks at the first non-blank line.
    """
    if fmt == "auto":
        first = next((line for line in lines if line.strip()), "")
        fmt = "jsonl" if name.endswith(".jsonl") or first.lstrip().startswith("{") else "text"
    if fmt == "text":
        text = "\n".join(lines)
        return ([name], [text], [None]) if text.strip() else ([], [], [])
    ids, texts, dates = [], [], []
    for number, record in parse_jsonl(lines):
        if isinstance(record, json.JSONDecodeError):
            raise InputError(f"{name}:{number}: broken JSON: {record.msg}")
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{name}:{number}: expected an object with a string "text"')
        date = record.get("date")
        if date is not None and parse_published(date) is None:
            raise InputError(f'{name}:{number}: "date" must be an ISO date such as 2025-10-16, not {date!r}')
        ids.append(record.get("id", number))
        texts.append(record["text"])
        dates.append(None if date is None else str(date))
    return ids, texts, dates


def extract_command(
    input_file: Path = typer.Argument(
        None, help="JSONL ({'id', 'text', 'date'} a line; date optional) or plain text; stdin if absent."
    ),
    output: Path = typer.Option(
        None, "--output", "-o", help="Write JSONL here (atomically); stdout if absent. Spark: a folder."
    ),
    model: Path = typer.Option(..., help="Trained spaCy pipeline (carries its thresholds and crosswalk)."),
    input_format: str = typer.Option("auto", "--format", help="auto, jsonl or text (one article)."),
    schema: str = typer.Option("v2", help="Record schema: v2 (event records) or v1 (categories only)."),
    records_out: Path = typer.Option(None, "--records", help="Also write one row per event as Parquet here."),
    plover_out: Path = typer.Option(
        None, "--plover", help="Also write the events as PLOVER-style JSONL here."
    ),
    engine: str = typer.Option("local", help="local (this process) or spark (mapInPandas over partitions)."),
    master: str = typer.Option("local[*]", help="Spark master (ignored under spark-submit, which sets it)."),
    partitions: int = typer.Option(0, help="Spark: repartition the input into this many (0 keeps Spark's)."),
    spark_format: str = typer.Option(
        "parquet", "--spark-output-format", help="Spark output: parquet or json."
    ),
    batch_size: int = typer.Option(PIPE_BATCH, help="Paragraphs per nlp.pipe batch."),
    n_process: int = typer.Option(
        1, help="Worker processes (local engine); each runs whole blocks of inputs and sends back records."
    ),
) -> None:
    """Extract entities, events and event records; one output record per input record, in order.

    Input may start with a BOM; text is normalised for the model while every offset
    points into the original input. A paragraph without a date of its own takes the
    input's ``date``. With ``--engine spark`` INPUT is a JSONL or Parquet path or URI
    Spark reads, and OUTPUT a folder of part files, one row per paragraph.
    """
    for value, allowed, hint in (
        (input_format, FORMATS, "--format"),
        (schema, SCHEMAS, "--schema"),
        (engine, ENGINES, "--engine"),
        (spark_format, ("parquet", "json"), "--spark-output-format"),
    ):
        if value not in allowed:
            raise typer.BadParameter(f"use one of {', '.join(allowed)}", param_hint=hint)
    if (records_out or plover_out) and schema != "v2":
        raise typer.BadParameter("event rows need --schema v2", param_hint="--records/--plover")
    if engine == "spark":
        run_spark(input_file, output, model, schema, master, partitions, spark_format, batch_size)
        return
    name = str(input_file) if input_file else "<stdin>"
    try:
        data = input_file.read_bytes() if input_file else sys.stdin.buffer.read()
        ids, texts, dates = read_inputs(decode_lines(data, name), input_format, name)
        nlp = load_pipeline(model)
        if schema == "v2":
            record_coding(nlp)
    except (ValueError, OSError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    words = 0

    def count(paragraph_words: int) -> None:
        nonlocal words
        words += paragraph_words
        bar.update()

    started = time.perf_counter()
    with tqdm(total=count_chunks(texts), unit="para", file=sys.stderr, disable=None) as bar:
        records = extract(
            nlp,
            texts,
            batch_size=batch_size,
            n_process=n_process,
            on_paragraph=count,
            schema=schema,
            dates=dates,
        )
    seconds = time.perf_counter() - started
    records = [{"id": record_id, **record} for record_id, record in zip(ids, records, strict=True)]
    if output is None:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        write_jsonl(output, records)
    if records_out or plover_out:
        rows = event_rows(records)
        if records_out:
            write_parquet(rows, records_out)
        if plover_out:
            write_plover_jsonl(rows, plover_out)
    paragraphs = sum(len(r["paragraphs"]) for r in records)
    typer.echo(
        f"extracted {len(records)} record(s), {paragraphs} paragraph(s), {words} words "
        f"in {seconds:.1f} s ({words / max(seconds, 1e-9):.0f} words/s, n_process={n_process})",
        err=True,
    )


def run_spark(
    source: Path | None,
    output: Path | None,
    model: Path,
    schema: str,
    master: str,
    partitions: int,
    output_format: str,
    batch_size: int,
) -> None:
    """`extract --engine spark`: the same records, one row per paragraph, as part files."""
    if source is None or output is None:
        raise typer.BadParameter("the spark engine reads INPUT and writes --output (a folder)")
    if not (Path(model) / "config.cfg").exists():
        typer.echo(f"error: {model}: not a spaCy pipeline folder (no config.cfg)", err=True)
        raise typer.Exit(1)
    from thaievents.batch.spark import extract_with_spark, session

    started = time.perf_counter()
    spark = session(master)
    try:
        rows = extract_with_spark(
            spark,
            str(source),
            str(output),
            model,
            output_format=output_format,
            schema_version=schema,
            partitions=partitions or None,
            batch_size=batch_size,
        )
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    finally:
        spark.stop()
    typer.echo(
        f"spark: {rows} paragraph row(s) in {time.perf_counter() - started:.1f} s → {output}", err=True
    )
