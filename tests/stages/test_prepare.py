"""prepare through the CLI: bad input fails loudly and writes nothing; good input splits by article."""

import json
from pathlib import Path

import spacy

from thaievents.data.docbin import read_docs

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


def _placement(out: Path) -> dict[str, str]:
    """paragraph id → the split prepare wrote it to."""
    placed = {}
    for split in ("train", "dev", "test"):
        for doc in read_docs(out / "corpus" / f"{split}.spacy", spacy.blank("th").vocab):
            placed[doc.user_data["id"]] = split
    return placed


def test_adding_articles_never_moves_old_paragraphs(tmp_path: Path, tiny_articles) -> None:
    """prepare twice, with new articles the second time: every old paragraph stays where it was."""
    from thaievents.data.io import write_jsonl

    old = [p.to_json() for a in tiny_articles for p in a.paragraphs]
    new = []
    for number in range(40):
        for record in old[:2]:
            copy = dict(record, article_id=f"z{number:03d}", id=f"z{number:03d}-p{record['paragraph']:02d}")
            new.append(copy)
    write_jsonl(tmp_path / "before" / "gold.jsonl", old)
    write_jsonl(tmp_path / "after" / "gold.jsonl", old)
    write_jsonl(tmp_path / "after" / "new.jsonl", new)
    assert run_prepare(tmp_path / "before", tmp_path / "one").exit_code == 0
    assert run_prepare(tmp_path / "after", tmp_path / "two").exit_code == 0
    before, after = _placement(tmp_path / "one"), _placement(tmp_path / "two")
    assert len(after) == len(before) + len(new)
    assert {k: after[k] for k in before} == before
    assert {after[r["id"]] for r in new} == {"train", "dev", "test"}, "new articles land in every split"


def test_duplicate_ids_and_bad_paragraph_numbers_name_their_lines(tmp_path: Path) -> None:
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    record = {"id": "a1-p00", "paragraph": 0, "text": "ข่าว", "entities": [], "cats": []}
    lines = [record, dict(record, id="a1-p01", paragraph="one"), record]
    (annotations / "gold.jsonl").write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    result = run_prepare(annotations, tmp_path / "out")
    assert result.exit_code == 1
    gold = annotations / "gold.jsonl"
    assert f"{gold}:2: field 'paragraph' must be an integer" in result.output
    assert f"{gold}:3: id 'a1-p00' already defined at {gold}:1" in result.output
    assert not (tmp_path / "out").exists()
