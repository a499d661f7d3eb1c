"""The one list of entity labels and event categories, and the typed gold record."""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_LABELS: tuple[str, ...] = (
    "PERSON",
    "ORGANIZATION",
    "LOCATION",
    "DATE",
    "TIME",
    "MONEY",
    "PERCENT",
    "LAW",
)
EVENT_LABELS: tuple[str, ...] = (
    "CRACKDOWN",
    "INTEL_SHARING",
    "VICTIM_ASSISTANCE",
    "DIPLOMATIC_FORUM",
)


# An entity as (start, end, label): character offsets, end exclusive. The form metrics,
# ensembles and agreement compare, since tuples hash and compare by value.
Entity = tuple[int, int, str]


@dataclass(frozen=True)
class Span:
    """A labelled character span, end exclusive, into a paragraph's text."""

    start: int
    end: int
    label: str


@dataclass
class Paragraph:
    """One gold example: a paragraph of an article with its entities and events."""

    id: str
    article_id: str
    paragraph: int
    text: str
    entities: list[Span] = field(default_factory=list)
    cats: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """Return the doccano JSONL record described in the annotation guidelines."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "paragraph": self.paragraph,
            "text": self.text,
            "entities": [[s.start, s.end, s.label] for s in self.entities],
            "cats": list(self.cats),
        }


def article_record(
    article_id: str, paragraphs: list[str], date: str, outlet: str, url: str | None = None
) -> dict:
    """The corpus/ record of an article, annotated or imported: paragraph 0 is the headline."""
    record = {"id": article_id, "title": paragraphs[0] if paragraphs else "", "date": date, "outlet": outlet}
    if url is not None:
        record["url"] = url
    return {**record, "paragraphs": list(paragraphs)}


def paragraph_id(article_id: str, paragraph: int) -> str:
    """Build the example id used everywhere: ``a0042-p03``."""
    return f"{article_id}-p{paragraph:02d}"
