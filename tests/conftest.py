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
