"""Gold event records: read, check against the gold paragraphs, and resolve to offsets.

Annotators write records with the text of each role (annotations/GUIDELINES.md, "Event
records"), so a record survives re-tokenisation and is easy to review; this module checks
every string against the paragraph's gold entities and turns the trigger and counts into
character offsets. Problems name the file and line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from thaievents.data.io import decode_lines
from thaievents.records.crosswalk import Crosswalk

ROLES = ("actor", "recipient", "location")
COUNT_KINDS = ("arrested", "rescued", "repatriated", "victims", "suspects")
ROLE_LABELS = {
    "actor": {"PERSON", "ORGANIZATION", "LOCATION"},
    "recipient": {"PERSON", "ORGANIZATION", "LOCATION"},
    "location": {"LOCATION"},
}
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")


class RecordError(ValueError):
    """A gold record that breaks the guidelines, with its file and line."""


@dataclass(frozen=True)
class GoldParagraph:
    """What a record is checked against: the paragraph's text, entities, events and date."""

    id: str
    text: str
    entities: tuple[tuple[int, int, str], ...]
    cats: tuple[str, ...]
    article_date: str | None = None


@dataclass
class GoldRecord:
    """One event of one category in one paragraph, with roles as entity texts."""

    paragraph: str
    category: str
    mode: str
    trigger: str
    trigger_start: int
    actor: list[str] = field(default_factory=list)
    recipient: list[str] = field(default_factory=list)
    location: list[str] = field(default_factory=list)
    date_text: str | None = None
    date_value: str | None = None
    counts: list[dict] = field(default_factory=list)
    money: list[dict] = field(default_factory=list)
    annotator: str = ""
    published: str | None = None  # the article's publication date (ISO), which a linker may use

    def role(self, name: str) -> list[str]:
        return list(getattr(self, name))


def _nth(text: str, needle: str, occurrence: int) -> int:
    position = -1
    for _ in range(occurrence):
        position = text.find(needle, position + 1)
        if position < 0:
            return -1
    return position


def check_record(raw: object, paragraphs: Mapping[str, GoldParagraph], crosswalk: Crosswalk) -> GoldRecord:
    """One parsed JSON line → a GoldRecord, or RecordError saying what is wrong."""
    if not isinstance(raw, dict):
        raise RecordError("expected a JSON object")
    paragraph = paragraphs.get(str(raw.get("paragraph")))
    if paragraph is None:
        raise RecordError(f"unknown paragraph {raw.get('paragraph')!r}")
    category = raw.get("category")
    if category not in paragraph.cats:
        raise RecordError(
            f"{paragraph.id}: category {category!r} is not among the gold cats {list(paragraph.cats)}"
        )
    modes = crosswalk.modes(str(category))
    if raw.get("mode") not in modes:
        raise RecordError(
            f"{paragraph.id}: mode {raw.get('mode')!r} is not one of {category}'s: {', '.join(modes)}"
        )
    trigger = raw.get("trigger")
    occurrence = raw.get("trigger_occurrence", 1)
    if not isinstance(trigger, str) or not trigger or not isinstance(occurrence, int) or occurrence < 1:
        raise RecordError(
            f"{paragraph.id}: trigger must be a non-empty string (trigger_occurrence a positive int)"
        )
    start = _nth(paragraph.text, trigger, occurrence)
    if start < 0:
        raise RecordError(
            f"{paragraph.id}: trigger {trigger!r} (occurrence {occurrence}) is not in the paragraph"
        )
    texts_by_label: dict[str, set[str]] = {}
    for s, e, label in paragraph.entities:
        texts_by_label.setdefault(label, set()).add(paragraph.text[s:e])
    roles: dict[str, list[str]] = {}
    for role in ROLES:
        values = raw.get(role, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise RecordError(f"{paragraph.id}: {role} must be a list of entity texts")
        allowed = set().union(*(texts_by_label.get(label, set()) for label in ROLE_LABELS[role]))
        for value in values:
            if value not in allowed:
                labels = "/".join(sorted(ROLE_LABELS[role]))
                raise RecordError(
                    f"{paragraph.id}: {role} {value!r} is no gold {labels} entity of the paragraph"
                )
        roles[role] = sorted(set(values))
    date = raw.get("date")
    if not isinstance(date, dict):
        raise RecordError(f'{paragraph.id}: date must be an object {{"text", "value"}}')
    date_text, date_value = date.get("text"), date.get("value")
    if date_text is not None and date_text not in texts_by_label.get("DATE", set()):
        raise RecordError(f"{paragraph.id}: date text {date_text!r} is no gold DATE entity of the paragraph")
    if date_value is not None and not (isinstance(date_value, str) and _ISO.match(date_value)):
        raise RecordError(
            f"{paragraph.id}: date value {date_value!r} is not ISO (2025-10-16, 2025-10, 2025, a/b)"
        )
    counts = []
    for count in raw.get("counts", []):
        if not isinstance(count, dict) or count.get("what") not in COUNT_KINDS:
            raise RecordError(f"{paragraph.id}: each count needs what in {', '.join(COUNT_KINDS)}")
        text, value = count.get("text"), count.get("value")
        if not isinstance(text, str) or text not in paragraph.text:
            raise RecordError(f"{paragraph.id}: count text {text!r} is not in the paragraph")
        if not isinstance(value, int) or isinstance(value, bool):
            raise RecordError(f"{paragraph.id}: count value {value!r} must be an integer")
        counts.append({"what": count["what"], "text": text, "value": value})
    money = []
    for amount in raw.get("money", []):
        if not isinstance(amount, dict) or amount.get("text") not in texts_by_label.get("MONEY", set()):
            raise RecordError(
                f"{paragraph.id}: money text {amount!r} is no gold MONEY entity of the paragraph"
            )
        if not isinstance(amount.get("amount"), int | float) or not isinstance(amount.get("currency"), str):
            raise RecordError(f"{paragraph.id}: money needs a numeric amount and a currency code")
        money.append({"text": amount["text"], "amount": amount["amount"], "currency": amount["currency"]})
    return GoldRecord(
        paragraph=paragraph.id,
        category=str(category),
        mode=str(raw["mode"]),
        trigger=trigger,
        trigger_start=start,
        date_text=date_text,
        date_value=date_value,
        counts=counts,
        money=money,
        annotator=str(raw.get("annotator", "")),
        published=raw.get("published") or paragraph.article_date,
        **roles,
    )


def read_records(
    path: Path, paragraphs: Mapping[str, GoldParagraph], crosswalk: Crosswalk, *, known_only: bool = False
) -> list[GoldRecord]:
    """Every record of one JSONL file; the first problem raises RecordError with file:line.

    ``known_only`` skips records of paragraphs not in ``paragraphs`` (scoring a subset of
    the corpus); the data tests read every record against the whole gold.
    """
    records: list[GoldRecord] = []
    seen: dict[tuple[str, str], int] = {}
    for number, line in enumerate(decode_lines(path.read_bytes(), str(path)), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            if known_only and isinstance(raw, dict) and str(raw.get("paragraph")) not in paragraphs:
                continue
            record = check_record(raw, paragraphs, crosswalk)
        except json.JSONDecodeError as error:
            raise RecordError(f"{path}:{number}: broken JSON: {error.msg}") from error
        except RecordError as error:
            raise RecordError(f"{path}:{number}: {error}") from error
        key = (record.paragraph, record.category)
        if key in seen:
            first = seen[key]
            raise RecordError(
                f"{path}:{number}: a second {record.category} record of {record.paragraph} (line {first})"
            )
        seen[key] = number
        records.append(record)
    return records


def gold_paragraphs(
    lines: Iterable[dict], article_dates: Mapping[str, str | None]
) -> dict[str, GoldParagraph]:
    """Gold JSONL records (``id``, ``text``, ``entities``, ``cats``) keyed by id."""
    return {
        str(p["id"]): GoldParagraph(
            id=str(p["id"]),
            text=p["text"],
            entities=tuple((int(s), int(e), str(label)) for s, e, label in p["entities"]),
            cats=tuple(p["cats"]),
            article_date=article_dates.get(str(p.get("article_id", ""))),
        )
        for p in lines
    }


def read_record_folder(
    folder: Path, paragraphs: Mapping[str, GoldParagraph], crosswalk: Crosswalk, *, known_only: bool = False
) -> list[GoldRecord]:
    """The records of every ``*.jsonl`` directly in ``folder`` (second passes live below it)."""
    records: list[GoldRecord] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        for record in read_records(path, paragraphs, crosswalk, known_only=known_only):
            key = (record.paragraph, record.category)
            if key in seen:
                raise RecordError(f"{path}: {record.category} of {record.paragraph} is also in {seen[key]}")
            seen[key] = path
            records.append(record)
    return records
