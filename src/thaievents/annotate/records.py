"""Gold event records as doccano holds them: a relation-extraction project's spans and relations.

doccano's "sequence labeling with relations" JSONL has ``entities`` (id, label,
start_offset, end_offset) and ``relations`` (id, from_id, to_id, type). A record becomes
its paragraph's gold entities, one TRIGGER span labelled ``<CATEGORY>:<mode>``, and one
relation from the trigger to each role entity (actor, recipient, location, date); counts
travel as COUNT spans with a ``<what>`` relation. Reading the export back gives the
record again (:func:`records_from_doccano`), which is how a second annotation round in
doccano returns to ``annotations/records``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from thaievents.records.gold import ROLES, GoldParagraph, GoldRecord

TRIGGER = "TRIGGER"
COUNT = "COUNT"


def records_to_doccano(paragraph: GoldParagraph, records: Sequence[GoldRecord]) -> dict:
    """One doccano line for a paragraph and its records (roles linked to the first mention)."""
    entities: list[dict] = [
        {"id": index, "label": label, "start_offset": start, "end_offset": end}
        for index, (start, end, label) in enumerate(paragraph.entities)
    ]
    by_text: dict[str, int] = {}
    for index, (start, end, _) in enumerate(paragraph.entities):
        by_text.setdefault(paragraph.text[start:end], index)
    relations: list[dict] = []

    def relate(source: int, target: int, kind: str) -> None:
        relations.append({"id": len(relations), "from_id": source, "to_id": target, "type": kind})

    for record in records:
        trigger = len(entities)
        start = record.trigger_start
        entities.append(
            {"id": trigger, "label": f"{TRIGGER}:{record.category}:{record.mode}",
             "start_offset": start, "end_offset": start + len(record.trigger)}
        )  # fmt: skip
        for role in ROLES:
            for text in record.role(role):
                relate(trigger, by_text[text], role)
        if record.date_text is not None:
            relate(trigger, by_text[record.date_text], "date")
        for count in record.counts:
            offset = paragraph.text.index(count["text"])
            entities.append(
                {"id": len(entities), "label": f"{COUNT}:{count['value']}",
                 "start_offset": offset, "end_offset": offset + len(count["text"])}
            )  # fmt: skip
            relate(trigger, len(entities) - 1, count["what"])
    return {
        "text": paragraph.text,
        "entities": entities,
        "relations": relations,
        "cats": list(paragraph.cats),
        "example_id": paragraph.id,
        "published": next((r.published for r in records if r.published), None),
        "date_values": {r.category: r.date_value for r in records},
    }


def records_from_doccano(line: Mapping) -> list[dict]:
    """A doccano relation line back to gold-record JSON objects (as annotations/records holds them)."""
    text = line["text"]
    spans = {e["id"]: e for e in line["entities"]}
    records = []
    for span in line["entities"]:
        if not str(span["label"]).startswith(TRIGGER + ":"):
            continue
        _, category, mode = str(span["label"]).split(":", 2)
        trigger = text[span["start_offset"] : span["end_offset"]]
        occurrence = sum(1 for i in range(span["start_offset"] + 1) if text.startswith(trigger, i))
        record: dict = {
            "paragraph": line["example_id"],
            "published": line.get("published"),
            "category": category,
            "trigger": trigger,
            "trigger_occurrence": occurrence,
            "mode": mode,
            **{role: [] for role in ROLES},
            "date": {"text": None, "value": (line.get("date_values") or {}).get(category)},
            "counts": [],
            "money": [],
        }
        for relation in (r for r in line["relations"] if r["from_id"] == span["id"]):
            target = spans[relation["to_id"]]
            target_text = text[target["start_offset"] : target["end_offset"]]
            if relation["type"] in ROLES:
                record[relation["type"]].append(target_text)
            elif relation["type"] == "date":
                record["date"]["text"] = target_text
            else:
                value = int(str(target["label"]).split(":", 1)[1])
                record["counts"].append({"what": relation["type"], "text": target_text, "value": value})
        for role in ROLES:
            record[role] = sorted(set(record[role]))
        records.append(record)
    return records


def doccano_lines(paragraphs: Mapping[str, GoldParagraph], records: Iterable[GoldRecord]) -> list[dict]:
    """Every paragraph that has records, in id order, as doccano relation lines."""
    grouped: dict[str, list[GoldRecord]] = {}
    for record in records:
        grouped.setdefault(record.paragraph, []).append(record)
    return [records_to_doccano(paragraphs[pid], grouped[pid]) for pid in sorted(grouped)]
