"""Metrics against hand-computed values."""

import numpy as np

from thaievents.evaluation.metrics import (
    apply_thresholds,
    paired_bootstrap,
    score_entities,
    score_events,
    tune_thresholds,
    union_by_group,
)


def test_entity_exact_match() -> None:
    gold = [[(0, 3, "PERSON"), (5, 9, "LOCATION")], [(0, 2, "DATE")]]
    predicted = [[(0, 3, "PERSON"), (5, 8, "LOCATION")], [(0, 2, "DATE"), (3, 4, "MONEY")]]
    scores = score_entities(gold, predicted, ["PERSON", "LOCATION", "DATE", "MONEY"])
    # tp=2 (PERSON, DATE), fp=2 (LOCATION 5-8, MONEY), fn=1 (LOCATION 5-9)
    assert scores["micro"] == {"p": 0.5, "r": 0.6667, "f": 0.5714, "support": 3}
    assert scores["per_label"]["LOCATION"]["f"] == 0.0
    assert scores["per_label"]["PERSON"]["f"] == 1.0


def test_events_macro_and_micro() -> None:
    gold = np.array([[1, 0], [1, 1], [0, 0]])
    predicted = np.array([[1, 1], [0, 1], [0, 0]])
    scores = score_events(gold, predicted, ["A", "B"])
    assert scores["per_category"]["A"]["f"] == round(2 / 3, 4)
    assert scores["per_category"]["B"]["f"] == round(2 / 3, 4)
    assert scores["micro"]["f"] == round(2 / 3, 4)


def test_thresholds_tuned_then_applied() -> None:
    gold = np.array([[1], [1], [0], [0]])
    scores = np.array([[0.3], [0.35], [0.2], [0.1]])
    thresholds = tune_thresholds(gold, scores, ["A"])
    assert 0.2 < thresholds["A"] <= 0.3
    assert apply_thresholds(scores, thresholds, ["A"]).ravel().tolist() == [1, 1, 0, 0]


def test_union_by_article() -> None:
    names, matrix = union_by_group(np.array([[1, 0], [0, 1], [0, 0]]), ["b", "b", "a"])
    assert names == ["a", "b"]
    assert matrix.tolist() == [[0, 0], [1, 1]]


def test_paired_bootstrap_difference_and_interval() -> None:
    gold = [[(0, 2, "PERSON")], [(1, 3, "DATE")], [(0, 1, "LAW")], [(2, 4, "MONEY")]] * 10
    better = [list(spans) for spans in gold]  # perfect
    worse = [[], *gold[1:]]  # misses one entity of 40
    result = paired_bootstrap(gold, better, worse, samples=500)
    assert result["difference"] == round(
        1.0 - score_entities(gold, worse, ["PERSON", "DATE", "LAW", "MONEY"])["micro"]["f"], 4
    )
    assert 0.0 <= result["ci95_low"] <= result["difference"] <= result["ci95_high"]
    assert result["share_first_better"] > 0.5
    same = paired_bootstrap(gold, better, better, samples=200)
    assert same["difference"] == same["ci95_low"] == same["ci95_high"] == 0.0


def test_bench_overrides_parse_json_values_and_reject_bad_pairs() -> None:
    import pytest

    from thaievents.bench.accuracy import parse_overrides

    parsed = parse_overrides(["a.rows=[1,2]", "training.dropout=0.2", "x.flag=false", "name=plain text"])
    assert parsed == {"a.rows": [1, 2], "training.dropout": 0.2, "x.flag": False, "name": "plain text"}
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_overrides(["no-equals-sign"])
