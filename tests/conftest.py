"""Shared fixtures: the repo root, the tiny annotated fixture, the project tokenizer."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from thaievents.markup import read_markup_dir
from thaievents.text import blank_thai, read_word_list

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DICTIONARY = ROOT / "configs" / "domain_words.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp_blank():
    return blank_thai(read_word_list(DICTIONARY))


@pytest.fixture(scope="session")
def tiny_articles():
    return read_markup_dir(FIXTURES)


@pytest.fixture()
def tiny_annotations(tmp_path: Path, tiny_articles) -> Path:
    """A folder holding the tiny fixture as gold JSONL."""
    from thaievents.io import write_jsonl

    folder = tmp_path / "annotations"
    write_jsonl(folder / "gold.jsonl", (p.to_json() for a in tiny_articles for p in a.paragraphs))
    return folder


@pytest.fixture(scope="session")
def venv_env() -> dict[str, str]:
    """Environment whose PATH finds this interpreter's `thaievents` and `dvc`."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONHASHSEED"] = "0"
    return env


def run_prepare(annotations: Path, out: Path, *extra: str):
    """`thaievents prepare` into ``out`` with ratios that give the tiny fixture three splits."""
    from typer.testing import CliRunner

    from thaievents.cli import app

    arguments = [
        "prepare",
        "--annotations",
        str(annotations),
        "--dictionary",
        str(DICTIONARY),
        "--output",
        str(out / "corpus"),
        "--report",
        str(out / "report.json"),
        "--dev-ratio",
        "0.25",
        "--test-ratio",
        "0.25",
        *extra,
    ]
    return CliRunner().invoke(app, arguments)


def invoke(*args: str) -> None:
    """Run a `thaievents` subcommand in-process; fail the test with its output."""
    from typer.testing import CliRunner

    from thaievents.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def trained_pipeline(tmp_path_factory: pytest.TempPathFactory, tiny_articles) -> Path:
    """prepare → train (80 short epochs) → evaluate on the tiny fixture, once per session.

    The folder holds corpus/, model/, baseline.joblib, evaluate/ and mlflow.db.
    """
    from thaievents.io import write_jsonl

    work = tmp_path_factory.mktemp("pipeline")
    annotations = work / "annotations"
    write_jsonl(annotations / "gold.jsonl", (p.to_json() for a in tiny_articles for p in a.paragraphs))
    patch = pytest.MonkeyPatch()
    patch.chdir(work)
    patch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{work / 'mlflow.db'}")
    try:
        result = run_prepare(annotations, work)
        assert result.exit_code == 0, result.output
        invoke(
            "train",
            "--corpus",
            str(work / "corpus"),
            "--config",
            str(ROOT / "configs" / "pipeline.cfg"),
            "--dictionary",
            str(DICTIONARY),
            "--output",
            str(work / "model"),
            "--baseline-output",
            str(work / "baseline.joblib"),
            "--max-epochs",
            "80",
        )
        evaluate = work / "evaluate"
        invoke(
            "evaluate",
            "--model",
            str(work / "model" / "model-best"),
            "--baseline",
            str(work / "baseline.joblib"),
            "--corpus",
            str(work / "corpus"),
            "--metrics-out",
            str(evaluate / "metrics.json"),
            "--thresholds-out",
            str(evaluate / "thresholds.json"),
            "--plots-out",
            str(evaluate / "plots"),
            "--errors-out",
            str(evaluate / "errors.jsonl"),
        )
    finally:
        patch.undo()
    return work


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
