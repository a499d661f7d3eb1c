"""Choose what to annotate next: the paragraphs the model is least sure of.

Event uncertainty is how close each category score is to its threshold (1 at the
threshold, 0 at 0 or 1), averaged over categories. Entity uncertainty comes from a
small beam over the NER transitions: one minus the probability margin between the
best and the second-best parse. The two are averaged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from thaievents.data.schema import EVENT_LABELS


def event_uncertainty(doc: Doc, thresholds: Mapping[str, float]) -> float:
    values = []
    for label in EVENT_LABELS:
        score, cut = doc.cats.get(label, 0.0), thresholds.get(label, 0.5)
        distance = (score - cut) / (1 - cut) if score >= cut else (cut - score) / cut
        values.append(1.0 - min(max(distance, 0.0), 1.0))
    return sum(values) / len(values)


def entity_uncertainty(nlp: Language, docs: Sequence[Doc], beam_width: int = 4) -> list[float]:
    """1 - (p(best parse) - p(second parse)) per doc, from a beam over NER transitions."""
    ner: Any = nlp.get_pipe("ner")  # spaCy's EntityRecognizer (Cython: no stub for beam_parse)
    beams = ner.beam_parse(list(docs), beam_width=beam_width)
    margins = []
    for beam in beams:
        probabilities = sorted((p for p, _ in ner.moves.get_beam_parses(beam)), reverse=True)
        top = probabilities[0] if probabilities else 1.0
        second = probabilities[1] if len(probabilities) > 1 else 0.0
        margins.append(1.0 - (top - second))
    return margins


def top_k(event: Sequence[float], entity: Sequence[float], k: int) -> list[tuple[int, float]]:
    """(index, mean of the two uncertainties) of the k highest, highest first; ties by index."""
    scores = [(e + n) / 2 for e, n in zip(event, entity, strict=True)]
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return [(i, round(scores[i], 4)) for i in order[:k]]


def rank_uncertain(
    nlp: Language, texts: Sequence[str], thresholds: Mapping[str, float], k: int
) -> list[tuple[int, float]]:
    """(index, uncertainty) of the k most uncertain texts, most uncertain first; ties by index."""
    docs = list(nlp.pipe(texts))
    # The beam reads tok2vec output, so it runs on docs that went through tok2vec only.
    only_tok2vec = [name for name in nlp.pipe_names if name != "tok2vec"]
    entity = entity_uncertainty(nlp, list(nlp.pipe(texts, disable=only_tok2vec)))
    return top_k([event_uncertainty(doc, thresholds) for doc in docs], entity, k)
