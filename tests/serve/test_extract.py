"""`thaievents extract`: records in order with ids, schema-valid, robust to odd input."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thaievents.cli import app
from thaievents.extract import chunk_texts, split_long, split_paragraphs
from thaievents.serve.schema import validate_record

runner = CliRunner()
LONG = " ".join(["ตำรวจไทยจับกุมผู้ต้องหาแก๊งคอลเซ็นเตอร์ที่ปอยเปต"] * 300)


def run_extract(trained: Path, *args: str, stdin: str | None = None):
    return runner.invoke(
        app,
        [
            "extract",
            *args,
            "--model",
            str(trained / "model" / "model-last"),
            "--thresholds",
            str(trained / "evaluate" / "thresholds.json"),
        ],
        input=stdin,
    )


def records_of(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_jsonl_in_order_with_ids_and_schema(trained_pipeline: Path, tmp_path: Path) -> None:
    inputs = [
        {"id": "a", "text": "เมื่อวันที่ 3 มี.ค. 2568 ตำรวจไทยและกัมพูชาประชุมร่วมกันที่ปอยเปต\nFBI ส่งข้อมูลให้ บช.สอท."},
        {"id": 7, "text": ""},
        {"id": "en", "text": "Police raided a compound. No Thai here!"},
        {"id": "long", "text": LONG},
        {"id": "zw", "text": "\ufeffแก๊ง\u200bคอลเซ็นเตอร์"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in inputs) + "\n\n", encoding="utf-8")
    result = run_extract(trained_pipeline, str(source), "--output", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", 7, "en", "long", "zw"]
    for source_record, record in zip(inputs, records, strict=True):
        validate_record(record)
        for paragraph in record["paragraphs"]:
            assert source_record["text"][paragraph["start"] : paragraph["end"]] == paragraph["text"]
            for entity in paragraph["entities"]:
                assert source_record["text"][entity["start"] : entity["end"]] == entity["text"]
    assert len(records[0]["paragraphs"]) == 2
    assert records[1]["paragraphs"] == [] and records[1]["events"] == []
    assert len(records[3]["paragraphs"]) > 1, "a very long paragraph is chunked"


def test_plain_text_from_stdin_is_one_article(trained_pipeline: Path) -> None:
    result = run_extract(trained_pipeline, stdin="ตำรวจไทยจับสแกมเมอร์\n\nกัมพูชาส่งตัวผู้ต้องหา\n")
    assert result.exit_code == 0, result.output
    (record,) = records_of(result.output)
    assert record["id"] == "<stdin>" and len(record["paragraphs"]) == 2


@pytest.mark.parametrize(("content", "message"), [('{"id": 1}\n', '"text"'), ('{"id": 1, \n', "broken JSON")])
def test_bad_input_names_the_line(trained_pipeline: Path, tmp_path: Path, content: str, message: str) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text(content, encoding="utf-8")
    result = run_extract(trained_pipeline, str(source), "--format", "jsonl")
    assert result.exit_code == 1
    assert f"{source}:1:" in result.output and message in result.output


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", "--model", str(tmp_path / "none")], input="ข้อความ")
    assert result.exit_code == 1 and "not a spaCy pipeline" in result.output


def test_paragraph_and_chunk_offsets() -> None:
    text = "  หนึ่ง \n\n สอง\n"
    assert split_paragraphs(text) == [(2, "หนึ่ง"), (11, "สอง")]
    pieces = list(split_long(5, "ก" * 10 + " " + "ข" * 10, limit=12))
    assert pieces == [(5, "ก" * 10), (16, "ข" * 10)]
    assert [c.row for c in chunk_texts(["ก\nข", "", "ค"])] == [0, 0, 2]
