"""The ``thaievents`` command: the DVC stages, extraction, corpus tools, annotation and benchmarks."""

from __future__ import annotations

import typer

from thaievents.cli import annotate, bench, corpus
from thaievents.cli.extract import extract_command
from thaievents.params import default_map, load_params, params_path
from thaievents.stages import evaluate, export, prepare, train

app = typer.Typer(
    help=(
        "Thai NER and event extraction for scam-centre news: prepare, train, evaluate, export. "
        "Defaults come from params.yaml in the working directory (or $THAIEVENTS_PARAMS)."
    ),
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main(ctx: typer.Context) -> None:
    """Load params.yaml once, so every option's default is the pipeline's value."""
    path = params_path()
    try:
        ctx.default_map = default_map(load_params(path), base=path.parent)
    except (ValueError, OSError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error


app.add_typer(corpus.app, name="corpus")
app.add_typer(bench.app, name="bench")
app.add_typer(annotate.app, name="annotate")
app.command("prepare")(prepare.prepare)
app.command("train")(train.train)
app.command("evaluate")(evaluate.evaluate)
app.command("extract")(extract_command)
app.command("export")(export.export)


def run() -> None:
    """The console script: a missing or unreadable file is one line, not a traceback."""
    try:
        app()
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        typer.echo(f"error: {error.filename or error}: {error.strerror or error}", err=True)
        raise SystemExit(1) from error
