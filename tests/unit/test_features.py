"""The Thai feature embedding: features that carry signal, a registered architecture, a model that learns."""

import subprocess
import sys

import numpy
import pytest
import spacy
from spacy.training import Example
from spacy.util import registry

from thaievents.nlp.features import COLUMNS, doc_features, lexicon, shape, title_tags


@pytest.mark.parametrize(
    ("word", "expected"),
    [("กัมพูชา", "t|2"), ("FBI", "X|1"), ("5,000", "d,d|1"), ("ผบ.ตร.", "t.t.|2"), ("iPhone", "xXx|2")],
)
def test_shape_collapses_character_classes(word: str, expected: str) -> None:
    assert shape(word) == expected


def test_lexicon_names_the_bundled_lists() -> None:
    assert lexicon("กัมพูชา").startswith("country+")
    assert "province" in lexicon("เชียงใหม่")
    assert "family" in lexicon("ชินวัตร")
    assert lexicon("สแกมเมอร์") == "|f0"  # a loanword in no list and not in the TNC counts


def test_title_tags_mark_multi_token_titles_and_skip_common_words() -> None:
    words = ["เดินทาง", "ไป", "กรุง", "พนมเปญ", " ", "และ", "ชินวัตร"]
    tags = title_tags(words)
    assert tags[2:4] == ["B", "I"]  # กรุงพนมเปญ is a title spelled over two tokens
    assert tags[0] == tags[1] == tags[4] == tags[5] == "O"  # dictionary words and spaces


def test_doc_features_one_row_per_token_and_deterministic() -> None:
    words = ["ตำรวจ", "จับ", "สแกมเมอร์", " ", "ที่", "ปอยเปต"]
    rows = doc_features(words)
    assert numpy.asarray(rows, dtype="uint64").shape == (len(words), len(COLUMNS))
    assert rows == doc_features(list(words))
    assert rows[0] != rows[1]


def _ner_with_thai_features(width: int = 32) -> spacy.Language:
    nlp = spacy.blank("th")
    nlp.add_pipe(
        "ner",
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": 32,
                "maxout_pieces": 2,
                "use_upper": True,
                "tok2vec": {
                    "@architectures": "spacy.Tok2Vec.v2",
                    "embed": {
                        "@architectures": "thaievents.ThaiFeatureEmbed.v1",
                        "width": width,
                        "rows": [500] * len(COLUMNS),
                    },
                    "encode": {
                        "@architectures": "spacy.MaxoutWindowEncoder.v2",
                        "width": width,
                        "depth": 1,
                        "window_size": 1,
                        "maxout_pieces": 3,
                    },
                },
            }
        },
    )
    return nlp


def test_ner_with_thai_features_learns_and_reloads(tmp_path) -> None:
    nlp = _ner_with_thai_features()
    sentences = [
        (["ตำรวจ", "จับ", "คน", "ร้าย", "ที่", "ปอยเปต"], (5, 6, "LOCATION")),
        (["ทหาร", "ส่ง", "เหยื่อ", "กลับ", "จาก", "เมียวดี"], (5, 6, "LOCATION")),
        (["นาย", "สมชาย", "ไป", "ประชุม"], (0, 2, "PERSON")),
    ]
    examples = []
    for words, (start, end, label) in sentences:
        doc = spacy.tokens.Doc(nlp.vocab, words=words, spaces=[False] * len(words))
        examples.append(Example.from_dict(doc, {"entities": _bilou(len(words), start, end, label)}))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    predicted = nlp(spacy.tokens.Doc(nlp.vocab, words=sentences[0][0], spaces=[False] * 6))
    assert [(e.start, e.end, e.label_) for e in predicted.ents] == [(5, 6, "LOCATION")]

    nlp.to_disk(tmp_path / "model")
    code = (
        "import spacy, sys; from spacy.tokens import Doc; nlp = spacy.load(sys.argv[1]);"
        "doc = nlp(Doc(nlp.vocab, words=['ตำรวจ','จับ','คน','ร้าย','ที่','ปอยเปต'], spaces=[False]*6));"
        "print([e.label_ for e in doc.ents])"
    )
    out = subprocess.run(  # a fresh process finds the architecture through the entry point
        [sys.executable, "-c", code, str(tmp_path / "model")], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "['LOCATION']"


def test_rows_must_match_features_and_features_must_exist() -> None:
    make = registry.architectures.get("thaievents.ThaiFeatureEmbed.v1")
    with pytest.raises(ValueError, match="one row count per feature"):
        make(width=16, rows=[100, 100])
    with pytest.raises(ValueError, match="unknown features"):
        make(width=16, rows=[100], features=["LEMMA"])


def test_a_subset_of_features_picks_columns() -> None:
    words = ["ตำรวจ", "จับ", "สแกมเมอร์"]
    full = doc_features(words)
    subset = doc_features(words, ["SHAPE", "NORM"])
    shape_column, norm_column = COLUMNS.index("SHAPE"), COLUMNS.index("NORM")
    assert subset == [[row[shape_column], row[norm_column]] for row in full]


def _bilou(length: int, start: int, end: int, label: str) -> list[str]:
    tags = ["O"] * length
    if end - start == 1:
        tags[start] = f"U-{label}"
    else:
        tags[start] = f"B-{label}"
        tags[start + 1 : end - 1] = [f"I-{label}"] * (end - start - 2)
        tags[end - 1] = f"L-{label}"
    return tags


def test_two_worker_processes_predict_what_one_process_does(trained_pipeline) -> None:
    """nlp.pipe(n_process=2) pickles the pipeline (Thai features, event component) to its workers."""
    from thaievents.data.docbin import read_docs

    nlp = spacy.load(trained_pipeline / "model" / "model-best")
    texts = [d.text for d in read_docs(trained_pipeline / "corpus" / "test.spacy", nlp.vocab)][:40]

    def predictions(n_process: int) -> list:
        return [
            ([(e.start_char, e.end_char, e.label_) for e in doc.ents], doc.cats)
            for doc in nlp.pipe(texts, batch_size=8, n_process=n_process)
        ]

    one = predictions(1)
    assert any(entities for entities, _ in one) and all(cats for _, cats in one)
    assert predictions(2) == one


def test_inference_embeds_each_distinct_row_once_and_gives_the_training_vectors() -> None:
    """The embedding deduplicates feature rows at inference; vectors equal the plain chain's."""
    make = registry.architectures.get("thaievents.ThaiFeatureEmbed.v1")
    model = make(width=16, rows=[100] * len(COLUMNS))
    vocab = spacy.blank("th").vocab
    words = [["ตำรวจ", "จับ", "สแกมเมอร์", " ", "ที่", "ปอยเปต"], ["ตำรวจ", "จับ", "ตำรวจ"], []]
    docs = [spacy.tokens.Doc(vocab, words=w, spaces=[False] * len(w)) for w in words]
    model.initialize(X=docs[:2])
    mix = model.layers[3]
    seen: list[int] = []
    plain_forward = mix._func

    def counting(layer, rows, is_train):
        seen.append(len(rows))
        return plain_forward(layer, rows, is_train)

    mix.replace_callbacks(counting, init=mix.init)
    predicted = model.predict(docs)
    rows = [tuple(row) for w in words if w for row in doc_features(w)]
    assert seen == [len(set(rows))] and len(set(rows)) < len(rows)
    trained, _ = model.begin_update(docs)  # the training path: the chain as built, every token
    assert [len(p) for p in predicted] == [6, 3, 0]
    for inference, training in zip(predicted, trained, strict=True):
        numpy.testing.assert_array_equal(inference, training)
