"""Span voting against hand-worked cases."""

import pytest

from thaievents.models.ensemble import vote_corpus, vote_spans


def test_majority_keeps_what_two_of_three_agree_on() -> None:
    spacy_a = [(0, 4, "PERSON"), (10, 14, "LOCATION")]
    spacy_b = [(0, 4, "PERSON"), (10, 16, "LOCATION")]
    crf = [(10, 16, "LOCATION"), (20, 22, "DATE")]
    assert vote_spans([spacy_a, spacy_b, crf], 2) == [(0, 4, "PERSON"), (10, 16, "LOCATION")]
    assert vote_spans([spacy_a, spacy_b, crf], 3) == []


def test_union_resolves_overlaps_by_votes_then_start() -> None:
    systems = [[(0, 6, "ORGANIZATION")], [(0, 6, "ORGANIZATION"), (7, 9, "LOCATION")], [(3, 8, "LOCATION")]]
    # The two-vote span wins; (3, 8) overlaps it and is dropped; (7, 9) does not and is kept.
    assert vote_spans(systems, 1) == [(0, 6, "ORGANIZATION"), (7, 9, "LOCATION")]


def test_a_system_repeating_a_span_votes_once() -> None:
    assert vote_spans([[(0, 2, "DATE"), (0, 2, "DATE")], []], 2) == []


def test_corpus_vote_needs_equal_lengths() -> None:
    assert vote_corpus([[[(0, 1, "LAW")], []], [[(0, 1, "LAW")], []]], 2) == [[(0, 1, "LAW")], []]
    with pytest.raises(ValueError, match="different numbers of texts"):
        vote_corpus([[[]], [[], []]], 1)
