"""`extract --engine spark` on a local[2] Spark gives exactly the rows in-process `extract` gives."""

import json
import shutil
from pathlib import Path

import pytest

from thaievents.data.io import write_jsonl
from thaievents.serve.extract import extract, paragraph_rows
from thaievents.serve.load import load_pipeline

from ..conftest import fixture_gold, invoke

pytestmark = pytest.mark.server

pyarrow_parquet = pytest.importorskip("pyarrow.parquet")


def articles(count: int) -> list[dict]:
    """Gold articles of the fixture batches as extract inputs: id, paragraphs joined, a date."""
    texts: dict[str, list[str]] = {}
    for record in fixture_gold():
        texts.setdefault(record["article_id"], []).append(record["text"])
    chosen, paragraphs = [], 0
    for index, (article, lines) in enumerate(sorted(texts.items())):
        if paragraphs >= count:
            break
        date = None if index % 3 == 0 else f"2025-0{1 + index % 9}-1{index % 10}"  # some without a date
        chosen.append({"id": article, "text": "\n".join(lines), "date": date})
        paragraphs += len(lines)
    return chosen


def read_rows(folder: Path) -> list[dict]:
    rows = pyarrow_parquet.read_table(folder).to_pylist()
    return sorted(rows, key=lambda row: (row["id"], row["paragraph"]))


@pytest.fixture(scope="module")
def spark_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark") / "articles.jsonl"
    write_jsonl(path, articles(300))
    return path


def test_spark_rows_equal_in_process_rows(trained_pipeline: Path, spark_input: Path, tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.fail("Java 17+ is required for Spark (make java-check says how to install it)")
    model = trained_pipeline / "model" / "model-best"
    output = tmp_path / "rows.parquet"
    invoke(
        "extract", str(spark_input), "--engine", "spark", "--master", "local[2]",
        "--partitions", "3", "--model", str(model), "-o", str(output),
    )  # fmt: skip
    spark_rows = read_rows(output)

    inputs = [json.loads(line) for line in spark_input.read_text(encoding="utf-8").splitlines()]
    records = extract(
        load_pipeline(model), [r["text"] for r in inputs], schema="v2", dates=[r["date"] for r in inputs]
    )
    local_rows = sorted(
        (row for r, record in zip(inputs, records, strict=True) for row in paragraph_rows(r["id"], record)),
        key=lambda row: (row["id"], row["paragraph"]),
    )
    assert len(local_rows) >= 300
    assert sum(len(row["events"]) for row in local_rows) > 100  # the comparison covers event records
    sources = {(event["date"] or {}).get("source") for row in local_rows for event in row["events"]}
    assert {"article", "paragraph", None} <= sources  # article dates, paragraph dates, and neither
    assert spark_rows == local_rows


def test_spark_reports_a_missing_text_column(trained_pipeline: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from thaievents.cli import app

    bad = tmp_path / "bad.jsonl"
    write_jsonl(bad, [{"id": 1, "body": "ไม่มีข้อความ"}])
    result = CliRunner().invoke(
        app,
        ["extract", str(bad), "--engine", "spark", "--master", "local[1]",
         "--model", str(trained_pipeline / "model" / "model-best"), "-o", str(tmp_path / "out")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no 'text' column" in result.output
