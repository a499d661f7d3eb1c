"""Counts over gold paragraphs: labels, categories, and the corpus balance floors."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from thaievents.data.schema import ENTITY_LABELS, EVENT_LABELS, Paragraph

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


def data_report(
    splits: dict[str, list[Paragraph]], total_spans: int, bad_spans: int, problems: list[str]
) -> dict:
    """Counts per label and category for each split, plus what validation found."""
    return {
        "splits": {name: count(paragraphs).to_json() for name, paragraphs in splits.items()},
        "spans": {"total": total_spans, "bad": bad_spans},
        "problems": problems,
    }


# What each realism figure counts (the formulas of the real-news issue).
_LATIN = re.compile(r"[A-Za-z]{2,}")
_QUOTES = re.compile("[“”\"‘’']")
_PARENTHESES = re.compile(r"\(")
_RANKS = re.compile(r"พล\.(ต|ท|อ)\.|พ\.ต\.|ร\.ต\.")


def realism(paragraphs: Sequence[Paragraph], cue_words: Sequence[str]) -> dict[str, float]:
    """Per-paragraph figures of how much the corpus reads like real Thai news."""
    if not paragraphs:
        return {}
    lengths = [len(p.text) for p in paragraphs]
    total = len(paragraphs)

    def share(pattern: re.Pattern[str]) -> float:
        return sum(bool(pattern.search(p.text)) for p in paragraphs) / total

    near_miss = sum(1 for p in paragraphs if not p.cats and any(w in p.text.lower() for w in cue_words))
    return {
        "articles": len({p.article_id for p in paragraphs}),
        "median_chars": float(statistics.median(lengths)),
        "p75_chars": float(statistics.quantiles(lengths, n=4)[2]) if total > 1 else float(lengths[0]),
        "over_400_chars": sum(n > 400 for n in lengths) / total,
        "latin_words": share(_LATIN),
        "quotes": share(_QUOTES),
        "parentheses": share(_PARENTHESES),
        "ranks": share(_RANKS),
        "entities_per_paragraph": sum(len(p.entities) for p in paragraphs) / total,
        "near_miss_negatives": near_miss / total,
    }


def target_misses(figures: Mapping[str, float], targets: Mapping[str, float]) -> list[str]:
    """Every realism figure below its target, as a readable sentence."""
    return [
        f"{name} {figures.get(name, 0.0):.3g} < target {target:g}"
        for name, target in targets.items()
        if figures.get(name, 0.0) < target
    ]
