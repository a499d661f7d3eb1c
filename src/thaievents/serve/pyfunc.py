"""MLflow pyfunc wrapper: the whole pipeline (tokenizer, NER, events with tuned thresholds).

MLflow's spaCy flavour returns category scores only, never entities, hence this
custom ``PythonModel``. The event thresholds travel inside the pipeline. Input: a
DataFrame with a ``text`` column (an article or a paragraph per row). Output: one
extraction record per row (see serve/schema.py).
"""

from __future__ import annotations

import mlflow.pyfunc
import pandas as pd


class ThaiEventsModel(mlflow.pyfunc.PythonModel):
    """Loads the spaCy pipeline and thresholds from the model's artifacts."""

    def load_context(self, context) -> None:
        import spacy

        # Registered functions: the model's code travels as code_paths, not as an
        # installed package, so its entry points are not there; importing registers them.
        import thaievents.nlp.events
        import thaievents.nlp.features
        import thaievents.nlp.text  # noqa: F401

        self.nlp = spacy.load(context.artifacts["spacy_model"])

    def predict(self, context, model_input: pd.DataFrame, params=None) -> list[dict]:
        from thaievents.serve.extract import extract

        texts = ["" if text is None else str(text) for text in model_input["text"].tolist()]
        return extract(self.nlp, texts)
