"""Inter-annotator agreement: entity F1 per label and Cohen's kappa per event category.

Used for the corpus's double-annotated sample and for doccano annotators alike.
Only examples both annotators labelled are compared, matched by id and text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sklearn.metrics import cohen_kappa_score

from thaievents.data.schema import ENTITY_LABELS, EVENT_LABELS, Paragraph
from thaievents.evaluation.metrics import score_entities


@dataclass
class Agreement:
    """Figures plus the disagreements to adjudicate."""

    examples: int
    entity_f1: dict[str, float]
    entity_micro_f1: float
    kappa: dict[str, float]
    disagreements: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "examples": self.examples,
            "entity_f1": self.entity_f1,
            "entity_micro_f1": self.entity_micro_f1,
            "kappa": self.kappa,
            "disagreements": self.disagreements,
        }


def kappa(first: list[int], second: list[int]) -> float:
    """Cohen's kappa; 1.0 when both raters give one identical constant answer."""
    if first == second:
        return 1.0
    return round(float(cohen_kappa_score(first, second)), 4)


def compare(first: Mapping[str, Paragraph], second: Mapping[str, Paragraph]) -> Agreement:
    """Agreement between two annotations of the same examples (keys are example ids)."""
    shared = sorted(key for key in first.keys() & second.keys() if first[key].text == second[key].text)
    spans_a = [{(s.start, s.end, s.label) for s in first[k].entities} for k in shared]
    spans_b = [{(s.start, s.end, s.label) for s in second[k].entities} for k in shared]
    entity_scores = score_entities(spans_a, spans_b, ENTITY_LABELS)
    kappas = {
        label: kappa(
            [int(label in first[k].cats) for k in shared], [int(label in second[k].cats) for k in shared]
        )
        for label in EVENT_LABELS
    }
    disagreements = []
    for key, a, b in zip(shared, spans_a, spans_b, strict=True):
        text = first[key].text
        only_a = sorted(a - b)
        only_b = sorted(b - a)
        cats_a, cats_b = sorted(first[key].cats), sorted(second[key].cats)
        if only_a or only_b or cats_a != cats_b:
            disagreements.append(
                {
                    "id": key,
                    "text": text,
                    "entities_only_first": [[s, e, label, text[s:e]] for s, e, label in only_a],
                    "entities_only_second": [[s, e, label, text[s:e]] for s, e, label in only_b],
                    "cats_first": cats_a,
                    "cats_second": cats_b,
                }
            )
    return Agreement(
        examples=len(shared),
        entity_f1={label: entity_scores["per_label"][label]["f"] for label in ENTITY_LABELS},
        entity_micro_f1=entity_scores["micro"]["f"],
        kappa=kappas,
        disagreements=disagreements,
    )


def support(paragraphs: Mapping[str, Paragraph]) -> dict[str, int]:
    """Entities per label in one annotation (to read F1 figures with their counts)."""
    counts = dict.fromkeys(ENTITY_LABELS, 0)
    for paragraph in paragraphs.values():
        for span in paragraph.entities:
            counts[span.label] += 1
    return counts
