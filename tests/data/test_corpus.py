"""Data tests on the shipped corpus: label set, ids, splits, validation, balance floors, no drift."""

import json

import pytest
import yaml

from thaievents.data.markup import read_markup_dir
from thaievents.data.schema import ENTITY_LABELS, EVENT_LABELS
from thaievents.data.stats import count, floor_violations, realism, target_misses
from thaievents.data.validate import validate_files

from ..conftest import ROOT

ANNOTATIONS = ROOT / "annotations"
GOLD_FILES = sorted(ANNOTATIONS.glob("*.jsonl"))


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


def test_balance_floors(validated) -> None:
    assert floor_violations(count(validated.paragraphs)) == []


def test_corpus_reads_like_real_news(validated) -> None:
    """Every realism figure of configs/corpus_targets.yaml (real Thai news, a little below)."""
    from thaievents.models.pipeline import read_cue_words

    targets = yaml.safe_load((ROOT / "configs" / "corpus_targets.yaml").read_text(encoding="utf-8"))
    figures = realism(validated.paragraphs, read_cue_words(ROOT / "configs" / "event_cues.yaml"))
    assert target_misses(figures, targets) == []


def test_challenge_set_is_held_out(validated) -> None:
    challenge = validate_files(sorted((ANNOTATIONS / "challenge").glob("*.jsonl")), None)
    assert len({p.article_id for p in challenge.paragraphs}) >= 40
    assert not {p.article_id for p in challenge.paragraphs} & {p.article_id for p in validated.paragraphs}


def test_gold_is_built_from_markup() -> None:
    """annotations/gold.jsonl and corpus/articles.jsonl equal what `thaievents corpus build` makes."""
    articles = read_markup_dir(ANNOTATIONS / "markup")
    held_out = read_markup_dir(ANNOTATIONS / "challenge")
    challenge = [
        json.loads(line)
        for line in (ANNOTATIONS / "challenge" / "challenge.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert challenge == [p.to_json() for a in held_out for p in a.paragraphs]
    gold = [
        json.loads(line) for line in (ANNOTATIONS / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert gold == [p.to_json() for a in articles for p in a.paragraphs]
    raw = [
        json.loads(line)
        for line in (ROOT / "corpus" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert raw == [a.to_json() for a in articles]


def test_a_pool_of_raw_articles_waits_for_annotation(validated) -> None:
    """`annotate push` and `next` have real work on a fresh clone: raw articles that are not gold."""
    from thaievents.data.importer import text_key
    from thaievents.data.io import read_jsonl

    pool = read_jsonl(ROOT / "corpus" / "imported.jsonl")
    assert len(pool) >= 100
    gold_articles = read_jsonl(ROOT / "corpus" / "articles.jsonl")
    assert not {text_key(r["paragraphs"]) for r in pool} & {text_key(r["paragraphs"]) for r in gold_articles}
    gold_ids = {p.article_id for p in validated.paragraphs}
    assert not {r["id"] for r in pool} & gold_ids
    assert sum(len(r["paragraphs"]) for r in pool) >= 400


def test_date_spans_leave_wanthi_outside(validated) -> None:
    """Project decision (GUIDELINES.md, DATE): เมื่อวันที่ [3 มี.ค. 2568], never [วันที่ 3 มี.ค. 2568]."""
    challenge = validate_files(sorted((ANNOTATIONS / "challenge").glob("*.jsonl")), None)
    inside = [
        f"{p.id}: {p.text[s.start : s.end]}"
        for p in [*validated.paragraphs, *challenge.paragraphs]
        for s in p.entities
        if s.label == "DATE" and p.text[s.start : s.end].startswith(("วันที่", "เมื่อวันที่"))
    ]
    assert inside == []
