"""The event component's numpy n-gram counts: the same matrices and the same scores as scikit-learn's.

The shipped model's candidates (tokens and characters, with and without cue words) are
fitted on real gold paragraphs and compared on held-out ones and on generated text
with the cases the counting must get right: whitespace runs, upper case, characters
the vocabulary never saw, text shorter than an n-gram, empty text.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from tests.conftest import ROOT
from thaievents.data.io import read_jsonl
from thaievents.models.events import Candidate, build_model, fit_model
from thaievents.models.pipeline import read_cue_words
from thaievents.nlp.events import EVENT_LABELS, ExactCounts, ExactScorer, model_input


@pytest.fixture(scope="module")
def paragraphs(nlp_blank) -> tuple[list[str], np.ndarray]:
    records = list(read_jsonl(ROOT / "annotations" / "gold.jsonl"))[:400]
    texts = [model_input(nlp_blank(r["text"])) for r in records]
    gold = np.array([[int(label in r["cats"]) for label in EVENT_LABELS] for r in records])
    return texts, gold


@pytest.fixture(scope="module", params=[False, True], ids=["tfidf", "tfidf+cues"])
def fitted(request, paragraphs) -> Pipeline:
    texts, gold = paragraphs
    cues = read_cue_words(ROOT / "configs" / "event_cues.yaml")
    return fit_model(build_model(Candidate(c=2.0, cues=request.param), cues, seed=0), texts[:300], gold[:300])


def _raw_counts(vectorizer: CountVectorizer, texts: list[str]):
    """scikit-learn's counts: a TfidfVectorizer's before weighting."""
    return CountVectorizer.transform(vectorizer, texts)


def test_every_vectorizer_of_the_shipped_candidates_is_counted_here(fitted) -> None:
    scorer = ExactScorer(fitted)
    assert scorer.counters is not None and all(counter is not None for counter in scorer.counters)


def test_counts_and_scores_equal_scikit_learns_on_held_out_paragraphs(fitted, paragraphs) -> None:
    held_out = paragraphs[0][300:]
    for _, vectorizer in fitted.named_steps["features"].transformer_list:
        counter = ExactCounts.of(vectorizer)
        assert counter is not None
        mine, theirs = counter(held_out), _raw_counts(vectorizer, held_out)
        assert mine.shape == theirs.shape and (mine != theirs).nnz == 0
        assert mine.nnz > 0
    assert np.array_equal(ExactScorer(fitted).predict_proba(held_out), fitted.predict_proba(held_out))


# Thai consonants and vowels, Latin in both cases, digits, whitespace runs, NUL, and
# characters outside every vocabulary (Devanagari, an emoji).
_ALPHABET = "กขคงจชซดตทนบปผพฟมยรลวสหอฮะัาำิีึืุูเแโใไ่้๊๋์ABCabc019 \t\n\u00a0\x00\u0915😀"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=40), min_size=1, max_size=6))
def test_counts_equal_scikit_learns_on_any_text(fitted, texts: list[str]) -> None:
    for _, vectorizer in fitted.named_steps["features"].transformer_list:
        counter = ExactCounts.of(vectorizer)
        assert counter is not None
        assert (counter(texts) != _raw_counts(vectorizer, texts)).nnz == 0
    assert np.array_equal(ExactScorer(fitted).predict_proba(texts), fitted.predict_proba(texts))


def test_settings_not_handled_here_fall_back_to_scikit_learn(paragraphs) -> None:
    texts, gold = paragraphs
    word_boundaries = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).fit(texts[:50])
    assert ExactCounts.of(word_boundaries) is None
    trigrams = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 3)).fit(texts[:50])
    assert ExactCounts.of(trigrams) is None
    from sklearn.linear_model import LogisticRegression

    model = Pipeline(
        [
            ("features", FeatureUnion([("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)))])),
            ("classifier", LogisticRegression()),
        ]
    ).fit(texts[:100], gold[:100, 0])
    scorer = ExactScorer(model)
    assert scorer.counters == [None]
    assert np.array_equal(scorer.predict_proba(texts[100:120]), model.predict_proba(texts[100:120]))


def test_no_n_gram_spans_two_texts_of_a_batch_even_where_the_vocabulary_holds_the_separator() -> None:
    vectorizer = CountVectorizer(analyzer="char", ngram_range=(1, 3)).fit(["ab\x00cd", "b\x00c\x00"])
    texts = ["ab", "\x00cd", "b", "", "c\x00"]
    counter = ExactCounts.of(vectorizer)
    assert counter is not None
    assert (counter(texts) != vectorizer.transform(texts)).nnz == 0
