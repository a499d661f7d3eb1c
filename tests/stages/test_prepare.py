"""prepare through the CLI: bad input fails loudly and writes nothing; good input splits by article."""

import json
from pathlib import Path

import spacy

from thaievents.docbin import read_docs

from ..conftest import run_prepare


def test_three_problems_three_errors_nothing_written(tmp_path: Path) -> None:
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    text = "ตำรวจไทยจับแก๊งคอลเซ็นเตอร์ที่ปอยเปต"
    lines = [
        json.dumps(
            {"id": "a1-p00", "text": text, "entities": [[5, 7, "LOCATION"]], "cats": []}, ensure_ascii=False
        ),
        json.dumps(
            {"id": "a2-p00", "text": text, "entities": [[0, 5, "WEAPON"]], "cats": []}, ensure_ascii=False
        ),
        '{"id": "a3-p00", "text": ',
    ]
    (annotations / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "training"
    result = run_prepare(annotations, out)
    assert result.exit_code != 0
    errors = [line for line in result.output.splitlines() if line.startswith(f"{annotations / 'bad.jsonl'}:")]
    assert [e.split(":")[1] for e in errors] == ["1", "2", "3"]
    assert "cuts a token" in errors[0] and "WEAPON" in errors[1] and "broken JSON" in errors[2]
    assert not out.exists() or not any(out.rglob("*"))


def test_splits_by_article_and_stores_gold(tmp_path: Path, tiny_annotations: Path) -> None:
    result = run_prepare(tiny_annotations, tmp_path)
    assert result.exit_code == 0, result.output
    seen: dict[str, str] = {}
    total = 0
    for split in ("train", "dev", "test"):
        docs = read_docs(tmp_path / "corpus" / f"{split}.spacy", spacy.blank("th").vocab)
        total += len(docs)
        for doc in docs:
            article = doc.user_data["article_id"]
            assert seen.setdefault(article, split) == split, f"{article} in two splits"
            assert set(doc.cats) == {"CRACKDOWN", "INTEL_SHARING", "VICTIM_ASSISTANCE", "DIPLOMATIC_FORUM"}
    assert total == len((tiny_annotations / "gold.jsonl").read_text(encoding="utf-8").splitlines())
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["spans"]["bad"] == 0
    assert sum(s["paragraphs"] for s in report["splits"].values()) == total


def test_two_runs_give_identical_docbins(tmp_path: Path, tiny_annotations: Path) -> None:
    run_prepare(tiny_annotations, tmp_path / "one")
    run_prepare(tiny_annotations, tmp_path / "two")
    for split in ("train", "dev", "test"):
        one = (tmp_path / "one" / "corpus" / f"{split}.spacy").read_bytes()
        assert one == (tmp_path / "two" / "corpus" / f"{split}.spacy").read_bytes()


def test_missing_annotations_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run_prepare(tmp_path / "nowhere", tmp_path)
    assert result.exit_code == 1
    assert "no *.jsonl" in result.output
