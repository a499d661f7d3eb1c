"""Pure conversions between the project's records and doccano's, and label-set checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from thaievents.data.schema import ENTITY_LABELS, EVENT_LABELS, Paragraph, paragraph_id

META_ID = "example_id"  # our paragraph id inside doccano's metadata (doccano owns "id")


@dataclass(frozen=True)
class LabelScheme:
    """Names, colours and shortcut keys of entity labels and event categories."""

    entities: dict[str, dict]
    events: dict[str, dict]


def read_label_scheme(path: Path) -> LabelScheme:
    """Read configs/labels.yaml and check it names exactly the schema's labels."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    scheme = LabelScheme(entities=dict(data["entities"]), events=dict(data["events"]))
    if tuple(scheme.entities) != ENTITY_LABELS or tuple(scheme.events) != EVENT_LABELS:
        raise ValueError(f"{path}: labels differ from thaievents.data.schema")
    return scheme


def label_differences(scheme: LabelScheme, server: Mapping[str, Mapping[str, int]]) -> list[str]:
    """How the server's label types differ from the scheme (empty when equal)."""
    problems = []
    for kind, wanted in (("spans", scheme.entities), ("categories", scheme.events)):
        have = set(server[kind])
        if missing := sorted(set(wanted) - have):
            problems.append(f"{kind} missing on the server: {', '.join(missing)}")
        if extra := sorted(have - set(wanted)):
            problems.append(f"{kind} on the server but not in configs/labels.yaml: {', '.join(extra)}")
    return problems


def corpus_paragraphs(articles: Iterable[Mapping]) -> list[Paragraph]:
    """Unannotated paragraphs from corpus/ article records (id, paragraphs)."""
    return [
        Paragraph(paragraph_id(article["id"], index), article["id"], index, text)
        for article in articles
        for index, text in enumerate(article["paragraphs"])
    ]


def example_meta(paragraph: Paragraph) -> dict:
    return {META_ID: paragraph.id, "article_id": paragraph.article_id, "paragraph": paragraph.paragraph}


def exported_to_record(exported: Mapping) -> dict:
    """A doccano export record → the gold JSONL record (same fields prepare validates)."""
    example_id = exported.get(META_ID)
    if example_id is None:
        raise ValueError(
            f"doccano example {exported.get('id')} has no {META_ID!r} metadata: not pushed by thaievents"
        )
    return {
        "id": example_id,
        "article_id": exported.get("article_id", example_id.rsplit("-p", 1)[0]),
        "paragraph": exported.get("paragraph", 0),
        "text": exported["text"],
        "entities": [list(e) for e in exported.get("entities", [])],
        "cats": sorted(exported.get("cats", [])),
    }


def is_annotated(exported: Mapping) -> bool:
    return bool(exported.get("entities") or exported.get("cats"))
