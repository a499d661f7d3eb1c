"""`thaievents extract`: records in order with ids, schema-valid, robust to odd input."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thaievents.cli import app
from thaievents.serve.extract import chunk_texts, paragraph_spans, split_long
from thaievents.serve.schema import validate_extraction

runner = CliRunner()
LONG = " ".join(["ตำรวจไทยจับกุมผู้ต้องหาแก๊งคอลเซ็นเตอร์ที่ปอยเปต"] * 300)


def run_extract(trained: Path, *args: str, stdin: str | None = None):
    return runner.invoke(
        app,
        [
            "extract",
            *args,
            "--model",
            str(trained / "model" / "model-best"),
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
        validate_extraction(record)
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
    assert paragraph_spans(text) == [(2, "หนึ่ง"), (11, "สอง")]
    pieces = list(split_long(5, "ก" * 10 + " " + "ข" * 10, limit=12))
    assert pieces == [(5, "ก" * 10), (16, "ข" * 10)]
    assert [c.row for c in chunk_texts(["ก\nข", "", "ค"])] == [0, 0, 2]


def test_bom_jsonl_gives_its_records(trained_pipeline: Path, tmp_path: Path) -> None:
    source = tmp_path / "excel.jsonl"
    lines = [json.dumps({"id": i, "text": "ตำรวจไทยจับกุมแก๊งคอลเซ็นเตอร์"}, ensure_ascii=False) for i in (1, 2)]
    source.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    result = run_extract(trained_pipeline, str(source))
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in records_of(result.output)] == [1, 2]


def test_empty_jsonl_gives_zero_records(trained_pipeline: Path, tmp_path: Path) -> None:
    source = tmp_path / "empty.jsonl"
    source.write_text("", encoding="utf-8")
    result = run_extract(trained_pipeline, str(source), "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == ""
    assert "extracted 0 record(s)" in result.output


def test_non_utf8_input_names_file_and_line(trained_pipeline: Path, tmp_path: Path) -> None:
    source = tmp_path / "tis620.jsonl"
    good = json.dumps({"id": 1, "text": "ok"}).encode()
    source.write_bytes(good + b"\n" + '{"id": 2, "text": "ตำรวจ"}'.encode("tis-620") + b"\n")
    result = run_extract(trained_pipeline, str(source))
    assert result.exit_code == 1
    assert f"{source}:2: not UTF-8" in result.output


def test_output_follows_the_umask(trained_pipeline: Path, tmp_path: Path) -> None:
    import os
    import stat

    previous = os.umask(0o022)
    try:
        result = run_extract(trained_pipeline, "-o", str(tmp_path / "out.jsonl"), stdin="ตำรวจไทย")
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "out.jsonl").stat().st_mode) == 0o644


CLEAN = "ตำรวจไทยและกัมพูชาทลายแก๊งคอลเซ็นเตอร์ที่ปอยเปต เมื่อวันที่ 3 มี.ค. 2568 จับกุมผู้ต้องหา 40 คน"


@pytest.mark.parametrize(
    "dirty",
    [
        CLEAN.replace("แก๊งคอล", "แก๊ง\u200bคอล").replace("ปอยเปต", "ปอย\u200bเปต"),
        CLEAN.replace(" ", "\u00a0"),
        "\ufeff" + CLEAN.replace("กัมพูชา", "กัมพู\ufeffชา"),
    ],
    ids=["zwsp", "nbsp", "bom"],
)
def test_invisible_characters_change_nothing_but_offsets(trained_pipeline: Path, dirty: str) -> None:
    from thaievents.serve.extract import extract
    from thaievents.serve.load import load_pipeline

    nlp = load_pipeline(trained_pipeline / "model" / "model-best")
    clean, noisy = extract(nlp, [CLEAN, dirty])
    assert noisy["events"] == clean["events"]
    clean_entities = [(e["label"], e["text"]) for p in clean["paragraphs"] for e in p["entities"]]
    noisy_entities = [(e["label"], e["text"]) for p in noisy["paragraphs"] for e in p["entities"]]
    assert clean_entities, "the model finds entities in the clean text"
    assert [label for label, _ in noisy_entities] == [label for label, _ in clean_entities]
    for (_, clean_text), (_, noisy_text), entity in zip(
        clean_entities, noisy_entities, [e for p in noisy["paragraphs"] for e in p["entities"]], strict=True
    ):
        assert dirty[entity["start"] : entity["end"]] == noisy_text  # offsets into the caller's string
        assert noisy_text.replace("\u200b", "").replace("\ufeff", "").replace("\u00a0", " ") == clean_text


def test_every_entity_extract_returns_is_a_slice_of_the_input(trained_pipeline: Path) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from thaievents.serve.extract import extract
    from thaievents.serve.load import load_pipeline

    nlp = load_pipeline(trained_pipeline / "model" / "model-best")
    pieces = [
        "ตำรวจไทย",
        "จับกุม",
        "นายสมชาย ใจดี",
        "ที่ปอยเปต",
        "เมื่อ 16 ต.ค.68",
        "FBI",
        "\u200b",
        "\u00a0",
        "\ufeff",
        "\n",
        " ",
        "😀",
        "5 ล้านบาท",
    ]

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(pieces), max_size=20).map("".join))
    def check(text: str) -> None:
        (record,) = extract(nlp, [text])
        for paragraph in record["paragraphs"]:
            assert text[paragraph["start"] : paragraph["end"]] == paragraph["text"]
            for entity in paragraph["entities"]:
                assert text[entity["start"] : entity["end"]] == entity["text"]
                assert entity["text"].strip()

    check()


# Written for this test in the shape of a foreign-ministry briefing (issue: event records);
# the second paragraph has no date of its own and takes the article's.
BRIEFING = (
    "วันนี้ (16 ต.ค.68) นายสมชาย ใจดี อธิบดีกรมสารนิเทศ กระทรวงการต่างประเทศ เปิดเผยว่า "
    "ไทยและสหรัฐฯ ได้แลกเปลี่ยนข้อมูลข่าวกรองเกี่ยวกับเครือข่ายแก๊งคอลเซ็นเตอร์และสแกมเมอร์ "
    "เพื่อร่วมกันปราบปรามอาชญากรรมข้ามชาติ\n"
    "ทั้งนี้ ไทยได้ส่งรายชื่อผู้ต้องสงสัยให้สหรัฐฯ ตรวจสอบเพิ่มเติม"
)


def test_a_briefing_gives_an_intel_sharing_record_coded_cooperate(
    trained_pipeline: Path, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    source = tmp_path / "briefing.jsonl"
    source.write_text(
        json.dumps({"id": "mfa", "text": BRIEFING, "date": "2025-10-16"}, ensure_ascii=False) + "\n"
    )
    result = run_extract(
        trained_pipeline, str(source), "-o", str(tmp_path / "out.jsonl"),
        "--records", str(tmp_path / "events.parquet"), "--plover", str(tmp_path / "plover.jsonl"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (record,) = records_of((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    validate_extraction(record)
    assert record["schema_version"] == "2.0"
    intel = [e for p in record["paragraphs"] for e in p["events"] if e["category"] == "INTEL_SHARING"]
    assert intel, record
    first = intel[0]
    assert first["plover"]["category"] == "COOPERATE" and first["cameo"] == "064"
    participants = {m["text"] for m in first["actor"] + first["recipient"]}
    assert {"ไทย", "สหรัฐฯ"} <= participants, first
    assert first["date"]["value"] == "2025-10-16"
    for event in intel:
        assert event["date"]["value"] == "2025-10-16"  # the undated paragraph takes the article's date
        for role in ("actor", "recipient", "location"):
            for mention in event[role]:
                assert BRIEFING[mention["start"] : mention["end"]] == mention["text"]
    rows = pq.read_table(tmp_path / "events.parquet").to_pylist()
    assert any(r["category"] == "INTEL_SHARING" and r["plover_category"] == "COOPERATE" for r in rows)
    assert all(r["article"] == "mfa" and r["date"] == "2025-10-16" for r in rows)
    plover = [
        json.loads(line) for line in (tmp_path / "plover.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(plover) == len(rows) and any(e["event_type"] == "COOPERATE" for e in plover)


def test_schema_v1_keeps_the_old_output_and_bad_dates_name_the_line(
    trained_pipeline: Path, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": BRIEFING}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_extract(trained_pipeline, str(source), "--schema", "v1")
    assert result.exit_code == 0, result.output
    (record,) = records_of(result.output)
    validate_extraction(record)
    assert record["schema_version"] == "1.0"
    assert all(set(e) == {"category", "score"} for p in record["paragraphs"] for e in p["events"])
    refused = run_extract(
        trained_pipeline, str(source), "--schema", "v1", "--records", str(tmp_path / "x.parquet")
    )
    assert refused.exit_code == 2 and "schema v2" in refused.output
    source.write_text(json.dumps({"text": BRIEFING, "date": "16/10/2568"}, ensure_ascii=False) + "\n")
    bad = run_extract(trained_pipeline, str(source))
    assert bad.exit_code == 1 and "in.jsonl:1:" in bad.output and "ISO date" in bad.output


def test_blocks_keep_order_and_reach_their_size() -> None:
    from thaievents.serve.extract import blocks_of

    items = [(row, "ก" * length, None) for row, length in enumerate([5, 3, 9, 1, 1, 4, 2])]
    blocks = blocks_of(items, chars=8)
    assert [item for block in blocks for item in block] == items
    assert all(sum(len(text) for _, text, _ in block) >= 8 for block in blocks[:-1])
    assert [len(block) for block in blocks] == [2, 1, 4]


def test_two_workers_extract_what_one_process_does(trained_pipeline: Path, monkeypatch) -> None:
    """Workers run whole blocks (chunking, model, event records) and send back plain records."""
    from thaievents.data.docbin import read_docs
    from thaievents.serve import extract as extraction
    from thaievents.serve.load import load_pipeline

    nlp = load_pipeline(trained_pipeline / "model" / "model-best")
    texts = [d.text for d in read_docs(trained_pipeline / "corpus" / "test.spacy", nlp.vocab)][:40]
    texts = [*texts, "", LONG, BRIEFING]
    dates = ["2025-10-16"] * len(texts)
    monkeypatch.setattr(extraction, "BLOCK_CHARS", 2000)  # several blocks, so both workers work
    assert len(extraction.blocks_of([(i, t, None) for i, t in enumerate(texts)])) > 4

    def run(n_process: int) -> tuple[list[dict], list[int]]:
        words: list[int] = []
        records = extraction.extract(
            nlp, texts, n_process=n_process, schema="v2", dates=dates, on_paragraph=words.append
        )
        return records, words

    one, one_words = run(1)
    assert any(p["entities"] for r in one for p in r["paragraphs"])
    assert any(r["events"] for r in one)
    assert run(2) == (one, one_words)


def test_a_clean_chunk_maps_each_character_to_itself_as_the_walk_does() -> None:
    from thaievents.nlp.text import normalize_with_offsets
    from thaievents.serve.extract import Chunk

    for text in (CLEAN, "\ufeff" + CLEAN, CLEAN.replace(" ", "  ")):
        chunk = Chunk.of(0, 0, text)
        assert (chunk.normalised, list(chunk.starts), list(chunk.ends)) == normalize_with_offsets(text)


def test_the_batch_size_changes_no_record(trained_pipeline: Path) -> None:
    """The NER decodes a whole batch per step; records come out the same for any batch."""
    from thaievents.data.docbin import read_docs
    from thaievents.serve import extract as extraction
    from thaievents.serve.load import load_pipeline

    nlp = load_pipeline(trained_pipeline / "model" / "model-best")
    texts = [d.text for d in read_docs(trained_pipeline / "corpus" / "test.spacy", nlp.vocab)][:60]
    texts = [*texts, "", LONG, BRIEFING]
    shipped = extraction.extract(nlp, texts, schema="v2")
    assert any(p["entities"] for r in shipped for p in r["paragraphs"])
    for batch_size in (1, 7, 64):
        assert extraction.extract(nlp, texts, schema="v2", batch_size=batch_size) == shipped
