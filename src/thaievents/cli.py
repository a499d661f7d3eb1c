"""The ``thaievents`` command: one subcommand per stage."""

from __future__ import annotations

import typer

from thaievents.annotate import commands as annotate
from thaievents.serve.extract_command import extract_command
from thaievents.stages import bench, corpus, evaluate, export, prepare, train

app = typer.Typer(
    help="Thai NER and event extraction for scam-centre news: prepare, train, evaluate, export.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(corpus.app, name="corpus")
app.add_typer(bench.app, name="bench")
app.add_typer(annotate.app, name="annotate")
app.command("prepare")(prepare.prepare)
app.command("train")(train.train)
app.command("evaluate")(evaluate.evaluate)
app.command("extract")(extract_command)
app.command("export")(export.export)
