"""Shared fixtures: the repo root, the tiny annotated fixture, the project tokenizer."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from thaievents.data.markup import read_markup_dir
from thaievents.nlp.text import blank_thai, read_word_list

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DICTIONARY = ROOT / "configs" / "domain_words.txt"
SHARED = ROOT.parent / "shared"
# Commands take their defaults from the project's params.yaml wherever a test runs them.
os.environ.setdefault("THAIEVENTS_PARAMS", str(ROOT / "params.yaml"))
# The trained-pipeline fixture: shipped gold articles of the first three markup batches,
# a real held-out split of them (whole articles), and a short training.
FIXTURE_BATCHES = ("a1", "a2", "a3")


@pytest.fixture(scope="session")
def nlp_blank():
    return blank_thai(read_word_list(DICTIONARY))


@pytest.fixture(scope="session")
def tiny_articles():
    return read_markup_dir(FIXTURES)


@pytest.fixture()
def tiny_annotations(tmp_path: Path, tiny_articles) -> Path:
    """A folder holding the tiny fixture as gold JSONL."""
    from thaievents.data.io import write_jsonl

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
        "--challenge",
        str(annotations / "challenge"),
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
        "--thainer-fraction",
        "0",
        *extra,
    ]
    return CliRunner().invoke(app, arguments)


def invoke(*args: str) -> None:
    """Run a `thaievents` subcommand in-process; fail the test with its output."""
    from typer.testing import CliRunner

    from thaievents.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def fixture_gold() -> list[dict]:
    """Shipped gold paragraphs of the fixture batches (a real corpus sample, ~500 paragraphs)."""
    from thaievents.data.io import read_jsonl

    return [r for r in read_jsonl(ROOT / "annotations" / "gold.jsonl") if r["id"][:2] in FIXTURE_BATCHES]


@pytest.fixture(scope="session")
def trained_pipeline(tmp_path_factory: pytest.TempPathFactory, tiny_articles) -> Path:
    """prepare → train (8 epochs, no ThaiNER) → evaluate on a real gold sample, once per session.

    Its test split and the tiny fixture (as the challenge set) are held out. The folder
    holds corpus/, model/, selection.json, evaluate/ and mlflow.db.
    """
    from thaievents.data.io import write_jsonl

    work = tmp_path_factory.mktemp("pipeline")
    annotations = work / "annotations"
    write_jsonl(annotations / "gold.jsonl", fixture_gold())
    tiny = [p.to_json() for a in tiny_articles for p in a.paragraphs]
    write_jsonl(annotations / "challenge" / "challenge.jsonl", tiny)
    patch = pytest.MonkeyPatch()
    patch.chdir(work)
    patch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{work / 'mlflow.db'}")
    try:
        result = run_prepare(annotations, work, "--thainer-fraction", "0", "--seed", "0")
        assert result.exit_code == 0, result.output
        invoke(
            "train",
            "--corpus",
            str(work / "corpus"),
            "--config",
            str(ROOT / "configs" / "pipeline.cfg"),
            "--dictionary",
            str(DICTIONARY),
            "--cues",
            str(ROOT / "configs" / "event_cues.yaml"),
            "--output",
            str(work / "model"),
            "--selection-out",
            str(work / "selection.json"),
            "--max-epochs",
            "8",
            "--folds",
            "3",
        )
        evaluate = work / "evaluate"
        invoke(
            "evaluate",
            "--model",
            str(work / "model" / "model-best"),
            "--corpus",
            str(work / "corpus"),
            "--selection",
            str(work / "selection.json"),
            "--metrics-out",
            str(evaluate / "metrics.json"),
            "--thresholds-out",
            str(evaluate / "thresholds.json"),
            "--plots-out",
            str(evaluate / "plots"),
            "--errors-out",
            str(evaluate / "errors.jsonl"),
            "--report-out",
            str(evaluate / "report.html"),
            "--thainer-dir",
            str(work / "no-thainer"),
        )
    finally:
        patch.undo()
    return work


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
