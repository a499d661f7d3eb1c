"""Scores: exact-match NER precision/recall/F1, multi-label event scores, threshold tuning."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

from thaievents.data.schema import ENTITY_LABELS, EVENT_LABELS, Entity

# The thresholds tried when tuning event decisions and drawn in precision-recall plots.
THRESHOLD_GRID: tuple[float, ...] = tuple(float(t) for t in np.round(np.arange(0.05, 0.96, 0.05), 2))


def confusion_counts(gold: np.ndarray, predicted: np.ndarray) -> tuple[int, int, int]:
    """(tp, fp, fn) of two boolean vectors."""
    gold, predicted = gold.astype(bool), predicted.astype(bool)
    return int((gold & predicted).sum()), int((~gold & predicted).sum()), int((gold & ~predicted).sum())


def span_counts(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> tuple[int, int, int]:
    """(tp, fp, fn) of exact match between two sets of items (entities, role texts, counts)."""
    gold_set, predicted_set = set(gold), set(predicted)
    tp = len(gold_set & predicted_set)
    return tp, len(predicted_set) - tp, len(gold_set) - tp


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0 where undefined), with the support."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f": round(f1, 4), "support": tp + fn}


def score_entities(
    gold: Sequence[Iterable[Entity]],
    predicted: Sequence[Iterable[Entity]],
    labels: Sequence[str] = ENTITY_LABELS,
) -> dict:
    """Exact span match (start, end, label), micro and per label."""
    counts: dict[str, Counter[str]] = {label: Counter() for label in labels}
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        gold_set, predicted_set = set(gold_spans), set(predicted_spans)
        for span in gold_set | predicted_set:
            if span[2] not in counts:
                continue
            key = "tp" if span in gold_set and span in predicted_set else ("fn" if span in gold_set else "fp")
            counts[span[2]][key] += 1
    total = sum(counts.values(), Counter())
    return {
        "micro": prf(total["tp"], total["fp"], total["fn"]),
        "per_label": {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in counts.items()},
    }


def _micro_counts(gold: Sequence[Iterable[Hashable]], predicted: Sequence[Iterable[Hashable]]) -> np.ndarray:
    """Per-example (tp, fp, fn) of exact span match, shaped (examples, 3)."""
    rows = [span_counts(g, p) for g, p in zip(gold, predicted, strict=True)]
    return np.array(rows, dtype=float).reshape(-1, 3)


def paired_bootstrap(
    gold: Sequence[Iterable[Entity]],
    first: Sequence[Iterable[Entity]],
    second: Sequence[Iterable[Entity]],
    samples: int = 2000,
    seed: int = 0,
) -> dict[str, float]:
    """Micro-F1 of ``first`` minus ``second``, with a 95% interval over resampled examples.

    Both systems are scored on the same resampled examples (a paired bootstrap), so
    the interval says whether a gap on one test set is more than the luck of which
    sentences it holds. ``share_first_better`` is the share of samples where it wins.
    """
    a, b = _micro_counts(gold, first), _micro_counts(gold, second)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(a), size=(samples, len(a)))

    def f1(counts: np.ndarray) -> np.ndarray:
        tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
        return np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros_like(tp), where=(2 * tp + fp + fn) > 0)

    differences = f1(a[picks].sum(axis=1)) - f1(b[picks].sum(axis=1))
    low, high = np.percentile(differences, [2.5, 97.5])
    return {
        "difference": round(float(f1(a.sum(axis=0)) - f1(b.sum(axis=0))), 4),
        "ci95_low": round(float(low), 4),
        "ci95_high": round(float(high), 4),
        "share_first_better": round(float((differences > 0).mean()), 4),
        "samples": samples,
    }


def score_events(gold: np.ndarray, predicted: np.ndarray, labels: Sequence[str] = EVENT_LABELS) -> dict:
    """Per-category, macro and micro P/R/F1 for 0/1 matrices shaped (examples, labels)."""
    per_category = {}
    totals: Counter[str] = Counter()
    for index, label in enumerate(labels):
        tp, fp, fn = confusion_counts(gold[:, index], predicted[:, index])
        totals.update(tp=tp, fp=fp, fn=fn)
        per_category[label] = prf(tp, fp, fn)
    macro = {
        key: round(float(np.mean([s[key] for s in per_category.values()])), 4) for key in ("p", "r", "f")
    }
    return {
        "macro": macro,
        "micro": prf(totals["tp"], totals["fp"], totals["fn"]),
        "per_category": per_category,
    }


def tune_thresholds(
    gold: np.ndarray, scores: np.ndarray, labels: Sequence[str] = EVENT_LABELS
) -> dict[str, float]:
    """Per-category threshold that maximises F1 (ties go to the one nearest 0.5).

    Tune on dev only; a category without positives in dev keeps 0.5.
    """
    thresholds = {}
    for index, label in enumerate(labels):
        g = gold[:, index].astype(bool)
        if not g.any():
            thresholds[label] = 0.5
            continue
        best = max(
            THRESHOLD_GRID,
            key=lambda t: (prf(*confusion_counts(g, scores[:, index] >= t))["f"], -abs(t - 0.5)),
        )
        thresholds[label] = float(best)
    return thresholds


def apply_thresholds(
    scores: np.ndarray, thresholds: Mapping[str, float], labels: Sequence[str] = EVENT_LABELS
) -> np.ndarray:
    """0/1 predictions from scores and per-category thresholds."""
    cut = np.array([thresholds[label] for label in labels])
    return (scores >= cut).astype(int)


def union_by_group(matrix: np.ndarray, groups: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Row-wise OR of a 0/1 matrix over groups (paragraphs → articles), groups sorted."""
    names = sorted(set(groups))
    position = {name: i for i, name in enumerate(names)}
    result = np.zeros((len(names), matrix.shape[1]), dtype=int)
    for row, group in zip(matrix, groups, strict=True):
        result[position[group]] |= row.astype(int)
    return names, result


def precision_recall_curve(gold: np.ndarray, scores: np.ndarray) -> list[dict[str, float]]:
    """Points (threshold, precision, recall) over a fixed grid, for DVC plots."""
    points = []
    for threshold in THRESHOLD_GRID:
        score = prf(*confusion_counts(gold, scores >= threshold))
        points.append({"threshold": threshold, "precision": score["p"], "recall": score["r"]})
    return points


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denominator = 2 * tp + fp + fn
    return np.divide(2 * tp, denominator, out=np.zeros_like(tp, dtype=float), where=denominator > 0)


def _interval(values: np.ndarray, point: float, samples: int) -> dict[str, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return {
        "f": round(point, 4),
        "ci95_low": round(float(low), 4),
        "ci95_high": round(float(high), 4),
        "samples": samples,
    }


def bootstrap_entity_f1(
    gold: Sequence[Iterable[Hashable]],
    predicted: Sequence[Iterable[Hashable]],
    samples: int = 1000,
    seed: int = 0,
) -> dict[str, float]:
    """Micro-F1 of exact span match with a 95% interval over resampled examples."""
    counts = _micro_counts(gold, predicted)
    if not len(counts):
        return _interval(np.zeros(1), 0.0, samples)
    picks = np.random.default_rng(seed).integers(0, len(counts), size=(samples, len(counts)))
    summed = counts[picks].sum(axis=1)
    total = counts.sum(axis=0)
    point = float(_f1(total[0:1], total[1:2], total[2:3])[0])
    return _interval(_f1(summed[:, 0], summed[:, 1], summed[:, 2]), point, samples)


def bootstrap_macro_f1(
    gold: np.ndarray, predicted: np.ndarray, samples: int = 1000, seed: int = 0
) -> dict[str, float]:
    """Macro-F1 over categories of 0/1 matrices with a 95% interval over resampled rows."""
    g, p = gold.astype(bool), predicted.astype(bool)
    tp, fp, fn = (g & p).astype(float), (~g & p).astype(float), (g & ~p).astype(float)
    if not len(g):
        return _interval(np.zeros(1), 0.0, samples)
    picks = np.random.default_rng(seed).integers(0, len(g), size=(samples, len(g)))
    values = _f1(tp[picks].sum(axis=1), fp[picks].sum(axis=1), fn[picks].sum(axis=1)).mean(axis=1)
    point = float(_f1(tp.sum(axis=0), fp.sum(axis=0), fn.sum(axis=0)).mean())
    return _interval(values, point, samples)
