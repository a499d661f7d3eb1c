"""params.yaml is the one source of defaults, wherever a command runs."""

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thaievents.cli import app
from thaievents.params import default_map, load_params

from ..conftest import ROOT

runner = CliRunner()


def test_every_command_default_comes_from_params_yaml() -> None:
    params = load_params(ROOT / "params.yaml")
    defaults = default_map(params)
    assert defaults["train"]["dropout"] == params["train"]["dropout"]
    assert defaults["prepare"]["thainer_fraction"] == params["prepare"]["thainer_fraction"]
    assert defaults["corpus"]["build"]["gold_out"] == params["paths"]["gold"]
    assert defaults["bench"]["thainer"]["width"] == params["train"]["width"]


def test_paths_resolve_against_the_project_from_another_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("THAIEVENTS_PARAMS", str(ROOT / "params.yaml"))
    (tmp_path / "one.txt").write_text(
        "# article: x1\n# date: 2025-01-01\n# outlet: wire\nตำรวจ[ไทย|LOCATION]จับ ||\n"
    )
    result = runner.invoke(app, ["corpus", "check", "one.txt"])
    assert result.exit_code == 0, result.output  # found configs/domain_words.txt in the project
    assert "0 problem(s)" in result.output


def test_without_params_an_option_must_be_given(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("THAIEVENTS_PARAMS", str(tmp_path / "none.yaml"))
    result = runner.invoke(app, ["corpus", "check", "x.txt"])
    assert result.exit_code == 2 and "--dictionary" in result.output


def test_a_missing_file_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from thaievents.cli import run; run()",
            "corpus",
            "check",
            "x.txt",
            "--dictionary",
            str(tmp_path / "missing.txt"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: {tmp_path / 'missing.txt'}: No such file or directory"


@pytest.mark.parametrize("command", [["train"], ["evaluate"], ["bench", "speed"]])
def test_help_shows_the_params_defaults(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "default:" in result.output
