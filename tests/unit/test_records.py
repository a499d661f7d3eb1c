"""Event records: crosswalk coding, gold-record checks, counts, role linkers, tables, scoring."""

import datetime as dt
import json
from pathlib import Path

import pytest

from thaievents.evaluation.records import ParagraphInput, mentions_of, score_linker
from thaievents.records.build import date_record, paragraph_events
from thaievents.records.counts import currency, find_counts, money_amount
from thaievents.records.crosswalk import Crosswalk
from thaievents.records.gold import GoldParagraph, RecordError, check_record, read_records
from thaievents.records.linking import Mention, is_state, link
from thaievents.records.table import event_rows, write_parquet, write_plover_jsonl

ROOT = Path(__file__).resolve().parents[2]
CROSSWALK = Crosswalk.load(ROOT / "configs" / "event_crosswalk.yaml")

# Built for this test in the shape of a foreign-ministry briefing lead (not a real article).
BRIEFING = (
    "วันนี้ (16 ต.ค.68) นายสมชาย ใจดี อธิบดีกรมสารนิเทศ กระทรวงการต่างประเทศ เปิดเผยว่า "
    "ไทยและสหรัฐฯ ได้แลกเปลี่ยนข้อมูลเกี่ยวกับเครือข่ายแก๊งคอลเซ็นเตอร์ในภูมิภาคอย่างใกล้ชิด"
)


def spans(text: str, *pieces: tuple[str, str]) -> list[tuple[int, int, str]]:
    found = []
    for piece, label in pieces:
        start = text.index(piece)
        found.append((start, start + len(piece), label))
    return found


BRIEFING_SPANS = spans(
    BRIEFING,
    ("16 ต.ค.68", "DATE"),
    ("นายสมชาย ใจดี", "PERSON"),
    ("กรมสารนิเทศ", "ORGANIZATION"),
    ("กระทรวงการต่างประเทศ", "ORGANIZATION"),
    ("ไทย", "LOCATION"),
    ("สหรัฐฯ", "LOCATION"),
)


@pytest.mark.parametrize(
    ("text", "category", "mode", "plover", "cameo"),
    [
        ("ตำรวจจับกุมผู้ต้องหา 12 คน", "CRACKDOWN", "arrest", "COERCE", "173"),
        ("เจ้าหน้าที่ตรวจยึดโทรศัพท์มือถือ", "CRACKDOWN", "seize", "COERCE", "1711"),
        ("ทางการเนรเทศชาวต่างชาติ 40 คน", "CRACKDOWN", "deport", "COERCE", "174"),
        ("กฟภ.ตัดไฟ 5 จุด", "CRACKDOWN", "restrict", "COERCE", "172"),
        ("ไทยและลาวแลกเปลี่ยนข้อมูลเป้าหมาย", "INTEL_SHARING", "exchange", "COOPERATE", "064"),
        ("ส่งรายชื่อผู้ต้องสงสัยให้ตำรวจจีน", "INTEL_SHARING", "share", "COOPERATE", "064"),
        ("ส่งตัวกลับคนไทย 58 คน", "VICTIM_ASSISTANCE", "repatriate", "AID", "0841"),
        ("ให้ความช่วยเหลือผู้เสียหาย", "VICTIM_ASSISTANCE", "assist", "AID", "073"),
        ("สองประเทศลงนามบันทึกความเข้าใจ", "DIPLOMATIC_FORUM", "sign", "AGREE", "057"),
        ("รัฐมนตรีเดินทางเยือนกัมพูชา", "DIPLOMATIC_FORUM", "visit", "CONSULT", "042"),
    ],
)
def test_the_mode_follows_the_trigger(text: str, category: str, mode: str, plover: str, cameo: str) -> None:
    trigger = CROSSWALK.find_trigger(text, category)
    assert trigger is not None and trigger[2] == mode
    coding = CROSSWALK.coding(category, trigger[2])
    assert (coding.plover, coding.cameo) == (plover, cameo)


def test_the_earliest_and_then_longest_trigger_wins() -> None:
    text = "เจ้าหน้าที่ตรวจยึดทรัพย์ แล้วจับกุมผู้ต้องหา"
    start, end, mode = CROSSWALK.find_trigger(text, "CRACKDOWN") or (0, 0, "")
    assert (text[start:end], mode) == ("ตรวจยึด", "seize")
    assert CROSSWALK.find_trigger("ไม่มีเหตุการณ์", "CRACKDOWN") is None
    assert CROSSWALK.coding("CRACKDOWN", None).mode == "arrest"  # the default mode


def test_a_crosswalk_without_categories_is_refused() -> None:
    with pytest.raises(ValueError, match="categories"):
        Crosswalk({"version": 1})


PARAGRAPHS = {
    "x1-p00": GoldParagraph("x1-p00", BRIEFING, tuple(BRIEFING_SPANS), ("INTEL_SHARING",), "2025-10-16"),
}
GOOD = {
    "paragraph": "x1-p00",
    "category": "INTEL_SHARING",
    "trigger": "แลกเปลี่ยนข้อมูล",
    "mode": "exchange",
    "actor": ["ไทย", "สหรัฐฯ"],
    "recipient": [],
    "location": [],
    "date": {"text": "16 ต.ค.68", "value": "2025-10-16"},
    "counts": [],
    "money": [],
}


def test_a_good_record_resolves_its_trigger() -> None:
    record = check_record(GOOD, PARAGRAPHS, CROSSWALK)
    assert BRIEFING[record.trigger_start :].startswith("แลกเปลี่ยนข้อมูล")
    assert record.actor == sorted(["ไทย", "สหรัฐฯ"])
    assert record.published == "2025-10-16"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "CRACKDOWN"}, "not among the gold cats"),
        ({"mode": "arrest"}, "not one of INTEL_SHARING"),
        ({"trigger": "ปราบปราม"}, "not in the paragraph"),
        ({"actor": ["ลาว"]}, "no gold"),
        ({"location": ["กรมสารนิเทศ"]}, "no gold LOCATION"),
        ({"date": {"text": "17 ต.ค.68", "value": "2025-10-17"}}, "no gold DATE"),
        ({"date": {"text": None, "value": "16/10/2568"}}, "not ISO"),
        ({"counts": [{"what": "arrested", "text": "7 คน", "value": 7}]}, "not in the paragraph"),
        ({"counts": [{"what": "lost", "text": "ไทย", "value": 7}]}, "each count needs what"),
        ({"paragraph": "x9-p00"}, "unknown paragraph"),
    ],
)
def test_a_bad_record_says_what_is_wrong(change: dict, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        check_record({**GOOD, **change}, PARAGRAPHS, CROSSWALK)


def test_a_file_names_the_line_and_refuses_a_second_record(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (GOOD, GOOD)) + "\n", encoding="utf-8"
    )
    with pytest.raises(RecordError, match=r"records.jsonl:2: a second INTEL_SHARING record"):
        read_records(path, PARAGRAPHS, CROSSWALK)
    path.write_text(json.dumps({**GOOD, "mode": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"records.jsonl:1: "):
        read_records(path, PARAGRAPHS, CROSSWALK)
    assert read_records(path, {}, CROSSWALK, known_only=True) == []


def test_counts_take_their_kind_from_the_nearest_cue() -> None:
    text = "ตำรวจจับกุมผู้ต้องหาได้กว่า 7 พันคน และช่วยเหลือเหยื่อ 3,700 คน"
    crackdown = find_counts(text, "CRACKDOWN", CROSSWALK.counts, "arrest")
    assert (crackdown[0]["what"], crackdown[0]["value"]) == ("arrested", 7000)
    assert text[crackdown[0]["start"] : crackdown[0]["end"]] == crackdown[0]["text"]
    aid = find_counts(text, "VICTIM_ASSISTANCE", CROSSWALK.counts, "rescue")
    assert ("rescued", 3700) in {(c["what"], c["value"]) for c in aid}
    assert find_counts("ยึดโทรศัพท์ 300 เครื่อง", "CRACKDOWN", CROSSWALK.counts, "seize") == []


def test_money_has_an_amount_and_a_currency() -> None:
    assert money_amount("1.2 หมื่นล้านบาท", 0, 15) == {
        "text": "1.2 หมื่นล้านบาท", "start": 0, "end": 15, "amount": 12_000_000_000.0, "currency": "THB",
    }  # fmt: skip
    assert currency("15 ล้านดอลลาร์สหรัฐ") == "USD"
    assert money_amount("หลายล้านบาท", 0, 11) is None


def test_states_are_told_from_places() -> None:
    assert is_state(Mention(0, 3, "LOCATION", "ไทย"))
    assert is_state(Mention(0, 6, "LOCATION", "สหรัฐฯ"))
    assert not is_state(Mention(0, 6, "LOCATION", "จ.ตาก"))
    assert not is_state(Mention(0, 3, "ORGANIZATION", "ไทย"))


@pytest.mark.parametrize("linker", ["nearest", "window", "syntax", "hybrid"])
def test_every_linker_finds_the_two_states_of_the_briefing(linker: str) -> None:
    mentions = mentions_of(BRIEFING, BRIEFING_SPANS)
    trigger = CROSSWALK.find_trigger(BRIEFING, "INTEL_SHARING")
    roles = link(linker, BRIEFING, mentions, trigger)
    parties = {m.text for m in roles.actor + roles.recipient}
    if linker != "nearest":  # the baseline takes one actor: the nearest party, สหรัฐฯ
        assert {"ไทย", "สหรัฐฯ"} <= parties
    assert "สหรัฐฯ" in parties
    assert "นายสมชาย ใจดี" not in {m.text for m in roles.actor}  # the speaker is not the actor


def test_a_briefing_paragraph_becomes_a_cooperate_record_dated_from_its_text() -> None:
    mentions = mentions_of(BRIEFING, BRIEFING_SPANS)
    (event,) = paragraph_events(
        BRIEFING, mentions, [("INTEL_SHARING", 0.9)], dt.date(2025, 10, 16), CROSSWALK, "hybrid"
    )
    assert event["plover"] == {
        "category": "COOPERATE",
        "mode": "exchange",
        "context": ["intelligence", "crime"],
    }
    assert event["cameo"] == "064"
    assert {m["text"] for m in event["actor"]} == {"ไทย", "สหรัฐฯ"}
    assert event["date"]["value"] == "2025-10-16" and event["date"]["source"] == "paragraph"
    assert BRIEFING[event["trigger"]["start"] : event["trigger"]["end"]] == event["trigger"]["text"]


def test_an_undated_paragraph_takes_the_article_date_and_ranges_are_intervals() -> None:
    undated = date_record(None, dt.date(2025, 3, 2))
    assert undated == {
        "text": None, "start": None, "end": None,
        "value": "2025-03-02", "granularity": "day", "source": "article",
    }  # fmt: skip
    assert date_record(None, None) is None
    ranged = date_record(Mention(4, 12, "DATE", "1–3 ก.ค."), dt.date(2025, 7, 10))
    assert ranged is not None and ranged["value"] == "2025-07-01/2025-07-03"


def test_event_rows_and_their_parquet_and_plover_files(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    mentions = mentions_of(BRIEFING, BRIEFING_SPANS)
    events = paragraph_events(
        BRIEFING, mentions, [("INTEL_SHARING", 0.9)], dt.date(2025, 10, 16), CROSSWALK, "window"
    )
    record = {"id": "mfa-1", "paragraphs": [{"text": BRIEFING, "events": events}]}
    rows = event_rows([record])
    write_parquet(rows, tmp_path / "events.parquet")
    (back,) = pq.read_table(tmp_path / "events.parquet").to_pylist()
    assert (
        back["article"] == "mfa-1" and back["plover_category"] == "COOPERATE" and back["date"] == "2025-10-16"
    )
    assert set(back["actor"]) == {"ไทย", "สหรัฐฯ"}
    write_parquet([], tmp_path / "empty.parquet")  # typed columns with no rows
    assert pq.read_table(tmp_path / "empty.parquet").num_rows == 0
    write_plover_jsonl(rows, tmp_path / "events.jsonl")
    (line,) = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["event_type"] == "COOPERATE"
    with pytest.raises(ValueError, match="schema v2"):
        event_rows(
            [{"id": 1, "paragraphs": [{"text": "x", "events": [{"category": "CRACKDOWN", "score": 1.0}]}]}]
        )


def test_scores_are_perfect_on_gold_and_drop_when_a_role_is_missed() -> None:
    record = check_record(GOOD, PARAGRAPHS, CROSSWALK)
    inputs = {
        "x1-p00": ParagraphInput(
            BRIEFING, mentions_of(BRIEFING, BRIEFING_SPANS), (("INTEL_SHARING", 1.0),), "2025-10-16"
        )
    }
    scored = score_linker([record], inputs, CROSSWALK, "window", seed=0, samples=50)
    assert scored["actor"]["f"] == 1.0 and scored["date_value"]["accuracy"] == 1.0
    assert scored["plover_mode"]["accuracy"] == 1.0
    wrong = check_record({**GOOD, "actor": ["กรมสารนิเทศ"]}, PARAGRAPHS, CROSSWALK)
    assert score_linker([wrong], inputs, CROSSWALK, "window", seed=0, samples=50)["actor"]["f"] == 0.0
