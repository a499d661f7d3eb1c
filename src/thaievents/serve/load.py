"""Load a trained pipeline, with a clear error when the folder is not one."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from thaievents.nlp.inference import load_for_inference


def load_pipeline(model: Path) -> Language:
    """spacy.load with a clear error when the folder is not a trained pipeline."""
    if not (Path(model) / "config.cfg").exists():
        raise FileNotFoundError(
            f"{model}: not a spaCy pipeline folder (no config.cfg); run `dvc repro` first"
        )
    return load_for_inference(model)
