"""ThaiNER reading (from ../shared, never copied), label mapping, transfer and the CRF peer."""

import pytest
import spacy

from thaievents.data.schema import ENTITY_LABELS
from thaievents.data.thainer import (
    Sentence,
    char_spans,
    entity_spans,
    read_split,
    sentence_to_doc,
    transfer_sentences,
)
from thaievents.evaluation.metrics import score_entities
from thaievents.models.crf import mapped_tags, predict_spans, sentence_features, train_crf

from ..conftest import SHARED

THAINER = SHARED / "data" / "thainer"
needs_thainer = pytest.mark.skipif(
    not (THAINER / "test.jsonl").exists(), reason="../shared/data/thainer not present"
)


@pytest.mark.parametrize(
    ("tokens", "tags", "expected"),
    [
        (["นาย", "สมชาย", "ไป"], ["B-PERSON", "I-PERSON", "O"], [(0, 2, "PERSON")]),
        (["www", ".", "x"], ["B-URL", "I-URL", "B-DATE"], [(2, 3, "DATE")]),  # URL is not one of our labels
        (
            ["ไทย", "และ", "5", "บาท"],
            ["I-LOCATION", "O", "B-MONEY", "I-MONEY"],
            [(0, 1, "LOCATION"), (2, 4, "MONEY")],
        ),
        (
            ["กรม", "ศุลกากร", " "],
            ["B-ORGANIZATION", "I-ORGANIZATION", "I-ORGANIZATION"],
            [(0, 2, "ORGANIZATION")],
        ),
        ([" ", "ไทย"], ["B-LOCATION", "I-LOCATION"], [(1, 2, "LOCATION")]),  # leading space trimmed
    ],
)
def test_bio_to_spans_maps_and_trims(tokens: list[str], tags: list[str], expected: list) -> None:
    assert list(entity_spans(tokens, tags)) == expected


def test_sentence_to_doc_keeps_tokens_and_offsets() -> None:
    sentence = Sentence(
        7, ["นาย", "สมชาย", " ", "ไป", "ญี่ปุ่น"], ["B-PERSON", "I-PERSON", "O", "O", "B-LOCATION"]
    )
    doc = sentence_to_doc(spacy.blank("th").vocab, sentence)
    assert doc.text == "นายสมชาย ไปญี่ปุ่น"
    assert [(e.text, e.label_) for e in doc.ents] == [("นายสมชาย", "PERSON"), ("ญี่ปุ่น", "LOCATION")]
    assert char_spans(sentence.tokens, [(0, 2, "PERSON")]) == [(0, 8, "PERSON")]


@needs_thainer
def test_reads_the_shared_splits_with_their_documented_sizes() -> None:
    assert [len(read_split(THAINER, split)) for split in ("train", "dev", "test")] == [5078, 635, 635]


@needs_thainer
def test_transfer_sample_is_stable_and_sized() -> None:
    first = transfer_sentences(THAINER, 0.2, 0)
    assert [s.id for s in first] == [s.id for s in transfer_sentences(THAINER, 0.2, 0)]
    assert 0.17 < len(first) / 5078 < 0.23
    assert transfer_sentences(THAINER, 0.0, 0) == []


@needs_thainer
def test_crf_peer_learns_from_a_small_sample() -> None:
    train, test = read_split(THAINER, "train")[:300], read_split(THAINER, "test")[:100]
    assert len(sentence_features(train[0].tokens)) == len(mapped_tags(train[0]))
    crf = train_crf(train, max_iterations=30)
    gold = [char_spans(s.tokens, list(entity_spans(s.tokens, s.tags))) for s in test]
    predicted = [char_spans(s.tokens, p) for s, p in zip(test, predict_spans(crf, test), strict=True)]
    assert score_entities(gold, predicted, ENTITY_LABELS)["micro"]["f"] > 0.3
