"""The NER's numpy greedy decoding chooses spaCy's moves: the same entities and IOB tags.

spaCy's own code (``EntityRecognizer.predict``/``set_annotations``, called on the same
component) is the reference. A model with random output weights opens entities
everywhere, so every validity rule is exercised: whitespace tokens, sentence starts,
doc ends and unseen classes; the trained fixture pipeline checks real Thai text.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span

from thaievents.nlp.ner import FACTORY, FastEntityRecognizer, GreedyEntities, MoveTables

WORDS = ["ตำรวจ", "จับกุม", "Cat", "1", ".", " ", "  ", "\n", "แก๊ง", "คอลเซ็นเตอร์"]
LISTENER = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}


@functools.cache
def random_pipeline() -> Language:
    """tok2vec + our NER, initialised, with large random output weights (entities everywhere)."""
    nlp = spacy.blank("xx")
    nlp.add_pipe("tok2vec")
    ner = nlp.add_pipe(FACTORY, name="ner", config={"model": {"tok2vec": LISTENER}})
    for label in ("PERSON", "ORGANIZATION", "LOCATION"):
        ner.add_label(label)
    nlp.initialize()
    upper = ner.model.layers[-1]
    rng = np.random.default_rng(0)
    for name in ("W", "b"):
        upper.set_param(name, (rng.normal(size=upper.get_param(name).shape) * 3).astype("float32"))
    return nlp


def both_ways(nlp: Language, docs: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    """The docs after the tok2vec, annotated by our decoding and by spaCy's."""
    ner = nlp.get_pipe("ner")
    ours = list(nlp.get_pipe("tok2vec").pipe(docs))
    theirs = [doc.copy() for doc in ours]
    for doc, copy in zip(ours, theirs, strict=True):
        copy.tensor = doc.tensor.copy()
    found = ner.predict(ours)
    if any(len(doc) for doc in docs):
        assert isinstance(found, GreedyEntities)
    ner.set_annotations(ours, found)
    EntityRecognizer.set_annotations(ner, theirs, EntityRecognizer.predict(ner, theirs))
    return ours, theirs


def annotations(doc: Doc) -> tuple[list[tuple[int, int, str]], list[int]]:
    return [(e.start, e.end, e.label_) for e in doc.ents], [t.ent_iob for t in doc]


paragraph = st.tuples(
    st.lists(st.sampled_from(WORDS), max_size=40),
    st.lists(st.integers(min_value=1, max_value=39), max_size=4),
)


unseen_moves = st.sets(st.integers(min_value=0, max_value=13), max_size=3)


@settings(max_examples=150, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=12), unseen_moves)
def test_random_weights_give_spacys_entities(paragraphs, unseen) -> None:
    nlp = random_pipeline()
    docs = []
    for words, starts in paragraphs:
        doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
        for index in starts:
            if index < len(doc):
                doc[index].is_sent_start = True
        docs.append(doc)
    ner = nlp.get_pipe("ner")
    ner.model.attrs["unseen_classes"] = set(unseen)
    try:
        ours, theirs = both_ways(nlp, docs)
    finally:
        ner.model.attrs["unseen_classes"] = set()
    assert [annotations(d) for d in ours] == [annotations(d) for d in theirs]


def test_random_weights_open_entities_on_every_kind_of_token() -> None:
    """The generated cases are not trivially empty: entities of every label, next to spaces."""
    nlp = random_pipeline()
    rng = np.random.default_rng(1)
    docs = [Doc(nlp.vocab, words=[str(w) for w in rng.choice(WORDS, size=30)]) for _ in range(20)]
    ours, _ = both_ways(nlp, docs)
    labels = {e.label_ for d in ours for e in d.ents}
    assert labels == {"PERSON", "ORGANIZATION", "LOCATION"}
    assert sum(len(d.ents) for d in ours) > 100


def test_trained_pipeline_decodes_like_spacy(trained_pipeline) -> None:
    from tests.conftest import fixture_gold
    from thaievents.nlp.inference import load_for_inference

    nlp = load_for_inference(trained_pipeline / "model" / "model-best")
    assert isinstance(nlp.get_pipe("ner"), FastEntityRecognizer)
    texts = [record["text"] for record in fixture_gold()]
    docs = [nlp.make_doc(text) for text in texts]
    ours, theirs = both_ways(nlp, docs)
    assert [annotations(d) for d in ours] == [annotations(d) for d in theirs]
    assert sum(len(d.ents) for d in ours) > len(texts)  # a trained model finds entities


def test_preset_entities_go_to_spacys_decoding() -> None:
    nlp = random_pipeline()
    doc = Doc(nlp.vocab, words=["ตำรวจ", "จับกุม", "แก๊ง", "คอลเซ็นเตอร์"])
    doc.set_ents([Span(doc, 2, 4, label="ORGANIZATION")], default="unmodified")
    ner = nlp.get_pipe("ner")
    docs = list(nlp.get_pipe("tok2vec").pipe([doc]))
    found = ner.predict(docs)
    assert not isinstance(found, GreedyEntities)
    ner.set_annotations(docs, found)
    assert (2, 4, "ORGANIZATION") in annotations(docs[0])[0]


def test_unknown_moves_have_no_tables() -> None:
    """An arc-eager parser's moves (or anything else) are left to spaCy."""
    assert MoveTables.of(["S", "D", "L-nsubj"], lambda label: 0) is None
    tables = MoveTables.of(["U-", "O", "B-X", "I-X", "L-X", "U-X"], lambda label: 7)
    assert tables is not None and tables.valid.shape == (2, 8, 6)


@pytest.mark.parametrize("words", [[], [" "], ["\n", "\n"]])
def test_docs_without_entities_possible(words) -> None:
    nlp = random_pipeline()
    ours, theirs = both_ways(nlp, [Doc(nlp.vocab, words=words)])
    assert annotations(ours[0]) == annotations(theirs[0]) == ([], [2] * len(words))


def test_extra_state_tokens_go_to_spacys_decoding() -> None:
    """Six state features (``extra_state_tokens``) are not the three this decodes."""
    nlp = spacy.blank("xx")
    nlp.add_pipe("tok2vec")
    model = {"tok2vec": LISTENER, "extra_state_tokens": True}
    ner = nlp.add_pipe(FACTORY, name="ner", config={"model": model})
    ner.add_label("PERSON")
    nlp.initialize()
    docs = list(nlp.get_pipe("tok2vec").pipe([Doc(nlp.vocab, words=["ตำรวจ", "จับกุม", "แก๊ง"])]))
    assert not isinstance(ner.predict(docs), GreedyEntities)
