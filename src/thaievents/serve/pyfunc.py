"""MLflow pyfunc wrapper: the whole pipeline (tokenizer, NER, events with tuned thresholds).

MLflow's spaCy flavour returns category scores only, never entities, hence this
custom ``PythonModel``. The event thresholds travel inside the pipeline. Input: a
DataFrame with a ``text`` column (an article or a paragraph per row) and an optional
``date`` column (the publication date, ISO). Output: one extraction record per row,
schema v2 (event records) when the pipeline carries its crosswalk (see serve/schema.py).
"""

from __future__ import annotations

import mlflow.pyfunc
import pandas as pd

MAX_TEXT_CHARS = 100_000  # a long news article is 20,000 characters
MAX_REQUEST_CHARS = 1_000_000


class ThaiEventsModel(mlflow.pyfunc.PythonModel):
    """Loads the spaCy pipeline and thresholds from the model's artifacts."""

    def load_context(self, context) -> None:
        # Registered functions: the model's code travels as code_paths, not as an
        # installed package, so its entry points are not there; importing registers them.
        import thaievents.nlp.events
        import thaievents.nlp.features
        import thaievents.nlp.ner
        import thaievents.nlp.text  # noqa: F401
        from thaievents.nlp.inference import load_for_inference
        from thaievents.records.crosswalk import record_coding

        self.nlp = load_for_inference(context.artifacts["spacy_model"])
        try:  # event records (schema v2) when the pipeline carries its crosswalk
            record_coding(self.nlp)
            self.schema = "v2"
        except ValueError:
            self.schema = "v1"

    def predict(self, context, model_input: pd.DataFrame, params=None) -> list[dict]:
        from thaievents.serve.extract import extract

        texts = ["" if text is None else str(text) for text in model_input["text"].tolist()]
        too_long = [i for i, text in enumerate(texts) if len(text) > MAX_TEXT_CHARS]
        if too_long or sum(map(len, texts)) > MAX_REQUEST_CHARS:
            from mlflow.exceptions import MlflowException
            from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

            # A 400 at once, instead of minutes of one worker's time on one request.
            raise MlflowException(
                f"texts over {MAX_TEXT_CHARS:,} characters (rows {too_long[:5]}) or a request over "
                f"{MAX_REQUEST_CHARS:,}: split the input into articles",
                error_code=INVALID_PARAMETER_VALUE,
            )
        dates = None
        if "date" in model_input.columns:
            dates = [None if pd.isna(value) else str(value) for value in model_input["date"].tolist()]
        return extract(self.nlp, texts, schema=self.schema, dates=dates)
