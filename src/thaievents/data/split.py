"""Stable train/dev/test assignment by article id (adding articles never moves old ones)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from thaievents.data.schema import Paragraph

SPLITS = ("train", "dev", "test")


def split_of(article_id: str, seed: int, dev_ratio: float, test_ratio: float) -> str:
    """Assign an article to a split from a hash of ``seed:article_id``.

    The hash maps each id to a fixed point in [0, 1); the ratios cut that interval,
    so an article's split depends only on its id, the seed and the ratios.
    """
    if not (dev_ratio >= 0 and test_ratio >= 0 and dev_ratio + test_ratio < 1):
        raise ValueError(f"dev_ratio={dev_ratio} and test_ratio={test_ratio} must be >= 0 and sum below 1")
    digest = hashlib.sha256(f"{seed}:{article_id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64
    if point < test_ratio:
        return "test"
    if point < test_ratio + dev_ratio:
        return "dev"
    return "train"


def assign_splits(
    paragraphs: Iterable[Paragraph], seed: int, dev_ratio: float, test_ratio: float
) -> dict[str, list[Paragraph]]:
    """Group paragraphs into splits by article, ordered by id for stable output."""
    splits: dict[str, list[Paragraph]] = defaultdict(list)
    for paragraph in sorted(paragraphs, key=lambda p: (p.article_id, p.paragraph, p.id)):
        splits[split_of(paragraph.article_id, seed, dev_ratio, test_ratio)].append(paragraph)
    return {name: splits.get(name, []) for name in SPLITS}
