"""The merge rule: newest pull per annotator, gold untouched, agreed to gold, differences to adjudication."""

from pathlib import Path

from thaievents.annotate.merge import Pull, merge_pulls, pull_order


def record(paragraph_id: str, entities=(), cats=()) -> dict:
    return {
        "id": paragraph_id,
        "article_id": paragraph_id[:5],
        "paragraph": 1,
        "text": "ตำรวจไทยจับกุม",
        "entities": [list(e) for e in entities],
        "cats": list(cats),
    }


def test_pull_names_give_annotator_and_order() -> None:
    assert pull_order(Path("doccano-2026-12-01-alice.jsonl")) == ("alice", "2026-12-01", 1)
    assert pull_order(Path("doccano-2026-12-01-alice-3.jsonl")) == ("alice", "2026-12-01", 3)
    assert pull_order(Path("gold.jsonl")) is None


def test_the_rule_paragraph_by_paragraph() -> None:
    pulls = [
        Pull(
            "alice",
            ("2026-12-01", 1),
            [record("r1-p01", cats=["CRACKDOWN"]), record("r1-p02"), record("a1-p01")],
        ),
        # alice's newer pull replaces her first answer on r1-p02
        Pull("alice", ("2026-12-02", 1), [record("r1-p02", entities=[(0, 5, "ORGANIZATION")])]),
        Pull(
            "bob",
            ("2026-12-01", 1),
            [record("r1-p01", cats=["CRACKDOWN"]), record("r1-p02"), record("r1-p03")],
        ),
    ]
    merged = merge_pulls(pulls, gold_ids={"a1-p01"})
    assert [r["id"] for r in merged.agreed] == ["r1-p01", "r1-p03"]  # both agree; one annotator only
    assert [r["id"] for r in merged.adjudication] == ["r1-p02"]
    assert merged.adjudication[0]["annotations"] == {
        "alice": {"entities": [[0, 5, "ORGANIZATION"]], "cats": []},
        "bob": {"entities": [], "cats": []},
    }
    assert merged.already_gold == ["a1-p01"]


def test_entity_order_does_not_make_a_disagreement() -> None:
    spans = [(0, 5, "ORGANIZATION"), (5, 8, "LOCATION")]
    pulls = [
        Pull("alice", ("2026-12-01", 1), [record("r1-p01", entities=spans, cats=["A", "B"])]),
        Pull("bob", ("2026-12-01", 1), [record("r1-p01", entities=spans[::-1], cats=["B", "A"])]),
    ]
    assert [r["id"] for r in merge_pulls(pulls, set()).agreed] == ["r1-p01"]
