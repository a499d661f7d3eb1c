"""The benchmarks' paragraph reader says what is wrong with its input."""

from pathlib import Path

import pytest

from thaievents.bench.speed import paragraph_texts

ROOT = Path(__file__).resolve().parents[2]


def test_a_file_instead_of_the_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a folder"):
        paragraph_texts(ROOT / "annotations" / "gold.jsonl")


def test_a_folder_without_paragraphs_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no paragraphs"):
        paragraph_texts(tmp_path)


def test_the_gold_folder_gives_its_paragraphs() -> None:
    texts = paragraph_texts(ROOT / "annotations")
    assert len(texts) > 1000 and all(isinstance(t, str) and t for t in texts)


def test_the_command_reports_a_bad_folder_as_a_usage_error() -> None:
    from typer.testing import CliRunner

    from thaievents.cli import app

    result = CliRunner().invoke(
        app, ["bench", "scaling", "--model", "training/model/model-best", "--annotations", "nowhere.jsonl"]
    )
    assert result.exit_code == 2
    assert "not a folder" in result.output
