"""The shipped gold event records follow the guidelines and cover what they claim."""

import json
from pathlib import Path

from thaievents.evaluation.records import record_agreement
from thaievents.records.crosswalk import Crosswalk
from thaievents.records.gold import gold_paragraphs, read_record_folder, read_records

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ROOT / "annotations" / "records"
CROSSWALK = Crosswalk.load(ROOT / "configs" / "event_crosswalk.yaml")


def paragraphs() -> dict:
    lines = []
    for path in (ROOT / "annotations" / "gold.jsonl", ROOT / "annotations" / "challenge" / "challenge.jsonl"):
        lines += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return gold_paragraphs(lines, {})


def test_every_gold_record_checks_and_every_annotated_category_has_one() -> None:
    known = paragraphs()
    records = read_record_folder(RECORDS, known, CROSSWALK)
    assert len(records) >= 250
    articles = {r.paragraph.rsplit("-p", 1)[0] for r in records}
    expected = {
        (pid, category)
        for pid, paragraph in known.items()
        if pid.rsplit("-p", 1)[0] in articles
        for category in paragraph.cats
    }
    assert {(r.paragraph, r.category) for r in records} == expected
    assert all(r.published for r in records), "every record carries its article's publication date"
    assert {r.category for r in records} == set(CROSSWALK.categories)
    assert len({r.mode for r in records}) >= 10, "modes follow triggers, not one per category"


def test_the_second_pass_covers_forty_records_and_agrees_above_a_floor() -> None:
    known = paragraphs()
    second = read_records(RECORDS / "second_pass" / "test1-r5.jsonl", known, CROSSWALK)
    first = {(r.paragraph, r.category): r for r in read_record_folder(RECORDS, known, CROSSWALK)}
    assert len(second) >= 40
    assert all((r.paragraph, r.category) in first for r in second)
    agreement = record_agreement([first[(r.paragraph, r.category)] for r in second], second)
    assert agreement["records"] == len(second)
    assert agreement["mode"] > 0.6 and agreement["location"]["f"] > 0.5


def test_every_gold_record_survives_a_doccano_relation_round_trip() -> None:
    """Spans plus relations hold the records: converting there and back changes nothing
    but money, which doccano's relation project does not carry."""
    from thaievents.annotate.records import doccano_lines, records_from_doccano
    from thaievents.records.gold import check_record

    known = paragraphs()
    records = read_record_folder(RECORDS, known, CROSSWALK)
    back = [
        check_record(raw, known, CROSSWALK)
        for line in doccano_lines(known, records)
        for raw in records_from_doccano(line)
    ]
    key = lambda r: (r.paragraph, r.category)  # noqa: E731
    assert len(back) == len(records)
    for original, returned in zip(sorted(records, key=key), sorted(back, key=key), strict=True):
        original.money, original.annotator = [], ""
        assert returned == original
