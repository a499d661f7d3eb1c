"""`thaievents corpus add`: raw JSONL, text and HTML in; normalised, cleaned, stable, no duplicates."""

import json
from pathlib import Path

from typer.testing import CliRunner

from thaievents.cli import app
from thaievents.data.importer import clean_paragraphs, read_html_article, read_text_article

from ..conftest import FIXTURES

runner = CliRunner()
PAGE = FIXTURES / "raw" / "page.html"


def add(tmp_path: Path, *sources: Path):
    return runner.invoke(
        app,
        [
            "corpus",
            "add",
            *map(str, sources),
            "--imported",
            str(tmp_path / "imported.jsonl"),
            "--articles",
            str(tmp_path / "articles.jsonl"),
        ],
    )


def imported(tmp_path: Path) -> list[dict]:
    return [
        json.loads(line) for line in (tmp_path / "imported.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def test_boilerplate_is_dropped_and_text_normalised() -> None:
    kept, dropped = clean_paragraphs(
        ["ข่าวโดย: ทีมข่าว", "แชร์", "เข้าชม 1,234 ครั้ง", "ตำรวจ\u200bไทย\u00a0จับ", "  "]
    )
    assert kept == ["ตำรวจไทย จับ"]
    assert dropped == ["ข่าวโดย: ทีมข่าว", "แชร์", "เข้าชม 1,234 ครั้ง"]


def test_html_page_gives_its_main_text_without_furniture() -> None:
    article = read_html_article(PAGE)
    assert article.title == "ตร.ไทยรวบแก๊งคอลเซ็นเตอร์ 12 ราย ที่ปอยเปต"
    assert len(article.paragraphs) == 2 and article.paragraphs[0].startswith("วันนี้ (16 ต.ค.68)")
    body = " ".join(article.paragraphs)
    for furniture in ("หน้าแรก", "ข่าวยอดนิยม", "สงวนลิขสิทธิ์", "ข่าวโดย", "เข้าชม"):
        assert furniture not in body
    assert article.date == "2025-10-16"


def test_jsonl_text_and_html_are_added_with_stable_ids(tmp_path: Path) -> None:
    jsonl = tmp_path / "in.jsonl"
    records = [
        {"title": "ทลายแก๊งคอลฯ", "date": "2025-01-02", "outlet": "wire", "text": "ย่อหน้าแรก\n\nย่อหน้าสอง\nแชร์"},
        {"title": "ส่งกลับเหยื่อ", "paragraphs": ["ย่อหน้าเดียว"], "url": "https://example.org/x"},
    ]
    jsonl.write_bytes(
        b"\xef\xbb\xbf" + "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    )
    text = tmp_path / "story.txt"
    text.write_text("หัวข่าว\n\nเนื้อข่าว ตำรวจไทย\u200b จับกุม\n", encoding="utf-8")
    result = add(tmp_path, jsonl, text, PAGE)
    assert result.exit_code == 0, result.output
    rows = imported(tmp_path)
    assert [r["title"] for r in rows] == ["ทลายแก๊งคอลฯ", "ส่งกลับเหยื่อ", "หัวข่าว", read_html_article(PAGE).title]
    assert rows[0]["paragraphs"] == ["ทลายแก๊งคอลฯ", "ย่อหน้าแรก", "ย่อหน้าสอง"]  # headline is paragraph 0
    assert rows[2]["paragraphs"][1] == "เนื้อข่าว ตำรวจไทย จับกุม"
    assert len({r["id"] for r in rows}) == 4 and all(r["id"].startswith("r") for r in rows)
    assert [r["id"] for r in rows] == [
        read_text_article(text).id if r["title"] == "หัวข่าว" else r["id"] for r in rows
    ]


def test_the_same_text_again_is_refused_and_nothing_rewritten(tmp_path: Path) -> None:
    assert add(tmp_path, PAGE).exit_code == 0
    before = (tmp_path / "imported.jsonl").read_bytes()
    copy = tmp_path / "copy.html"
    copy.write_text(
        PAGE.read_text(encoding="utf-8").replace("ข่าวทดสอบ</title>", "อีกชื่อ</title>"), encoding="utf-8"
    )
    result = add(tmp_path, copy)
    assert (
        result.exit_code == 0
        and "already in the corpus as r" in result.output
        and "not added" in result.output
    )
    assert (tmp_path / "imported.jsonl").read_bytes() == before


def test_an_annotated_article_is_refused_too(tmp_path: Path) -> None:
    text = tmp_path / "story.txt"
    text.write_text("หัวข่าว\nเนื้อข่าว\n", encoding="utf-8")
    (tmp_path / "articles.jsonl").write_text(
        json.dumps({"id": "a1001", "paragraphs": ["หัวข่าว", "เนื้อข่าว"]}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = add(tmp_path, text)
    assert "already in the corpus as a1001" in result.output
    assert not (tmp_path / "imported.jsonl").exists()


def test_bad_sources_name_file_and_line_and_write_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "ok", "text": "x"}\n{"text": "no title"}\n', encoding="utf-8")
    result = add(tmp_path, bad)
    assert result.exit_code == 1 and f"{bad}:2:" in result.output and '"title"' in result.output
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK")
    assert "unknown kind of file" in add(tmp_path, odd).output
    assert not (tmp_path / "imported.jsonl").exists()
