"""File writes that never leave half a file behind: write to a temp file, then rename."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: Path, *, directory: bool = False) -> Iterator[Path]:
    """Yield a temporary sibling path; rename it onto ``target`` only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if directory:
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    else:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(handle)
        temp = Path(name)
    try:
        yield temp
        if directory and target.exists():
            shutil.rmtree(target)
        os.replace(temp, target)
    finally:
        if temp.exists():
            if temp.is_dir():
                shutil.rmtree(temp)
            else:
                temp.unlink()


def write_text(target: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    with atomic_path(target) as temp:
        temp.write_text(text, encoding="utf-8")


def write_json(target: Path, data: object) -> None:
    """Write pretty, key-sorted JSON atomically (stable for DVC metrics and diffs)."""
    write_text(target, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def write_jsonl(target: Path, records: Iterable[dict]) -> None:
    """Write JSON Lines atomically, one record per line, Thai kept readable."""
    write_text(target, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def parse_jsonl(lines: Iterable[str]) -> Iterator[tuple[int, object]]:
    """(line number, record or JSONDecodeError) for each non-blank line, so callers can report both."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                yield number, error


def read_jsonl(path: Path) -> list[dict]:
    """Read JSON Lines, naming the file and line of a broken record."""
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, record in parse_jsonl(handle):
            if isinstance(record, json.JSONDecodeError):
                raise ValueError(f"{path}:{number}: broken JSON: {record.msg}")
            records.append(record)
    return records
