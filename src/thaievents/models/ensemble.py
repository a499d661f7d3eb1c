"""Span voting: entities that enough recognizers agree on, exactly (start, end, label).

Models that err in different places (two spaCy NERs with different features, a CRF)
outvote each other's mistakes: a span is kept when at least ``min_votes`` systems
predict it exactly; among overlapping winners the one with more votes, then the
earlier start, wins, so the output never has overlapping entities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from thaievents.data.schema import Entity


def vote_spans(systems: Sequence[Sequence[Entity]], min_votes: int) -> list[Entity]:
    """Voted, non-overlapping entities of one text, sorted by start."""
    votes = Counter(span for spans in systems for span in set(spans))
    winners = sorted((s for s, n in votes.items() if n >= min_votes), key=lambda s: (-votes[s], s[0], s[1]))
    kept: list[Entity] = []
    for span in winners:
        if all(span[1] <= other[0] or span[0] >= other[1] for other in kept):
            kept.append(span)
    return sorted(kept)


def vote_corpus(systems: Sequence[Sequence[Sequence[Entity]]], min_votes: int) -> list[list[Entity]]:
    """:func:`vote_spans` over texts; ``systems[k][i]`` holds system k's entities of text i."""
    lengths = {len(predictions) for predictions in systems}
    if len(lengths) != 1:
        raise ValueError(f"systems cover different numbers of texts: {sorted(lengths)}")
    return [vote_spans([predictions[i] for predictions in systems], min_votes) for i in range(lengths.pop())]
