"""Score event records against the gold records: roles, date values, PLOVER modes, counts.

Two settings per linker:
- ``linking``: gold events and gold entities in, so the figure is the linker's alone;
- ``end_to_end``: the pipeline's own entities and events, as `extract` returns them.
A role is scored as the set of entity texts of each record (exact text match; every
mention with the same text is the same party), micro over records, with a 95% bootstrap
interval over records. Date accuracy counts exact ISO values over gold records that have
one; mode accuracy is over gold records whose category was found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from thaievents.data.schema import EVENT_LABELS
from thaievents.evaluation.metrics import bootstrap_entity_f1, prf, span_counts
from thaievents.records.build import paragraph_events, parse_published
from thaievents.records.crosswalk import Crosswalk
from thaievents.records.gold import ROLES, GoldParagraph, GoldRecord, read_record_folder
from thaievents.records.linking import LINKERS, Mention


@dataclass(frozen=True)
class ParagraphInput:
    """What a linker sees of one paragraph: text, entities, events with scores, the article date."""

    text: str
    mentions: tuple[Mention, ...]
    events: tuple[tuple[str, float], ...]
    published: str | None


def mentions_of(text: str, spans: Sequence[tuple[int, int, str]]) -> tuple[Mention, ...]:
    return tuple(Mention(s, e, label, text[s:e]) for s, e, label in sorted(spans))


def _accuracy(correct: Sequence[bool], samples: int, seed: int) -> dict:
    values = np.asarray(correct, dtype=float)
    if not len(values):
        return {"accuracy": 0.0, "ci95_low": 0.0, "ci95_high": 0.0, "n": 0}
    picks = np.random.default_rng(seed).integers(0, len(values), size=(samples, len(values)))
    low, high = np.percentile(values[picks].mean(axis=1), [2.5, 97.5])
    return {
        "accuracy": round(float(values.mean()), 4),
        "ci95_low": round(float(low), 4),
        "ci95_high": round(float(high), 4),
        "n": len(values),
    }


def _role_sets(event: dict | None, role: str) -> set[str]:
    return {m["text"] for m in event[role]} if event else set()


def _count_set(items: Sequence[dict]) -> set[tuple[str, int]]:
    return {(c["what"], int(c["value"])) for c in items}


def score_linker(
    gold: Sequence[GoldRecord],
    inputs: Mapping[str, ParagraphInput],
    crosswalk: Crosswalk,
    linker: str,
    seed: int,
    samples: int = 1000,
) -> dict:
    """Role F1, count F1, date and mode accuracy of one linker over the paragraphs of ``inputs``."""
    by_key = {(g.paragraph, g.category): g for g in gold}
    predicted: dict[tuple[str, str], dict] = {}
    for paragraph, item in sorted(inputs.items()):
        events = paragraph_events(
            item.text, item.mentions, item.events, parse_published(item.published), crosswalk, linker
        )
        for event in events:
            predicted[(paragraph, event["category"])] = event
    keys = sorted(set(by_key) | set(predicted))
    result: dict = {
        "records": {
            "gold": len(by_key),
            "predicted": len(predicted),
            "matched": len(set(by_key) & set(predicted)),
        }
    }
    for role in ROLES:
        gold_sets = [set(by_key[k].role(role)) if k in by_key else set() for k in keys]
        predicted_sets = [_role_sets(predicted.get(k), role) for k in keys]
        counts = np.array([span_counts(g, p) for g, p in zip(gold_sets, predicted_sets, strict=True)]).sum(
            axis=0
        )
        result[role] = {
            **prf(*map(int, counts)),
            "f1_ci": bootstrap_entity_f1(gold_sets, predicted_sets, samples, seed),
        }
    gold_counts = [_count_set(by_key[k].counts) if k in by_key else set() for k in keys]
    predicted_counts = [_count_set(predicted[k]["counts"]) if k in predicted else set() for k in keys]
    totals = np.array([span_counts(g, p) for g, p in zip(gold_counts, predicted_counts, strict=True)]).sum(
        axis=0
    )
    result["counts"] = {
        **prf(*map(int, totals)),
        "f1_ci": bootstrap_entity_f1(gold_counts, predicted_counts, samples, seed),
    }
    dated = [k for k in by_key if by_key[k].date_value is not None]
    result["date_value"] = _accuracy(
        [k in predicted and (predicted[k]["date"] or {}).get("value") == by_key[k].date_value for k in dated],
        samples,
        seed,
    )
    found = [k for k in by_key if k in predicted]
    result["plover_mode"] = _accuracy(
        [predicted[k]["plover"]["mode"] == by_key[k].mode for k in found], samples, seed
    )
    result["trigger_found"] = _accuracy([predicted[k]["trigger"] is not None for k in found], samples, seed)
    return result


def score_records(
    gold: Sequence[GoldRecord],
    gold_inputs: Mapping[str, ParagraphInput],
    system_inputs: Mapping[str, ParagraphInput],
    crosswalk: Crosswalk,
    seed: int,
    linkers: Sequence[str] = LINKERS,
) -> dict:
    """Every linker in both settings, over the paragraphs whose gold records are given."""
    return {
        setting: {linker: score_linker(gold, inputs, crosswalk, linker, seed) for linker in linkers}
        for setting, inputs in (("linking", gold_inputs), ("end_to_end", system_inputs))
    }


def inputs_from_docs(
    gold_docs: Sequence[Doc],
    predicted_docs: Sequence[Doc],
    thresholds: Mapping[str, float],
    published: Mapping[str, str | None],
) -> tuple[dict[str, ParagraphInput], dict[str, ParagraphInput]]:
    """Gold-side and system-side linker inputs for the docs of the annotated articles."""
    gold_inputs, system_inputs = {}, {}
    for gold, predicted in zip(gold_docs, predicted_docs, strict=True):
        paragraph = str(gold.user_data.get("id", ""))
        article = str(gold.user_data.get("article_id", ""))
        if article not in published:
            continue
        date = published[article]
        gold_spans = [(e.start_char, e.end_char, e.label_) for e in gold.ents]
        gold_events = tuple((label, 1.0) for label in EVENT_LABELS if gold.cats.get(label, 0.0) >= 0.5)
        gold_inputs[paragraph] = ParagraphInput(
            gold.text, mentions_of(gold.text, gold_spans), gold_events, date
        )
        spans = [(e.start_char, e.end_char, e.label_) for e in predicted.ents]
        events = tuple(
            (label, round(float(predicted.cats.get(label, 0.0)), 4))
            for label in EVENT_LABELS
            if predicted.cats.get(label, 0.0) >= thresholds.get(label, 0.5)
        )
        system_inputs[paragraph] = ParagraphInput(
            predicted.text, mentions_of(predicted.text, spans), events, date
        )
    return gold_inputs, system_inputs


def gold_paragraphs_of(docs: Sequence[Doc]) -> dict[str, GoldParagraph]:
    """The gold docs as the paragraphs gold records are checked against."""
    return {
        str(doc.user_data.get("id", "")): GoldParagraph(
            id=str(doc.user_data.get("id", "")),
            text=doc.text,
            entities=tuple((e.start_char, e.end_char, e.label_) for e in doc.ents),
            cats=tuple(label for label in EVENT_LABELS if doc.cats.get(label, 0.0) >= 0.5),
        )
        for doc in docs
    }


def evaluate_records(
    split_docs: Mapping[str, tuple[Sequence[Doc], Sequence[Doc]]],
    records_dir: Path,
    crosswalk: Crosswalk,
    thresholds: Mapping[str, float],
    seed: int,
) -> dict:
    """Per split (dev, test, challenge): every linker's figures on that split's gold records."""
    paragraphs: dict[str, GoldParagraph] = {}
    for gold_docs, _ in split_docs.values():
        paragraphs.update(gold_paragraphs_of(gold_docs))
    records = read_record_folder(records_dir, paragraphs, crosswalk, known_only=True)
    result = {}
    for split, (gold_docs, predicted_docs) in split_docs.items():
        ids = {str(d.user_data.get("id", "")) for d in gold_docs}
        gold = [r for r in records if r.paragraph in ids]
        if not gold:
            continue
        articles = {r.paragraph.rsplit("-p", 1)[0]: r.published for r in gold}
        gold_inputs, system_inputs = inputs_from_docs(gold_docs, predicted_docs, thresholds, articles)
        result[split] = score_records(gold, gold_inputs, system_inputs, crosswalk, seed)
    return result


def record_agreement(first: Sequence[GoldRecord], second: Sequence[GoldRecord]) -> dict:
    """Two annotators' records of the same (paragraph, category) pairs: role F1 taking the
    first as reference, and the share of records whose trigger, mode and date value agree."""
    pairs = list(zip(first, second, strict=True))
    result: dict = {"records": len(pairs)}
    for role in ROLES:
        counts = np.array([span_counts(set(a.role(role)), set(b.role(role))) for a, b in pairs]).reshape(
            -1, 3
        )
        result[role] = prf(*map(int, counts.sum(axis=0)))
    counts = np.array([span_counts(_count_set(a.counts), _count_set(b.counts)) for a, b in pairs]).reshape(
        -1, 3
    )
    result["counts"] = prf(*map(int, counts.sum(axis=0)))
    share = len(pairs) or 1
    result["trigger"] = round(sum(a.trigger == b.trigger for a, b in pairs) / share, 4)
    result["mode"] = round(sum(a.mode == b.mode for a, b in pairs) / share, 4)
    result["date_value"] = round(sum(a.date_value == b.date_value for a, b in pairs) / share, 4)
    return result
