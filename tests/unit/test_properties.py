"""Property tests (Hypothesis) on random Thai, Latin, digits, whitespace, ZWSP, NBSP and emoji."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thaievents.data.markup import parse_paragraph, render_paragraph
from thaievents.data.schema import Paragraph, Span
from thaievents.data.validate import validate_lines
from thaievents.nlp.text import normalize_text, normalize_with_offsets

PIECES = [
    "ตำรวจ",
    "ไทย",
    "กัมพูชา",
    "แก๊ง",
    "คอลเซ็นเตอร์",
    "สแกรมเมอร์",
    "พล.ต.อ.",
    "ต.ค.",
    "68",
    "๑๖",
    "FBI",
    "KK Park",
    "(ACSC)",
    "‘AIS’",
    "5,000",
    "13.47",
    "น.",
    "-",
    " ",
    "  ",
    "\u200b",
    "\u00a0",
    "\ufeff",
    "\n",
    "\t",
    "😀",
    "เเ",
    "่่",
    "ๆ",
    "!",
    "?",
    '"',
    "'",
]
noisy_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=25).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(noisy_text)
def test_tokens_concatenate_back_to_the_input(nlp_blank, text: str) -> None:
    assert "".join(t.text_with_ws for t in nlp_blank(text)) == text


@FAST
@given(noisy_text)
def test_offset_map_points_into_the_original(text: str) -> None:
    normalised, starts, ends = normalize_with_offsets(text)
    assert normalised == normalize_text(text)
    assert len(starts) == len(ends) == len(normalised)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends, strict=True))
    assert starts == sorted(starts)


@FAST
@given(
    st.lists(
        st.tuples(st.sampled_from(["ตำรวจ", "ไทย", "FBI", "ปอยเปต"]), st.booleans()), min_size=1, max_size=8
    )
)
def test_markup_round_trips(words: list[tuple[str, bool]]) -> None:
    text, spans, position = "", [], 0
    for word, marked in words:
        if text:
            text += " "
            position += 1
        if marked:
            spans.append(Span(position, position + len(word), "LOCATION"))
        text += word
        position += len(word)
    paragraph = Paragraph("a1-p00", "a1", 0, text, spans, ["CRACKDOWN"])
    assert parse_paragraph(render_paragraph(paragraph)) == (text, spans, ["CRACKDOWN"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | noisy_text,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "text", "entities", "cats", "paragraph", "article_id", "x"]),
            inner,
            max_size=6,
        )
    ),
    max_leaves=12,
)


@FAST
@given(st.lists(st.one_of(json_values.map(json.dumps), noisy_text), max_size=6))
def test_the_validator_never_raises_only_reports(nlp_blank, lines: list[str]) -> None:
    result = validate_lines(lines, "random.jsonl", nlp_blank.make_doc)
    for problem in result.problems:
        assert str(problem).startswith("random.jsonl:")
