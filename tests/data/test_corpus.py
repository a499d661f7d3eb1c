"""Data tests on the shipped corpus: label set, ids, splits, validation, balance floors, no drift."""

import json
from collections import defaultdict

import pytest
import yaml

from thaievents.markup import read_markup_dir
from thaievents.schema import ENTITY_LABELS, EVENT_LABELS
from thaievents.split import split_of
from thaievents.stats import count, floor_violations
from thaievents.validate import validate_files

from ..conftest import ROOT

ANNOTATIONS = ROOT / "annotations"
GOLD_FILES = sorted(ANNOTATIONS.glob("*.jsonl"))
PARAMS = yaml.safe_load((ROOT / "params.yaml").read_text())


@pytest.fixture(scope="module")
def validated(nlp_blank):
    return validate_files(GOLD_FILES, nlp_blank)


def test_label_scheme_matches_schema() -> None:
    labels = yaml.safe_load((ROOT / "configs" / "labels.yaml").read_text())
    assert tuple(labels["entities"]) == ENTITY_LABELS
    assert tuple(labels["events"]) == EVENT_LABELS
    keys = [v["key"] for group in labels.values() for v in group.values()]
    assert len(keys) == len(set(keys)), "shortcut keys repeat"


def test_every_record_and_span_validates(validated) -> None:
    assert GOLD_FILES, "no gold annotations shipped"
    assert [str(p) for p in validated.problems] == []


def test_ids_are_unique_and_match_article_and_paragraph(validated) -> None:
    ids = [p.id for p in validated.paragraphs]
    assert len(ids) == len(set(ids))
    for paragraph in validated.paragraphs:
        assert paragraph.id == f"{paragraph.article_id}-p{paragraph.paragraph:02d}"


def test_no_article_in_two_splits(validated) -> None:
    splits = defaultdict(set)
    for paragraph in validated.paragraphs:
        splits[paragraph.article_id].add(
            split_of(
                paragraph.article_id,
                PARAMS["seed"],
                **{k: PARAMS["prepare"][k] for k in ("dev_ratio", "test_ratio")},
            )
        )
    assert all(len(s) == 1 for s in splits.values())


def test_balance_floors(validated) -> None:
    assert floor_violations(count(validated.paragraphs)) == []


def test_gold_is_built_from_markup() -> None:
    """annotations/gold.jsonl and corpus/articles.jsonl equal what `thaievents corpus build` makes."""
    articles = read_markup_dir(ANNOTATIONS / "markup")
    gold = [
        json.loads(line) for line in (ANNOTATIONS / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert gold == [p.to_json() for a in articles for p in a.paragraphs]
    raw = [
        json.loads(line)
        for line in (ROOT / "corpus" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert raw == [a.to_json() for a in articles]
