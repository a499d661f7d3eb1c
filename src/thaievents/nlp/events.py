"""The shipped event classifier: a spaCy component around a scikit-learn model, saved with the pipeline.

TF-IDF over the project's tokens and character n-grams (and, where cross-validation
keeps them, counts of the guideline's cue words) feed one-vs-rest logistic regression.
Its probabilities can be mixed with the spaCy textcat's scores (``textcat_weight``);
the per-category thresholds chosen by cross-validation travel inside the component,
so `extract`, the MLflow model and the wheel all decide the same way.

Registered as the factory ``thaievents_events`` (entry point ``spacy_factories``).
The module imports only spaCy, scikit-learn and the standard library, and the fitted
model holds only scikit-learn classes, so a packaged model can bundle this file.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

EVENT_LABELS = ("CRACKDOWN", "INTEL_SHARING", "VICTIM_ASSISTANCE", "DIPLOMATIC_FORUM")
FACTORY = "thaievents_events"
_MODEL_FILE = "model.pkl"
_SETTINGS_FILE = "settings.json"


def model_input(doc: Doc) -> str:
    """What the scikit-learn model reads: the non-space tokens, lower-cased, joined by spaces."""
    return " ".join(token.text.lower() for token in doc if not token.is_space)


class EventClassifier:
    """Sets ``doc.cats`` to event scores; ``thresholds`` turn them into decisions."""

    def __init__(
        self,
        name: str = FACTORY,
        textcat_weight: float = 0.0,
        labels: Sequence[str] = EVENT_LABELS,
    ) -> None:
        self.name = name
        self.textcat_weight = float(textcat_weight)
        self.labels = tuple(labels)
        self.model: Any = None
        self.thresholds: dict[str, float] = dict.fromkeys(self.labels, 0.5)
        # How events become records (thaievents.records): the PLOVER/CAMEO crosswalk table
        # and the role linker chosen on dev; carried here so a saved pipeline codes alike.
        self.crosswalk: dict[str, Any] | None = None
        self.linker: str = "nearest"

    def set_coding(self, crosswalk: dict[str, Any], linker: str) -> None:
        """Install the crosswalk table (configs/event_crosswalk.yaml) and the role linker's name."""
        self.crosswalk = crosswalk
        self.linker = linker

    def set_model(self, model: Any, thresholds: dict[str, float], textcat_weight: float) -> None:
        """Install a fitted scikit-learn model (``predict_proba`` on :func:`model_input` strings)."""
        self.model = model
        self.thresholds = {label: float(thresholds[label]) for label in self.labels}
        self.textcat_weight = float(textcat_weight)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Score docs in batches: one ``predict_proba`` call per batch."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._score(batch)
                batch = []
        if batch:
            yield from self._score(batch)

    def _score(self, docs: list[Doc]) -> list[Doc]:
        if self.model is None:
            raise ValueError(f"{self.name}: no fitted model; train the pipeline first")
        probabilities = self.model.predict_proba([model_input(doc) for doc in docs])
        weight = self.textcat_weight
        for doc, row in zip(docs, probabilities, strict=True):
            textcat = dict(doc.cats)
            doc.cats = {
                label: float(weight * textcat.get(label, 0.0) + (1 - weight) * row[index])
                for index, label in enumerate(self.labels)
            }
        return docs

    def decide(self, doc: Doc) -> list[str]:
        """The categories whose score reaches their threshold, in label order."""
        return [label for label in self.labels if doc.cats.get(label, 0.0) >= self.thresholds[label]]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        # Protocol fixed so the bytes do not depend on the Python that wrote them.
        (folder / _MODEL_FILE).write_bytes(pickle.dumps(self.model, protocol=4))
        settings = {
            "labels": list(self.labels),
            "thresholds": self.thresholds,
            "textcat_weight": self.textcat_weight,
            "crosswalk": self.crosswalk,
            "linker": self.linker,
        }
        (folder / _SETTINGS_FILE).write_text(json.dumps(settings, indent=2, sort_keys=True), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EventClassifier:
        folder = Path(path)
        settings = json.loads((folder / _SETTINGS_FILE).read_text(encoding="utf-8"))
        self.labels = tuple(settings["labels"])
        self.thresholds = {k: float(v) for k, v in settings["thresholds"].items()}
        self.textcat_weight = float(settings["textcat_weight"])
        self.crosswalk = settings.get("crosswalk")
        self.linker = str(settings.get("linker", "nearest"))
        self.model = pickle.loads((folder / _MODEL_FILE).read_bytes())
        return self


@Language.factory(FACTORY, default_config={"textcat_weight": 0.0})
def make_event_classifier(nlp: Language, name: str, textcat_weight: float) -> EventClassifier:
    """spaCy factory: an unfitted classifier; `train` fits it and saves it with the pipeline."""
    return EventClassifier(name=name, textcat_weight=textcat_weight)


def event_thresholds(nlp: Language) -> dict[str, float]:
    """The shipped decision thresholds of a pipeline (0.5 each when it has no event component)."""
    if FACTORY in nlp.pipe_names:
        component = nlp.get_pipe(FACTORY)
        if isinstance(component, EventClassifier):
            return dict(component.thresholds)
    return dict.fromkeys(EVENT_LABELS, 0.5)
