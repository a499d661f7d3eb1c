"""Fit and choose the shipped event classifier by cross-validation over training articles.

Candidates are scikit-learn pipelines (TF-IDF over tokens and characters, optionally
counts of the guideline's cue words; one-vs-rest logistic regression) at a few
regularisation strengths. Each is scored by grouped K-fold over train+dev articles
(no article on both sides of a fold); the thresholds are tuned on the pooled
out-of-fold scores, never on one small dev split. The mix with the spaCy textcat is
chosen on dev, where both models' scores exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from thaievents.data.schema import EVENT_LABELS
from thaievents.evaluation.metrics import apply_thresholds, score_events, tune_thresholds


@dataclass(frozen=True)
class Candidate:
    """One event-model setting tried in cross-validation."""

    c: float
    cues: bool

    @property
    def name(self) -> str:
        return f"tfidf_c{self.c:g}" + ("_cues" if self.cues else "")


@dataclass
class Selection:
    """What cross-validation measured and chose."""

    best: Candidate
    thresholds: dict[str, float]
    tries: list[dict] = field(default_factory=list)


def build_model(candidate: Candidate, cue_words: Sequence[str], seed: int) -> Pipeline:
    """An unfitted pipeline over :func:`thaievents.nlp.events.model_input` strings."""
    parts: list[tuple[str, object]] = [
        (
            "tokens",
            TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), min_df=1, sublinear_tf=True),
        ),
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(2, 4), min_df=2, sublinear_tf=True)),
    ]
    if candidate.cues and cue_words:
        lengths = [len(w) for w in cue_words]
        parts.append(
            (
                "cues",
                CountVectorizer(
                    analyzer="char",
                    ngram_range=(min(lengths), max(lengths)),
                    vocabulary=sorted(set(cue_words)),
                    binary=True,
                ),
            )
        )
    classifier = OneVsRestClassifier(
        LogisticRegression(C=candidate.c, max_iter=3000, class_weight="balanced", random_state=seed)
    )
    return Pipeline([("features", FeatureUnion(parts)), ("classifier", classifier)])


def fit_model(model: Pipeline, texts: Sequence[str], gold: np.ndarray) -> Pipeline:
    """Fit, then drop what would make two trainings differ byte-wise when pickled.

    ``stop_words_`` (a set: its order follows the hash seed) serves introspection only;
    ``_stop_words_id`` is the memory address of the stop-word list, cached to skip a
    re-check. Neither changes a prediction.
    """
    model.fit(list(texts), gold)
    for _, vectorizer in model.named_steps["features"].transformer_list:
        for attribute in ("stop_words_", "_stop_words_id"):
            if hasattr(vectorizer, attribute):
                delattr(vectorizer, attribute)
    return model


def out_of_fold_scores(
    candidate: Candidate,
    texts: Sequence[str],
    gold: np.ndarray,
    groups: Sequence[str],
    cue_words: Sequence[str],
    folds: int,
    seed: int,
) -> np.ndarray:
    """Scores for every example from a model that never saw its article."""
    scores = np.zeros(gold.shape, dtype=float)
    splitter = GroupKFold(n_splits=min(folds, len(set(groups))))
    for train_index, held_index in splitter.split(texts, gold, groups):
        model = fit_model(
            build_model(candidate, cue_words, seed), [texts[i] for i in train_index], gold[train_index]
        )
        scores[held_index] = model.predict_proba([texts[i] for i in held_index])
    return scores


def select_model(
    texts: Sequence[str],
    gold: np.ndarray,
    groups: Sequence[str],
    candidates: Sequence[Candidate],
    cue_words: Sequence[str],
    folds: int,
    seed: int,
) -> Selection:
    """Grouped K-fold over candidates; the best macro-F1 (ties: the first listed) wins."""
    tries = []
    best: tuple[float, Candidate, dict[str, float]] | None = None
    for candidate in candidates:
        scores = out_of_fold_scores(candidate, texts, gold, groups, cue_words, folds, seed)
        thresholds = tune_thresholds(gold, scores)
        result = score_events(gold, apply_thresholds(scores, thresholds))
        macro = result["macro"]["f"]
        tries.append(
            {"candidate": candidate.name, "cv_macro_f1": macro, "folds": folds, "thresholds": thresholds}
        )
        if best is None or macro > best[0]:
            best = (macro, candidate, thresholds)
    if best is None:
        raise ValueError("no candidate to select from")
    return Selection(best=best[1], thresholds=best[2], tries=tries)


def cross_validated_f1(gold: np.ndarray, scores: np.ndarray, groups: Sequence[str], folds: int) -> float:
    """Macro-F1 where each fold's decisions use thresholds tuned on the other folds only."""
    predicted = np.zeros(gold.shape, dtype=int)
    folds = min(folds, len(set(groups)))
    if folds < 2:  # one article: nothing to hold out, the thresholds see what they score
        return float(
            score_events(gold, apply_thresholds(scores, tune_thresholds(gold, scores)))["macro"]["f"]
        )
    for tune_index, held_index in GroupKFold(n_splits=folds).split(scores, gold, groups):
        thresholds = tune_thresholds(gold[tune_index], scores[tune_index])
        predicted[held_index] = apply_thresholds(scores[held_index], thresholds)
    return float(score_events(gold, predicted)["macro"]["f"])


def choose_textcat_weight(
    gold: np.ndarray,
    textcat: np.ndarray,
    tfidf: np.ndarray,
    groups: Sequence[str],
    weights: Sequence[float],
    folds: int,
) -> tuple[float, dict[str, float], list[dict]]:
    """The mix ``w * textcat + (1 - w) * tfidf`` with the best dev macro-F1 (ties: smaller w).

    Both score sets are on dev, from models that did not train on it. Each weight is
    scored by grouped K-fold over dev articles, thresholds tuned on the other folds, so
    no weight wins by thresholds fitted to the very paragraphs they are scored on. The
    winner's thresholds are then tuned on all of dev.
    """
    tries = []
    best: tuple[float, float] | None = None
    for weight in weights:
        mixed = weight * textcat + (1 - weight) * tfidf
        macro = round(cross_validated_f1(gold, mixed, groups, folds), 4)
        tries.append({"textcat_weight": weight, "dev_cv_macro_f1": macro})
        if best is None or macro > best[0]:
            best = (macro, weight)
    assert best is not None
    weight = best[1]
    return weight, tune_thresholds(gold, weight * textcat + (1 - weight) * tfidf), tries


def gold_matrix(cats: Sequence[dict[str, float]]) -> np.ndarray:
    """(examples, categories) 0/1 matrix from ``doc.cats``-style dicts."""
    return np.array(
        [[int(c.get(label, 0.0) >= 0.5) for label in EVENT_LABELS] for c in cats], dtype=int
    ).reshape(-1, len(EVENT_LABELS))
