"""Pulled doccano annotations → gold, under one written rule (README, "The annotation loop").

1. Each pull file is one annotator's work on one day (``doccano-DATE-NAME[-N].jsonl``);
   for a paragraph, an annotator's newest pull replaces their older ones.
2. A paragraph that is already gold is never touched here (gold is only ever added to).
3. A paragraph annotated by one annotator, or identically by several, is agreed: it goes
   into a new dated gold file, and `dvc repro` trains on it.
4. A paragraph on which annotators differ goes to the adjudication list, not into training.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PULL_NAME = re.compile(r"^doccano-(\d{4}-\d{2}-\d{2})-(.+?)(?:-(\d+))?\.jsonl$")


@dataclass(frozen=True)
class Pull:
    """One pulled file: whose, when, and its records."""

    annotator: str
    order: tuple[str, int]
    records: list[dict]


@dataclass
class Merge:
    """What a merge decided, paragraph by paragraph."""

    agreed: list[dict] = field(default_factory=list)
    adjudication: list[dict] = field(default_factory=list)
    already_gold: list[str] = field(default_factory=list)


def pull_order(path: Path) -> tuple[str, str, int] | None:
    """(annotator, date, number) from a pull file's name, or None for other files."""
    match = PULL_NAME.match(path.name)
    if match is None:
        return None
    day, annotator, number = match.groups()
    return annotator, day, int(number or 1)


def _decision(record: Mapping) -> tuple:
    return (
        tuple(sorted(tuple(e) for e in record.get("entities", []))),
        tuple(sorted(record.get("cats", []))),
    )


def merge_pulls(pulls: Iterable[Pull], gold_ids: set[str]) -> Merge:
    """Apply the rule of this module to every paragraph of every pull."""
    latest: dict[str, dict[str, dict]] = {}  # paragraph id → annotator → record
    for pull in sorted(pulls, key=lambda p: p.order):
        for record in pull.records:
            latest.setdefault(str(record["id"]), {})[pull.annotator] = record
    merge = Merge()
    for paragraph_id in sorted(latest):
        by_annotator = latest[paragraph_id]
        if paragraph_id in gold_ids:
            merge.already_gold.append(paragraph_id)
            continue
        decisions = {_decision(r) for r in by_annotator.values()}
        first = by_annotator[min(by_annotator)]
        if len(decisions) == 1:
            merge.agreed.append(first)
            continue
        merge.adjudication.append(
            {
                "id": paragraph_id,
                "article_id": first.get("article_id"),
                "paragraph": first.get("paragraph"),
                "text": first["text"],
                "annotations": {
                    name: {"entities": r.get("entities", []), "cats": r.get("cats", [])}
                    for name, r in sorted(by_annotator.items())
                },
            }
        )
    return merge
