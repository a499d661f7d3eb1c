"""Event records as analysts take them: one row per event (Parquet), and PLOVER-style JSONL.

A row names its article and paragraph, the category with its PLOVER and CAMEO coding,
the role entities as lists of texts, the date value, the counts and the paragraph text,
so a table can be counted, mapped and charted without reading the nested JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from thaievents.data.io import atomic_path

COLUMNS = (
    "article",
    "paragraph",
    "category",
    "score",
    "plover_category",
    "plover_mode",
    "plover_context",
    "cameo",
    "trigger",
    "actor",
    "recipient",
    "location",
    "date",
    "date_text",
    "date_source",
    "counts",
    "money",
    "text",
)


def event_rows(records: Iterable[dict]) -> list[dict]:
    """Flatten v2 extraction records (with ``id``) into one dict per paragraph event."""
    rows = []
    for record in records:
        for index, paragraph in enumerate(record["paragraphs"]):
            for event in paragraph["events"]:
                if "plover" not in event:
                    raise ValueError("event rows need schema v2 records (extract --schema v2)")
                date = event["date"] or {}
                rows.append(
                    {
                        "article": str(record.get("id")),
                        "paragraph": index,
                        "category": event["category"],
                        "score": float(event["score"]),
                        "plover_category": event["plover"]["category"],
                        "plover_mode": event["plover"]["mode"],
                        "plover_context": list(event["plover"]["context"]),
                        "cameo": event["cameo"],
                        "trigger": (event["trigger"] or {}).get("text"),
                        "actor": [m["text"] for m in event["actor"]],
                        "recipient": [m["text"] for m in event["recipient"]],
                        "location": [m["text"] for m in event["location"]],
                        "date": date.get("value"),
                        "date_text": date.get("text"),
                        "date_source": date.get("source"),
                        "counts": [
                            {"what": c["what"], "value": int(c["value"]), "text": c["text"]}
                            for c in event["counts"]
                        ],
                        "money": [
                            {"amount": float(m["amount"]), "currency": m["currency"], "text": m["text"]}
                            for m in event["money"]
                        ],
                        "text": paragraph["text"],
                    }
                )
    return rows


def _arrow_schema():
    import pyarrow as pa

    texts = pa.list_(pa.string())
    return pa.schema(
        [
            ("article", pa.string()),
            ("paragraph", pa.int32()),
            ("category", pa.string()),
            ("score", pa.float64()),
            ("plover_category", pa.string()),
            ("plover_mode", pa.string()),
            ("plover_context", texts),
            ("cameo", pa.string()),
            ("trigger", pa.string()),
            ("actor", texts),
            ("recipient", texts),
            ("location", texts),
            ("date", pa.string()),
            ("date_text", pa.string()),
            ("date_source", pa.string()),
            (
                "counts",
                pa.list_(pa.struct([("what", pa.string()), ("value", pa.int64()), ("text", pa.string())])),
            ),
            (
                "money",
                pa.list_(
                    pa.struct([("amount", pa.float64()), ("currency", pa.string()), ("text", pa.string())])
                ),
            ),
            ("text", pa.string()),
        ]
    )


def write_parquet(rows: list[dict], path: Path) -> None:
    """One Parquet file (atomically), typed columns even when there are no rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=_arrow_schema())
    with atomic_path(path) as temp:
        pq.write_table(table, temp)


def plover_event(row: dict, number: int) -> dict:
    """One event in the PLOVER/POLECAT JSON shape (event_type, mode, context, actors, date)."""
    return {
        "event_id": f"{row['article']}-p{row['paragraph']:02d}-{number}",
        "event_type": row["plover_category"],
        "mode": row["plover_mode"],
        "context": row["plover_context"],
        "cameo": row["cameo"],
        "event_date": row["date"],
        "actor": row["actor"],
        "recipient": row["recipient"],
        "location": row["location"],
        "counts": row["counts"],
        "source_category": row["category"],
        "score": row["score"],
        "trigger": row["trigger"],
        "event_text": row["text"],
    }


def write_plover_jsonl(rows: list[dict], path: Path) -> None:
    """PLOVER-style JSONL, one event a line, atomically."""
    with atomic_path(path) as temp, open(temp, "w", encoding="utf-8") as handle:
        for number, row in enumerate(rows):
            handle.write(json.dumps(plover_event(row, number), ensure_ascii=False) + "\n")
