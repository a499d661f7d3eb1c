"""Validation: each problem is reported with file and line; bad spans are counted."""

import json

import pytest

from thaievents.data.validate import validate_lines

TEXT = "ตำรวจไทยจับแก๊งคอลเซ็นเตอร์ที่ปอยเปต"


def record(**overrides) -> str:
    base = {"id": "a1-p01", "article_id": "a1", "paragraph": 1, "text": TEXT, "entities": [], "cats": []}
    base.update(overrides)
    return json.dumps(base, ensure_ascii=False)


def test_valid_record_with_entity_at_the_very_end(nlp_blank) -> None:
    end = len(TEXT)
    result = validate_lines(
        [record(entities=[[end - 6, end, "LOCATION"]], cats=["CRACKDOWN"])], "g.jsonl", nlp_blank
    )
    assert result.problems == []
    assert result.paragraphs[0].entities[0].label == "LOCATION"


@pytest.mark.parametrize(
    ("line", "message", "is_span"),
    [
        ("{broken", "broken JSON", False),
        (json.dumps({"text": "x"}), "missing field(s) 'id'", False),
        (record(cats=["RAID"]), "unknown event category", False),
        (record(entities=[[5, 8, "COUNTRY"]]), "unknown entity label", True),
        (record(entities=[[5, 99, "LOCATION"]]), "out of range", True),
        (record(entities=[[0, 8, "ORGANIZATION"], [5, 8, "LOCATION"]]), "overlaps", True),
        (record(text="ไทย จีน", entities=[[0, 4, "LOCATION"]]), "whitespace", True),
        (record(entities=[[5, 7, "LOCATION"]]), "cuts a token", True),
    ],
)
def test_problems(nlp_blank, line: str, message: str, is_span: bool) -> None:
    result = validate_lines(["", line], "bad.jsonl", nlp_blank)
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert message in problem.message
    assert str(problem).startswith("bad.jsonl:2: ")
    assert problem.is_span is is_span


def test_threshold_counts_bad_spans(nlp_blank) -> None:
    lines = [record(id=f"a{i}-p01", entities=[[0, 5, "ORGANIZATION"]]) for i in range(9)]
    lines.append(record(id="a9-p01", entities=[[5, 7, "LOCATION"]]))
    result = validate_lines(lines, "g.jsonl", nlp_blank)
    assert (result.bad_spans, result.total_spans) == (1, 10)
    assert result.failed(0.05) and not result.failed(0.1)
