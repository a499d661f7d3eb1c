"""Score the shipped pipeline and its peers on one held-out set (test, or the challenge set).

Event models compared: the shipped component (``shipped``), the spaCy textcat alone
(``textcat``, thresholds tuned on dev) and the TF-IDF model alone (``tfidf``, its
cross-validated thresholds). Every F1 comes with a 95% bootstrap interval; articles'
events are the union of their paragraphs'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from thaievents.data.schema import ENTITY_LABELS, EVENT_LABELS, Entity
from thaievents.evaluation.metrics import (
    apply_thresholds,
    bootstrap_entity_f1,
    bootstrap_macro_f1,
    score_entities,
    score_events,
    union_by_group,
)
from thaievents.evaluation.report import ParagraphErrors
from thaievents.models.events import gold_matrix
from thaievents.nlp.events import FACTORY, EventClassifier, model_input

TEXTCAT = "textcat_multilabel"


@dataclass
class Predictions:
    """What the pipeline and its peers predict on one set of gold docs."""

    docs: list[Doc]
    predicted: list[Doc]
    scores: dict[str, np.ndarray]


def entities_of(doc: Doc) -> list[Entity]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def _cats(docs: Sequence[Doc]) -> np.ndarray:
    return np.array([[d.cats.get(label, 0.0) for label in EVENT_LABELS] for d in docs]).reshape(
        -1, len(EVENT_LABELS)
    )


def predict(nlp: Language, docs: list[Doc]) -> Predictions:
    """Run the whole pipeline, the textcat alone and the TF-IDF model alone on the docs' texts."""
    texts = [d.text for d in docs]
    predicted = list(nlp.pipe(texts, batch_size=64))
    scores = {"shipped": _cats(predicted)}
    if TEXTCAT in nlp.component_names:  # the peer: enabled for this, even where shipped disabled
        was_disabled = TEXTCAT in nlp.disabled
        nlp.enable_pipe(TEXTCAT)
        with nlp.select_pipes(enable=[TEXTCAT]):
            scores["textcat"] = _cats(list(nlp.pipe(texts, batch_size=64)))
        if was_disabled:
            nlp.disable_pipe(TEXTCAT)
    component = nlp.get_pipe(FACTORY) if FACTORY in nlp.pipe_names else None
    if isinstance(component, EventClassifier):
        scores["tfidf"] = np.asarray(component.model.predict_proba([model_input(d) for d in predicted]))
    return Predictions(docs, predicted, scores)


def event_figures(gold: np.ndarray, predicted: np.ndarray, article_ids: Sequence[str], seed: int) -> dict:
    """Paragraph- and article-level event scores, each macro-F1 with a bootstrap interval."""
    _, gold_articles = union_by_group(gold, article_ids)
    _, predicted_articles = union_by_group(predicted, article_ids)
    return {
        "paragraph": {
            **score_events(gold, predicted),
            "macro_f1_ci": bootstrap_macro_f1(gold, predicted, seed=seed),
        },
        "article": {
            **score_events(gold_articles, predicted_articles),
            "macro_f1_ci": bootstrap_macro_f1(gold_articles, predicted_articles, seed=seed),
        },
    }


def score_set(result: Predictions, thresholds: Mapping[str, Mapping[str, float]], seed: int) -> dict:
    """NER and every event model's figures on one held-out set."""
    gold_entities = [entities_of(d) for d in result.docs]
    predicted_entities = [entities_of(d) for d in result.predicted]
    gold = gold_matrix([d.cats for d in result.docs])
    article_ids = [str(d.user_data.get("article_id")) for d in result.docs]
    events = {
        name: event_figures(gold, apply_thresholds(scores, thresholds[name]), article_ids, seed)
        for name, scores in result.scores.items()
        if name in thresholds
    }
    return {
        "ner": {
            **score_entities(gold_entities, predicted_entities, ENTITY_LABELS),
            "micro_f1_ci": bootstrap_entity_f1(gold_entities, predicted_entities, seed=seed),
        },
        "events": events,
        "size": {"paragraphs": len(result.docs), "articles": len(set(article_ids))},
    }


def entity_errors(result: Predictions, split: str) -> list[dict]:
    """Every false-positive and false-negative entity, with its paragraph."""
    errors = []
    for gold_doc, predicted_doc in zip(result.docs, result.predicted, strict=True):
        gold_set, predicted_set = set(entities_of(gold_doc)), set(entities_of(predicted_doc))
        for kind, spans in (
            ("false_negative", gold_set - predicted_set),
            ("false_positive", predicted_set - gold_set),
        ):
            for start, end, label in sorted(spans):
                errors.append(
                    {
                        "split": split,
                        "task": "ner",
                        "error": kind,
                        "id": gold_doc.user_data.get("id"),
                        "label": label,
                        "start": start,
                        "end": end,
                        "span": gold_doc.text[start:end],
                        "text": gold_doc.text,
                    }
                )
    return errors


def event_errors(result: Predictions, thresholds: Mapping[str, float], split: str) -> list[dict]:
    """Every false-positive and false-negative category of the shipped event model."""
    gold = gold_matrix([d.cats for d in result.docs])
    scores = result.scores["shipped"]
    predicted = apply_thresholds(scores, thresholds)
    errors = []
    for row, doc in enumerate(result.docs):
        for column, label in enumerate(EVENT_LABELS):
            if gold[row, column] != predicted[row, column]:
                errors.append(
                    {
                        "split": split,
                        "task": "events",
                        "error": "false_negative" if gold[row, column] else "false_positive",
                        "id": doc.user_data.get("id"),
                        "label": label,
                        "score": round(float(scores[row, column]), 4),
                        "text": doc.text,
                    }
                )
    return errors


def paragraph_errors(
    result: Predictions, thresholds: Mapping[str, float], split: str
) -> list[ParagraphErrors]:
    """Every paragraph where the NER or the shipped event model is wrong, for the report."""
    gold = gold_matrix([d.cats for d in result.docs])
    predicted = apply_thresholds(result.scores["shipped"], thresholds)
    found = []
    for row, (gold_doc, predicted_doc) in enumerate(zip(result.docs, result.predicted, strict=True)):
        gold_entities, predicted_entities = entities_of(gold_doc), entities_of(predicted_doc)
        missed = [label for c, label in enumerate(EVENT_LABELS) if gold[row, c] and not predicted[row, c]]
        extra = [label for c, label in enumerate(EVENT_LABELS) if predicted[row, c] and not gold[row, c]]
        if set(gold_entities) != set(predicted_entities) or missed or extra:
            paragraph_id = str(gold_doc.user_data.get("id"))
            found.append(
                ParagraphErrors(
                    split, paragraph_id, gold_doc.text, gold_entities, predicted_entities, missed, extra
                )
            )
    return found


def confusion_counts_per_category(gold: np.ndarray, predicted: np.ndarray) -> dict[str, dict[str, int]]:
    """tp, fp, fn, tn of each category."""
    counts = {}
    for column, label in enumerate(EVENT_LABELS):
        g, p = gold[:, column].astype(bool), predicted[:, column].astype(bool)
        counts[label] = {
            "tp": int((g & p).sum()),
            "fp": int((~g & p).sum()),
            "fn": int((g & ~p).sum()),
            "tn": int((~g & ~p).sum()),
        }
    return counts
