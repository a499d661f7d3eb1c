"""Validation of gold records (doccano JSONL): every problem with its file and line.

Record problems (broken JSON, missing fields, unknown categories, repeated ids)
always fail a stage. Span problems (unknown label, offsets out of range, overlap,
whitespace at an edge, a cut token) are counted against a threshold; the bad
span is reported and left out of the Doc, never dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from thaievents.data.io import NotUtf8Error, decode_lines, parse_jsonl
from thaievents.data.schema import ENTITY_LABELS, EVENT_LABELS, Paragraph, Span

REQUIRED_FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "text": str,
    "entities": list,
    "cats": list,
}


@dataclass(frozen=True)
class Problem:
    """One validation finding, printed as ``file:line: message``."""

    source: str
    line: int
    message: str
    is_span: bool = False

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@dataclass
class ValidationResult:
    """Valid paragraphs plus every problem found, with span counts for the threshold."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total_spans: int = 0
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)  # paragraph id → (file, line)

    def add(self, paragraph: Paragraph, source: str, line: int) -> None:
        """Keep a paragraph, or report its id as a repeat of the first one."""
        if paragraph.id in self.origins:
            first, first_line = self.origins[paragraph.id]
            self.problems.append(
                Problem(source, line, f"id {paragraph.id!r} already defined at {first}:{first_line}")
            )
            return
        self.origins[paragraph.id] = (source, line)
        self.paragraphs.append(paragraph)

    @property
    def bad_spans(self) -> int:
        return sum(1 for p in self.problems if p.is_span)

    @property
    def record_errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_span]

    def failed(self, max_bad_span_fraction: float) -> bool:
        """True when a record is broken or bad spans exceed the allowed fraction."""
        if self.record_errors:
            return True
        if self.bad_spans == 0:
            return False
        return self.bad_spans / max(self.total_spans, 1) > max_bad_span_fraction


def check_spans(text: str, raw_spans: Iterable, doc: Doc | None) -> tuple[list[Span], list[str]]:
    """Check entity spans against the text and its tokens; return good spans and messages."""
    good: list[Span] = []
    messages: list[str] = []
    accepted: list[Span] = []
    for raw in raw_spans:
        if not (isinstance(raw, (list, tuple)) and len(raw) == 3):
            messages.append(f"entity {raw!r} is not [start, end, label]")
            continue
        start, end, label = raw
        if not (isinstance(start, int) and isinstance(end, int)):
            messages.append(f"entity {raw!r} has non-integer offsets")
            continue
        if label not in ENTITY_LABELS:
            messages.append(f"unknown entity label {label!r} at [{start}, {end}]")
            continue
        if not 0 <= start < end <= len(text):
            messages.append(f"{label} offsets [{start}, {end}] out of range for text of length {len(text)}")
            continue
        surface = text[start:end]
        if surface != surface.strip():
            messages.append(f"{label} span {surface!r} [{start}, {end}] starts or ends on whitespace")
            continue
        if any(start < other.end and other.start < end for other in accepted):
            messages.append(f"{label} span {surface!r} [{start}, {end}] overlaps another span")
            continue
        if doc is not None and doc.char_span(start, end, alignment_mode="strict") is None:
            messages.append(
                f"{label} span {surface!r} [{start}, {end}] cuts a token; tokens: "
                + "|".join(t.text for t in doc.char_span(start, end, alignment_mode="expand") or [])
            )
            continue
        span = Span(start, end, label)
        accepted.append(span)
        good.append(span)
    return sorted(good, key=lambda s: s.start), messages


def validate_gold_record(
    record: object, source: str, line: int, tokenize: Callable[[str], Doc] | None
) -> tuple[Paragraph | None, list[Problem], int]:
    """Validate one parsed gold record; return the paragraph (or None), problems, span count.

    Never raises on bad input: every problem is reported with its file and line.
    """
    problems: list[Problem] = []
    if not isinstance(record, dict):
        return None, [Problem(source, line, "record is not a JSON object")], 0
    missing = [name for name in REQUIRED_FIELDS if name not in record]
    if missing:
        problems.append(Problem(source, line, "missing field(s) " + ", ".join(repr(m) for m in missing)))
    for name, kind in REQUIRED_FIELDS.items():
        if name in record and not isinstance(record[name], kind):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            problems.append(Problem(source, line, f"field {name!r} must be {expected}"))
    paragraph_number = record.get("paragraph", 0)
    if isinstance(paragraph_number, bool) or not isinstance(paragraph_number, int):
        problems.append(
            Problem(source, line, f"field 'paragraph' must be an integer, got {paragraph_number!r}")
        )
    if "article_id" in record and not isinstance(record["article_id"], str):
        problems.append(
            Problem(source, line, f"field 'article_id' must be str, got {record['article_id']!r}")
        )
    if problems:
        return None, problems, 0
    for cat in record["cats"]:
        if cat not in EVENT_LABELS:
            problems.append(Problem(source, line, f"unknown event category {cat!r}"))
    text: str = record["text"]
    doc = tokenize(text) if tokenize is not None else None
    spans, messages = check_spans(text, record["entities"], doc)
    problems.extend(Problem(source, line, m, is_span=True) for m in messages)
    record_id: str = record["id"]
    article_id = record.get("article_id") or record_id.rsplit("-p", 1)[0]
    paragraph = Paragraph(
        id=record_id,
        article_id=str(article_id),
        paragraph=paragraph_number,
        text=text,
        entities=spans,
        cats=sorted(c for c in set(record["cats"]) if c in EVENT_LABELS),
    )
    return paragraph, problems, len(record["entities"])


def validate_lines(
    lines: Iterable[str], source: str, tokenize: Callable[[str], Doc] | None
) -> ValidationResult:
    """Validate JSONL lines from one source."""
    result = ValidationResult()
    for number, record in parse_jsonl(lines):
        if isinstance(record, json.JSONDecodeError):
            message = f"broken JSON: {record.msg} (column {record.colno})"
            result.problems.append(Problem(source, number, message))
            continue
        paragraph, problems, span_count = validate_gold_record(record, source, number, tokenize)
        result.problems.extend(problems)
        result.total_spans += span_count
        if paragraph is not None:
            result.add(paragraph, source, number)
    return result


def validate_files(paths: Iterable[Path], tokenize: Callable[[str], Doc] | None) -> ValidationResult:
    """Validate several JSONL files; a repeated id is an error at the later file and line."""
    combined = ValidationResult()
    for path in paths:
        try:
            lines = decode_lines(Path(path).read_bytes(), str(path))
        except NotUtf8Error as error:
            combined.problems.append(Problem(str(path), error.line, error.detail))
            continue
        result = validate_lines(lines, str(path), tokenize)
        combined.problems.extend(result.problems)
        combined.total_spans += result.total_spans
        for paragraph in result.paragraphs:
            combined.add(paragraph, *result.origins[paragraph.id])
    return combined
