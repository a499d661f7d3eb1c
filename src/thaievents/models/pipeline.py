"""Train the shipped spaCy pipeline: `spacy train` (NER + textcat), then the event component.

The event component is chosen by cross-validation over train+dev articles
(:mod:`thaievents.models.events`), mixed with the textcat as dev decides, refit on
train+dev and saved inside model-best, so the pipeline carries its own thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import spacy
import yaml
from spacy.cli.train import train as spacy_train
from spacy.language import Language
from spacy.tokens import Doc

from thaievents.data.docbin import read_docs
from thaievents.data.io import atomic_path
from thaievents.data.schema import EVENT_LABELS
from thaievents.models.events import (
    Candidate,
    build_model,
    choose_textcat_weight,
    fit_model,
    gold_matrix,
    select_model,
)
from thaievents.nlp.events import FACTORY, EventClassifier, model_input

TEXTCAT = "textcat_multilabel"
CANDIDATES = (Candidate(2.0, False), Candidate(8.0, False), Candidate(2.0, True), Candidate(8.0, True))
TEXTCAT_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass
class EventSettings:
    """How the shipped event component is chosen."""

    cue_words: list[str]
    crosswalk: dict | None = None  # the PLOVER/CAMEO table the component carries for records
    linker: str = "nearest"
    folds: int = 5
    candidates: Sequence[Candidate] = CANDIDATES
    textcat_weights: Sequence[float] = TEXTCAT_WEIGHTS


def read_cue_words(path: Path) -> list[str]:
    """Every cue word of ``configs/event_cues.yaml``, lower-cased, in a stable order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return sorted({str(word).lower() for words in data.values() for word in words})


def textcat_scores(nlp: Language, docs: Sequence[Doc]) -> np.ndarray:
    """The spaCy textcat's scores on the docs' texts (the event component not run)."""
    disabled = [name for name in (FACTORY,) if name in nlp.pipe_names]
    with nlp.select_pipes(disable=[*disabled, "ner"]):
        return np.array(
            [[d.cats.get(label, 0.0) for label in EVENT_LABELS] for d in nlp.pipe(x.text for x in docs)]
        ).reshape(-1, len(EVENT_LABELS))


def add_event_component(
    nlp: Language, train: list[Doc], dev: list[Doc], settings: EventSettings, seed: int
) -> dict:
    """Choose, fit and add the event component; return what was measured."""
    train, dev = [d for d in train if d.cats], [d for d in dev if d.cats]
    pool = train + dev
    texts = [model_input(d) for d in pool]
    gold = gold_matrix([d.cats for d in pool])
    groups = [str(d.user_data.get("article_id")) for d in pool]
    selection = select_model(
        texts, gold, groups, settings.candidates, settings.cue_words, settings.folds, seed
    )

    on_train = fit_model(
        build_model(selection.best, settings.cue_words, seed),
        texts[: len(train)],
        gold[: len(train)],
    )
    dev_gold = gold[len(train) :]
    tfidf_dev = np.asarray(on_train.predict_proba(texts[len(train) :]))
    weight, mixed_thresholds, weight_tries = choose_textcat_weight(
        dev_gold,
        textcat_scores(nlp, dev),
        tfidf_dev,
        groups[len(train) :],
        settings.textcat_weights,
        settings.folds,
    )
    # Without the textcat, the cross-validated thresholds hold; a mix has only dev's.
    thresholds = selection.thresholds if weight == 0 else mixed_thresholds
    final = fit_model(build_model(selection.best, settings.cue_words, seed), texts, gold)
    component = nlp.add_pipe(FACTORY, last=True)
    assert isinstance(component, EventClassifier)
    component.set_model(final, thresholds, weight)
    if settings.crosswalk is not None:
        component.set_coding(settings.crosswalk, settings.linker)
    if weight == 0:  # the textcat's scores are not used: it stays in the pipeline, disabled
        nlp.disable_pipe(TEXTCAT)
    return {
        "candidates": selection.tries,
        "chosen": selection.best.name,
        "textcat_weights": weight_tries,
        "textcat_weight": weight,
        "thresholds": thresholds,
        "thresholds_from": "cross-validation" if weight == 0 else "dev",
        "examples": {"train": len(train), "dev": len(dev)},
    }


def train_pipeline(
    config: Path,
    corpus: Path,
    dictionary: Path,
    output: Path,
    overrides: dict[str, object],
    settings: EventSettings,
    seed: int,
) -> dict:
    """`spacy train` into ``output`` (atomically), then the event component inside model-best."""
    paths = {
        "paths.train": str(corpus / "train.spacy"),
        "paths.dev": str(corpus / "dev.spacy"),
        "paths.dictionary": str(dictionary),
    }
    with atomic_path(output, directory=True) as temp:
        spacy_train(config, temp, overrides={**paths, **overrides}, use_gpu=-1)
        nlp = spacy.load(temp / "model-best")
        report = add_event_component(
            nlp,
            read_docs(corpus / "train.spacy", nlp.vocab),
            read_docs(corpus / "dev.spacy", nlp.vocab),
            settings,
            seed,
        )
        nlp.to_disk(temp / "model-best")
    return report
