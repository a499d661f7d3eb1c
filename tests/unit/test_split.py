"""Splits hash the article id: stable, seed-dependent, near the requested ratios."""

from collections import Counter

import pytest

from thaievents.data.split import split_of


def test_ratios_are_respected_roughly() -> None:
    counts = Counter(split_of(f"art{i}", 7, 0.2, 0.1) for i in range(5000))
    assert abs(counts["dev"] / 5000 - 0.2) < 0.03
    assert abs(counts["test"] / 5000 - 0.1) < 0.03


def test_seed_changes_the_assignment() -> None:
    ids = [f"a{i}" for i in range(200)]
    assert [split_of(a, 0, 0.2, 0.2) for a in ids] != [split_of(a, 1, 0.2, 0.2) for a in ids]


@pytest.mark.parametrize(("dev", "test"), [(-0.1, 0.1), (0.5, 0.5)])
def test_bad_ratios_fail(dev: float, test: float) -> None:
    with pytest.raises(ValueError, match="ratio"):
        split_of("a1", 0, dev, test)
