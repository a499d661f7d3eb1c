"""Inline markup → offsets, and back: the plain text must round-trip exactly."""

import pytest

from thaievents.data.markup import MarkupError, parse_markup, parse_paragraph, render_paragraph
from thaievents.data.schema import Paragraph, Span

ARTICLE = """# article: x001
# date: 2025-03-03
# outlet: wire
[ตร.|ORGANIZATION]ผนึกกำลัง[อินเดีย|LOCATION] ทลายแก๊งคอลฯ || CRACKDOWN DIPLOMATIC_FORUM
ข่าวทั่วไปไม่มีเหตุการณ์ ||
จบที่[ปอยเปต|LOCATION] || INTEL_SHARING
"""


def test_parse_offsets_and_categories() -> None:
    (article,) = parse_markup(ARTICLE)
    first = article.paragraphs[0]
    assert first.id == "x001-p00" and article.title == first.text
    assert first.text == "ตร.ผนึกกำลังอินเดีย ทลายแก๊งคอลฯ"
    assert [(first.text[s.start : s.end], s.label) for s in first.entities] == [
        ("ตร.", "ORGANIZATION"),
        ("อินเดีย", "LOCATION"),
    ]
    assert first.cats == ["CRACKDOWN", "DIPLOMATIC_FORUM"]
    assert article.paragraphs[1].cats == [] and article.paragraphs[1].entities == []
    last = article.paragraphs[2]
    assert last.text[last.entities[0].start :] == "ปอยเปต"  # entity at the very end


def test_render_round_trips() -> None:
    (article,) = parse_markup(ARTICLE)
    lines = [line for line in ARTICLE.splitlines() if not line.startswith("#")]
    assert [render_paragraph(p) for p in article.paragraphs] == lines


def test_render_then_parse_is_identity() -> None:
    paragraph = Paragraph(
        "a-p00",
        "a",
        0,
        "FBI ส่งข้อมูลให้ไทย",
        [Span(0, 3, "ORGANIZATION"), Span(16, 19, "LOCATION")],
        ["INTEL_SHARING"],
    )
    text, spans, cats = parse_paragraph(render_paragraph(paragraph))
    assert (text, spans, cats) == (paragraph.text, paragraph.entities, paragraph.cats)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("ไม่มีตัวคั่น", "no '||'"),
        ("[ไทย|COUNTRY] ||", "unknown entity label"),
        ("ไทย || RAID", "unknown event category"),
        ("ไทย] ||", "stray"),
        ("ไทย  จีน ||", "not normalised"),
        ("[ ไทย|LOCATION] ||", "whitespace"),
    ],
)
def test_errors_name_the_problem(line: str, message: str) -> None:
    with pytest.raises(MarkupError, match=message):
        parse_paragraph(line, "f.txt:3")


def test_errors_carry_file_and_line() -> None:
    with pytest.raises(MarkupError, match=r"^batch.txt:7: "):
        parse_markup(ARTICLE + "[x|BAD] ||\n", "batch.txt")
