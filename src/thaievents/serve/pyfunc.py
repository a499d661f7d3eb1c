"""MLflow pyfunc wrapper: the whole pipeline (tokenizer, NER, events with tuned thresholds).

MLflow's spaCy flavour returns category scores only, never entities, hence this
custom ``PythonModel``. Input: a DataFrame with a ``text`` column (an article or a
paragraph per row). Output: one extraction record per row (see serve/schema.py).
"""

from __future__ import annotations

import json

import mlflow.pyfunc
import pandas as pd

from thaievents.schema import EVENT_LABELS


class ThaiEventsModel(mlflow.pyfunc.PythonModel):
    """Loads the spaCy pipeline and thresholds from the model's artifacts."""

    def load_context(self, context) -> None:
        import spacy

        import thaievents.text  # noqa: F401  (registers the tokenizer)

        self.nlp = spacy.load(context.artifacts["spacy_model"])
        with open(context.artifacts["thresholds"], encoding="utf-8") as handle:
            data = json.load(handle)
        self.thresholds = {label: float(data.get(label, 0.5)) for label in EVENT_LABELS}

    def predict(self, context, model_input: pd.DataFrame, params=None) -> list[dict]:
        from thaievents.extract import extract

        texts = ["" if text is None else str(text) for text in model_input["text"].tolist()]
        return extract(self.nlp, texts, self.thresholds)
