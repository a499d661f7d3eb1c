"""What `annotate next` picks: uncertainties and orderings computed by hand."""

import pytest
import spacy

from thaievents.annotate.select import event_uncertainty, top_k

THRESHOLDS = {"CRACKDOWN": 0.5, "INTEL_SHARING": 0.2, "VICTIM_ASSISTANCE": 0.8, "DIPLOMATIC_FORUM": 0.5}


def doc_with(cats: dict[str, float]):
    doc = spacy.blank("th").make_doc("ข่าว")
    doc.cats = cats
    return doc


@pytest.mark.parametrize(
    ("cats", "expected"),
    [
        # every score on its threshold: as unsure as can be
        ({"CRACKDOWN": 0.5, "INTEL_SHARING": 0.2, "VICTIM_ASSISTANCE": 0.8, "DIPLOMATIC_FORUM": 0.5}, 1.0),
        # every score at 0: certain no (distance (cut - 0) / cut = 1 for each)
        ({"CRACKDOWN": 0.0, "INTEL_SHARING": 0.0, "VICTIM_ASSISTANCE": 0.0, "DIPLOMATIC_FORUM": 0.0}, 0.0),
        # CRACKDOWN 0.75: (0.75-0.5)/0.5 = 0.5 → 0.5; INTEL 0.1: (0.2-0.1)/0.2 = 0.5 → 0.5;
        # VICTIM 0.9: (0.9-0.8)/0.2 = 0.5 → 0.5; FORUM 1.0: 1 → 0. Mean (0.5+0.5+0.5+0)/4
        ({"CRACKDOWN": 0.75, "INTEL_SHARING": 0.1, "VICTIM_ASSISTANCE": 0.9, "DIPLOMATIC_FORUM": 1.0}, 0.375),
    ],
)
def test_event_uncertainty_by_hand(cats: dict[str, float], expected: float) -> None:
    assert event_uncertainty(doc_with(cats), THRESHOLDS) == pytest.approx(expected)


def test_top_k_orders_by_the_mean_and_breaks_ties_by_index() -> None:
    event = [0.2, 0.9, 0.5, 0.5, 0.0]
    entity = [0.2, 0.1, 0.5, 0.5, 1.0]
    # means: 0.2, 0.5, 0.5, 0.5, 0.5 → the four 0.5s by index, then 0.2
    assert top_k(event, entity, 3) == [(1, 0.5), (2, 0.5), (3, 0.5)]
    assert top_k(event, entity, 10)[-1] == (0, 0.2)
    assert top_k([1.0, 0.0], [0.0, 0.6], 1) == [(0, 0.5)]
    assert top_k([], [], 5) == []
