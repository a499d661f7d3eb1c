"""export: the trained pipeline → an MLflow registered pyfunc model (with an alias) and a spaCy wheel."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import typer

from thaievents.data.io import write_json
from thaievents.serve.package import build_wheel, log_pyfunc
from thaievents.tracking import stage_run


def export(
    model: Path = typer.Option(..., help="Trained spaCy pipeline (its event thresholds travel inside)."),
    registered_name: str = typer.Option(..., help="MLflow Model Registry name."),
    alias: str = typer.Option(..., help="Alias set on the new version."),
    wheel_dir: Path = typer.Option(..., help="Where the spaCy wheel goes."),
    package_name: str = typer.Option("thaievents", help="spaCy package name (installed as th_<name>)."),
    receipt: Path = typer.Option(..., help="What was registered and built (JSON; the same bytes every run)."),
) -> None:
    """Register the pipeline as an MLflow pyfunc model and build a pip-installable spaCy wheel."""
    with stage_run(
        "export", {"registered_name": registered_name, "alias": alias}, [model / "meta.json"]
    ) as parent:
        registered = log_pyfunc(model, registered_name, alias, pipeline_run=parent)
    wheel = build_wheel(model, wheel_dir, package_name, metadata.version("thaievents"))
    # The registry version and run ids change every run; they go to stdout and MLflow, not the receipt.
    write_json(
        receipt, {"name": registered["name"], "alias": alias, "uri": registered["uri"], "wheel": wheel.name}
    )
    typer.echo(f"registered {registered['uri']} (version {registered['version']}); wheel {wheel}")
