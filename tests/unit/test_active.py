"""The active-learning summary: mean curves over seeds, and how many paragraphs uncertainty saves."""

from thaievents.bench.active import mean_curve, savings


def rows(strategy: str, seed: int, values: list[float]) -> list[dict]:
    return [
        {
            "strategy": strategy,
            "seed": seed,
            "labelled": 100 + 50 * i,
            "test_ner_f1": v,
            "test_events_macro_f1": v,
            "challenge_ner_f1": v,
            "challenge_events_macro_f1": v,
        }
        for i, v in enumerate(values)
    ]


def test_mean_curve_averages_seeds() -> None:
    data = rows("random", 0, [0.5, 0.6]) + rows("random", 1, [0.7, 0.8])
    assert mean_curve(data, "random", "test_ner_f1") == [(100, 0.6), (150, 0.7)]


def test_savings_count_the_paragraphs_uncertainty_needs_to_reach_random_final() -> None:
    data = rows("random", 0, [0.50, 0.60, 0.70, 0.80]) + rows("uncertainty", 0, [0.50, 0.72, 0.81, 0.85])
    saved = savings(data)["test_ner_f1"]
    # random ends at 0.80 with 250 paragraphs; uncertainty passes 0.80 at 200: 50 saved
    assert saved == {
        "random_final": 0.8,
        "random_labelled": 250,
        "uncertainty_reaches_at": 200,
        "paragraphs_saved": 50,
    }


def test_no_savings_when_uncertainty_never_catches_up() -> None:
    data = rows("random", 0, [0.5, 0.9]) + rows("uncertainty", 0, [0.5, 0.6])
    assert savings(data)["test_ner_f1"]["paragraphs_saved"] is None
