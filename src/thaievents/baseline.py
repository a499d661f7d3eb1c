"""Event baseline: TF-IDF over project tokens and character n-grams, one-vs-rest logistic regression."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from spacy.tokens import Doc

from thaievents.schema import EVENT_LABELS

TOKEN_SEPARATOR = "\u241f"  # a symbol that never occurs in news text


def tokens_of(doc: Doc) -> str:
    """A Doc as its non-space tokens joined by a separator (the baseline's input)."""
    return TOKEN_SEPARATOR.join(t.text for t in doc if not t.is_space)


def split_tokens(text: str) -> list[str]:
    return text.split(TOKEN_SEPARATOR)


def join_characters(text: str) -> str:
    return text.replace(TOKEN_SEPARATOR, "")


def build_baseline(seed: int, c: float = 4.0) -> Pipeline:
    """An untrained baseline pipeline; inputs are :func:`tokens_of` strings."""
    features = FeatureUnion(
        [
            (
                "tokens",
                TfidfVectorizer(
                    tokenizer=split_tokens,
                    token_pattern=None,
                    lowercase=True,
                    ngram_range=(1, 2),
                    min_df=1,
                    sublinear_tf=True,
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=join_characters,
                    analyzer="char",
                    ngram_range=(2, 4),
                    min_df=2,
                    sublinear_tf=True,
                ),
            ),
        ]
    )
    classifier = OneVsRestClassifier(
        LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=seed)
    )
    return Pipeline([("features", features), ("classifier", classifier)])


def gold_matrix(docs: Sequence[Doc]) -> np.ndarray:
    """(docs, categories) 0/1 matrix of gold events."""
    return np.array(
        [[int(doc.cats.get(label, 0.0) >= 0.5) for label in EVENT_LABELS] for doc in docs], dtype=int
    )


def fit_baseline(docs: Sequence[Doc], seed: int, c: float) -> Pipeline:
    """Train the baseline on gold Docs that carry event categories (ThaiNER transfer docs do not)."""
    docs = [doc for doc in docs if doc.cats]
    model = build_baseline(seed, c)
    model.fit([tokens_of(doc) for doc in docs], gold_matrix(docs))
    return model


def baseline_scores(model: Pipeline, docs: Sequence[Doc]) -> np.ndarray:
    """(docs, categories) probabilities."""
    return np.asarray(model.predict_proba([tokens_of(doc) for doc in docs]))
