"""File writes that never leave half a file behind: write to a temp file, then rename."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextmanager
def atomic_path(target: Path, *, directory: bool = False) -> Iterator[Path]:
    """Yield a temporary sibling path; rename it onto ``target`` only if the block succeeds.

    The temp file or folder gets the permissions a plain ``open`` or ``mkdir`` would
    (0666 or 0777 less the umask), not mkstemp's private 0600, so other users and
    services can read what the project writes where the umask allows.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if directory:
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        os.chmod(temp, 0o777 & ~_umask())
    else:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(handle)
        temp = Path(name)
        os.chmod(temp, 0o666 & ~_umask())
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


class NotUtf8Error(ValueError):
    """A file that does not decode as UTF-8, with the line where it first fails."""

    def __init__(self, name: str, line: int, detail: str) -> None:
        super().__init__(f"{name}:{line}: {detail}")
        self.name, self.line, self.detail = name, line, detail


def decode_lines(data: bytes, name: str) -> list[str]:
    """UTF-8 bytes (a BOM allowed, as Excel and Notepad write) → lines.

    Raises:
        NotUtf8Error: ``name:line: not UTF-8 ...`` at the first line that does not decode.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        detail = f"not UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        raise NotUtf8Error(name, line, detail) from error


def read_jsonl(path: Path) -> list[dict]:
    """Read JSON Lines, naming the file and line of a broken record."""
    records = []
    for number, record in parse_jsonl(decode_lines(Path(path).read_bytes(), str(path))):
        if isinstance(record, json.JSONDecodeError):
            raise ValueError(f"{path}:{number}: broken JSON: {record.msg}")
        if not isinstance(record, dict):
            raise ValueError(f"{path}:{number}: expected a JSON object, got {type(record).__name__}")
        records.append(record)
    return records
