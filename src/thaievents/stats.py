"""Counts over gold paragraphs: labels, categories, and the corpus balance floors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from thaievents.schema import ENTITY_LABELS, EVENT_LABELS, Paragraph

# Floors the shipped corpus must meet (issue: the shipped corpus).
MIN_ARTICLES = 150
MIN_PARAGRAPHS = 900
MIN_EVENT_PARAGRAPHS = 150
MIN_NONE_FRACTION = 0.25
MIN_MULTI_FRACTION = 0.15
MIN_ENTITIES = {
    "PERSON": 300,
    "ORGANIZATION": 300,
    "LOCATION": 300,
    "DATE": 300,
    "MONEY": 40,
    "TIME": 40,
    "PERCENT": 20,
    "LAW": 20,
}


@dataclass
class CorpusStats:
    """Counts of articles, paragraphs, entities per label and paragraphs per category."""

    articles: int
    paragraphs: int
    entities: dict[str, int]
    categories: dict[str, int]
    no_category: int
    multi_category: int

    def to_json(self) -> dict:
        return {
            "articles": self.articles,
            "paragraphs": self.paragraphs,
            "entities": self.entities,
            "categories": self.categories,
            "no_category": self.no_category,
            "multi_category": self.multi_category,
        }


def count(paragraphs: Iterable[Paragraph]) -> CorpusStats:
    """Count labels and categories over paragraphs."""
    paragraphs = list(paragraphs)
    entities = Counter(span.label for p in paragraphs for span in p.entities)
    categories = Counter(cat for p in paragraphs for cat in p.cats)
    return CorpusStats(
        articles=len({p.article_id for p in paragraphs}),
        paragraphs=len(paragraphs),
        entities={label: entities.get(label, 0) for label in ENTITY_LABELS},
        categories={label: categories.get(label, 0) for label in EVENT_LABELS},
        no_category=sum(1 for p in paragraphs if not p.cats),
        multi_category=sum(1 for p in paragraphs if len(p.cats) >= 2),
    )


def floor_violations(stats: CorpusStats) -> list[str]:
    """Every balance floor the counts miss, as a readable sentence."""
    problems = []
    if stats.articles < MIN_ARTICLES:
        problems.append(f"{stats.articles} articles < {MIN_ARTICLES}")
    if stats.paragraphs < MIN_PARAGRAPHS:
        problems.append(f"{stats.paragraphs} paragraphs < {MIN_PARAGRAPHS}")
    for label, value in stats.categories.items():
        if value < MIN_EVENT_PARAGRAPHS:
            problems.append(f"{label}: {value} paragraphs < {MIN_EVENT_PARAGRAPHS}")
    total = max(stats.paragraphs, 1)
    if stats.no_category / total < MIN_NONE_FRACTION:
        problems.append(f"no-category paragraphs {stats.no_category / total:.1%} < {MIN_NONE_FRACTION:.0%}")
    if stats.multi_category / total < MIN_MULTI_FRACTION:
        problems.append(
            f"multi-category paragraphs {stats.multi_category / total:.1%} < {MIN_MULTI_FRACTION:.0%}"
        )
    for label, floor in MIN_ENTITIES.items():
        if stats.entities[label] < floor:
            problems.append(f"{label}: {stats.entities[label]} entities < {floor}")
    return problems
