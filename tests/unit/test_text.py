"""Normalisation and tokenizer: Thai edge cases, domain words, punctuation, serialisation."""

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.util import normalize as pythainlp_normalize

from thaievents.nlp.text import normalize_text, thai_normalize_quickly, tokenize_words


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("\ufeffตำรวจ", "ตำรวจ"),  # BOM
        ("แก๊ง\u200bคอลเซ็นเตอร์", "แก๊งคอลเซ็นเตอร์"),  # zero-width space
        ("ตำรวจ\u00a0ไทย", "ตำรวจ ไทย"),  # no-break space
        ("  ตำรวจ   ไทย  ", "ตำรวจ ไทย"),
        ("บรรทัด\nใหม่", "บรรทัด ใหม่"),
        ("เเปลก", "แปลก"),  # two SARA E → SARA AE (PyThaiNLP)
        ("FBI และ ตร.", "FBI และ ตร."),
        ("e\u0301", "\u00e9"),  # NFC
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


# Consonants (ฤ and ฦ: the Lakkhangyao rule spares them), every vowel, tone mark and sign
# the rules move or drop, and the whitespace the rules read.
_NORMALIZE_ALPHABET = "กขนรฤฦอ" + "ะาำๅเแโใไ" + "ัิีึืุู็ฺ" + "่้๊๋" + "์ํ๎" + " \n\t\x1c\u200b\u200ca"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=_NORMALIZE_ALPHABET, max_size=8))
def test_the_quick_thai_normalize_is_pythainlps(text: str) -> None:
    assert thai_normalize_quickly(text) == pythainlp_normalize(text)


def test_the_quick_thai_normalize_skips_the_rules_on_most_gold_paragraphs() -> None:
    from tests.conftest import ROOT
    from thaievents.data.io import read_jsonl
    from thaievents.nlp.text import _THAI_RULE_MAY_APPLY

    texts = [record["text"] for record in read_jsonl(ROOT / "annotations" / "gold.jsonl")]
    skipped = sum(_THAI_RULE_MAY_APPLY.search(text) is None for text in texts)
    assert skipped / len(texts) > 0.9


def test_normalize_is_idempotent() -> None:
    text = "\ufeff[ข่าว]  ตำรวจ\u200b ไทย\u00a0จับ 12% "
    assert normalize_text(normalize_text(text)) == normalize_text(text)


@pytest.mark.parametrize("word", ["แก๊งคอลเซ็นเตอร์", "สแกมเมอร์", "บช.สอท.", "ศปอส.ตร.", "สตช."])
def test_domain_words_are_single_tokens(nlp_blank, word: str) -> None:
    doc = nlp_blank(f"ตำรวจแถลงว่า{word}ถูกจับกุม")
    assert word in [t.text for t in doc]


def test_raw_newmm_splits_domain_words() -> None:
    """Why the dictionary exists: without it newmm cuts the loanword."""
    assert "สแกมเมอร์" not in tokenize_words("จับสแกมเมอร์")
    assert "สแกมเมอร์" in tokenize_words("จับสแกมเมอร์", ["สแกมเมอร์"])


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("(16 ต.ค.", ["(", "16"]),
        ("ศูนย์ (ACSC) ของ", ["(", "ACSC", ")"]),
        ("‘AIS’ แจ้ง", ["‘", "AIS", "’"]),
        ("FBI- ส่งข้อมูล", ["FBI", "-"]),
        ("“KK Park”", ["“", "KK", "Park", "”"]),
        ("ปี 2568.", ["2568", "."]),
    ],
)
def test_punctuation_split_off(nlp_blank, text: str, pieces: list[str]) -> None:
    tokens = [t.text for t in nlp_blank(text)]
    for piece in pieces:
        assert piece in tokens, tokens


@pytest.mark.parametrize("kept", ["13.47", "5,000", "ต.ค.", "พ.ร.ก."])
def test_numbers_and_thai_abbreviations_stay_whole(nlp_blank, kept: str) -> None:
    assert kept in [t.text for t in nlp_blank(f"เวลา {kept} น.")]


@pytest.mark.parametrize(
    "text",
    ["", "ตำรวจไทย", "  สอง  ช่อง ", "Thai police (FBI) จับ 3 คน!", "สิ้นสุดที่ปอยเปต", "a\u0e40\u0e40b", "๒๕๖๘"],
)
def test_tokens_rebuild_text_and_spaces_are_own_tokens(nlp_blank, text: str) -> None:
    doc = nlp_blank(text)
    assert doc.text == text
    for token in doc:
        assert token.text.isspace() or not any(c.isspace() for c in token.text)
        assert token.whitespace_ == ""


def test_saved_model_loads_in_fresh_process(tmp_path, nlp_blank) -> None:
    nlp_blank.to_disk(tmp_path / "model")
    code = (
        "import spacy, sys; nlp = spacy.load(sys.argv[1]);"
        "print('|'.join(t.text for t in nlp('แก๊งคอลเซ็นเตอร์หลอกสแกมเมอร์')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "model")], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().split("|") == ["แก๊งคอลเซ็นเตอร์", "หลอก", "สแกมเมอร์"]


SEED_HEADLINE = "ไทย ร่วมมือนานาชาติ ประสานข้อมูลทางลับ ปราบสแกรมเมอร์-แก๊งคอลเซนเตอร์"


def test_seed_headline_keeps_its_misspelled_loanwords_whole(nlp_blank) -> None:
    tokens = [t.text for t in nlp_blank(SEED_HEADLINE)]
    assert "สแกรมเมอร์" in tokens
    assert "แก๊งคอลเซนเตอร์" in tokens or "คอลเซนเตอร์" in tokens


@pytest.mark.parametrize(
    "variant",
    ["สแกรมเมอร์", "สแกมเมอร์", "คอลเซนเตอร์", "คอลเซ็นเตอร์", "แก็งค์", "แก๊งค์", "แก๊งคอลฯ", "แก็งค์คอลเซ็นเตอร์"],
)
def test_variant_spellings_stay_one_token(nlp_blank, variant: str) -> None:
    assert [t.text for t in nlp_blank(f"ตำรวจจับ{variant}ที่ปอยเปต") if t.text == variant] == [variant]
