"""Load a trained pipeline, with a clear error when the folder is not one."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language


def load_pipeline(model: Path) -> Language:
    """spacy.load with a clear error when the folder is not a trained pipeline."""
    if not (Path(model) / "config.cfg").exists():
        raise FileNotFoundError(
            f"{model}: not a spaCy pipeline folder (no config.cfg); run `dvc repro` first"
        )
    return spacy.load(model)
