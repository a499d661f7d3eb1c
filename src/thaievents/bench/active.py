"""Does active learning pay? The annotation loop simulated on the shipped gold.

Start from a random seed set of train paragraphs, then add batches chosen by the model's
uncertainty (what `annotate next` ranks by) or at random; retrain after each batch and
score on test and the challenge set. Retraining is cheap on purpose (a small NER for a few
epochs, the TF-IDF event model at fixed 0.5 thresholds), so the curves compare the two
strategies, not the product pipeline's absolute figures.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from thaievents.annotate.select import rank_uncertain
from thaievents.data.docbin import read_docs, write_docs
from thaievents.data.schema import EVENT_LABELS
from thaievents.evaluation.metrics import apply_thresholds, score_entities, score_events
from thaievents.models.events import Candidate, build_model, fit_model, gold_matrix
from thaievents.nlp.events import FACTORY, EventClassifier, model_input

STRATEGIES = ("uncertainty", "random")
HALF = dict.fromkeys(EVENT_LABELS, 0.5)


@dataclass(frozen=True)
class Simulation:
    """The knobs of one simulated loop."""

    start: int = 100
    batch: int = 50
    rounds: int = 6
    epochs: int = 6
    candidates: int = 600  # unlabelled paragraphs scored for uncertainty each round


def _entities(docs: Sequence[Doc]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]


def train_small(
    labelled: list[Doc], dev: Path, config: Path, dictionary: Path, epochs: int, seed: int
) -> Language:
    """A small NER (the project's config, NER only) and the TF-IDF event component, on ``labelled``."""
    from spacy.cli.train import train as spacy_train

    with tempfile.TemporaryDirectory() as folder:
        write_docs(labelled, Path(folder) / "train.spacy")
        overrides = {
            "paths.train": str(Path(folder) / "train.spacy"),
            "paths.dev": str(dev),
            "paths.dictionary": str(dictionary),
            "nlp.pipeline": ["tok2vec", "ner"],
            "training.max_epochs": epochs,
            "training.eval_frequency": 1000,
            "training.score_weights": {"ents_f": 1.0},
            "system.seed": seed,
        }
        spacy_train(config, Path(folder) / "model", overrides=overrides, use_gpu=-1)
        nlp = spacy.load(Path(folder) / "model" / "model-last")
    with_cats = [d for d in labelled if d.cats]
    events = fit_model(
        build_model(Candidate(8.0, False), [], seed),
        [model_input(d) for d in with_cats],
        gold_matrix([d.cats for d in with_cats]),
    )
    component = nlp.add_pipe(FACTORY, last=True)
    assert isinstance(component, EventClassifier)
    component.set_model(events, HALF, 0.0)
    return nlp


def score(nlp: Language, gold: list[Doc]) -> dict[str, float]:
    """NER micro-F1 and event macro-F1 (0.5 thresholds) on gold docs."""
    predicted = list(nlp.pipe(d.text for d in gold))
    scores = np.array([[p.cats[label] for label in EVENT_LABELS] for p in predicted])
    events = score_events(gold_matrix([d.cats for d in gold]), apply_thresholds(scores, HALF))
    return {
        "ner_f1": score_entities(_entities(gold), _entities(predicted))["micro"]["f"],
        "events_macro_f1": events["macro"]["f"],
    }


def simulate(
    strategy: str,
    seed: int,
    pool: list[Doc],
    held_out: dict[str, list[Doc]],
    dev: Path,
    config: Path,
    dictionary: Path,
    settings: Simulation,
) -> list[dict]:
    """One learning curve: a row per round, with the paragraphs labelled and the scores."""
    rng = random.Random(seed)
    order = list(range(len(pool)))
    rng.shuffle(order)
    labelled, unlabelled = order[: settings.start], order[settings.start :]
    rows = []
    for round_number in range(settings.rounds + 1):
        nlp = train_small([pool[i] for i in labelled], dev, config, dictionary, settings.epochs, seed)
        row: dict = {"strategy": strategy, "seed": seed, "round": round_number, "labelled": len(labelled)}
        for name, docs in held_out.items():
            for key, value in score(nlp, docs).items():
                row[f"{name}_{key}"] = value
        rows.append(row)
        if round_number == settings.rounds:
            break
        if strategy == "random":
            chosen = unlabelled[: settings.batch]
        else:
            candidates = unlabelled[: settings.candidates]  # a random sample: the order is shuffled
            ranked = rank_uncertain(nlp, [pool[i].text for i in candidates], HALF, settings.batch)
            chosen = [candidates[i] for i, _ in ranked]
        picked = set(chosen)
        labelled = labelled + chosen
        unlabelled = [i for i in unlabelled if i not in picked]
    return rows


def run_active(
    corpus: Path, config: Path, dictionary: Path, seeds: Sequence[int], settings: Simulation
) -> dict:
    """Both strategies, every seed; the rows and the summary sentence's figures."""
    vocab = spacy.blank("th").vocab
    pool = [d for d in read_docs(corpus / "train.spacy", vocab) if d.cats]  # corpus paragraphs, not ThaiNER
    held_out = {name: read_docs(corpus / f"{name}.spacy", vocab) for name in ("test", "challenge")}
    rows = [
        row
        for strategy in STRATEGIES
        for seed in seeds
        for row in simulate(
            strategy, seed, pool, held_out, corpus / "dev.spacy", config, dictionary, settings
        )
    ]
    return {"settings": settings.__dict__, "seeds": list(seeds), "rows": rows, "savings": savings(rows)}


def mean_curve(rows: list[dict], strategy: str, key: str) -> list[tuple[int, float]]:
    """(labelled, mean over seeds) points of one strategy's curve."""
    points: dict[int, list[float]] = {}
    for row in rows:
        if row["strategy"] == strategy:
            points.setdefault(row["labelled"], []).append(row[key])
    return [(n, float(np.mean(v))) for n, v in sorted(points.items())]


def savings(rows: list[dict]) -> dict[str, dict]:
    """Per measure: the random curve's final F1, and the fewest labelled paragraphs with which
    the uncertainty curve (mean over seeds) reaches it; None where it never does."""
    result = {}
    for key in ("test_ner_f1", "test_events_macro_f1", "challenge_ner_f1", "challenge_events_macro_f1"):
        random_curve, uncertain_curve = mean_curve(rows, "random", key), mean_curve(rows, "uncertainty", key)
        if not random_curve:
            continue
        final_n, final_f = random_curve[-1]
        reached = next((n for n, f in uncertain_curve if f >= final_f), None)
        result[key] = {
            "random_final": round(final_f, 4),
            "random_labelled": final_n,
            "uncertainty_reaches_at": reached,
            "paragraphs_saved": None if reached is None else final_n - reached,
        }
    return result


def plot_curves(rows: list[dict], path: Path) -> None:
    """The learning curves (mean over seeds, each seed faint) as a PNG for the README."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = ("test_ner_f1", "test_events_macro_f1", "challenge_ner_f1", "challenge_events_macro_f1")
    figure, axes = plt.subplots(1, 4, figsize=(16, 3.6))
    for axis, key in zip(axes, keys, strict=True):
        for strategy, colour in zip(STRATEGIES, ("#1a5fb4", "#c01c28"), strict=True):
            for seed in sorted({r["seed"] for r in rows}):
                points = [
                    (r["labelled"], r[key]) for r in rows if r["strategy"] == strategy and r["seed"] == seed
                ]
                axis.plot(*zip(*points, strict=True), color=colour, alpha=0.25, linewidth=1)
            axis.plot(
                *zip(*mean_curve(rows, strategy, key), strict=True), color=colour, label=strategy, linewidth=2
            )
        axis.set_title(key.replace("_", " "))
        axis.set_xlabel("paragraphs labelled")
    axes[0].legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90, metadata={"Software": None})
    plt.close(figure)
