"""Load a trained pipeline with its dev-tuned event thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.language import Language

from thaievents.schema import EVENT_LABELS


def load_thresholds(path: Path | None, model: str = "spacy") -> dict[str, float]:
    """Thresholds written by `evaluate` (``{"spacy": {...}}``), or 0.5 for every category."""
    if path is None or not Path(path).exists():
        return dict.fromkeys(EVENT_LABELS, 0.5)
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {label: float(data.get(model, data).get(label, 0.5)) for label in EVENT_LABELS}


def load_pipeline(model: Path) -> Language:
    """spacy.load with a clear error when the folder is not a trained pipeline."""
    if not (Path(model) / "config.cfg").exists():
        raise FileNotFoundError(
            f"{model}: not a spaCy pipeline folder (no config.cfg); run `dvc repro` first"
        )
    return spacy.load(model)
