"""Our categories → PLOVER category, mode and context, and a CAMEO code, chosen by the trigger.

The table lives in ``configs/event_crosswalk.yaml`` (documented there); the pipeline
carries a copy, so a served model codes events the way it was trained to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language

from thaievents.nlp.events import FACTORY, EventClassifier


@dataclass(frozen=True)
class Coding:
    """How one event is coded: PLOVER category, mode and context, and CAMEO."""

    plover: str
    mode: str
    context: tuple[str, ...]
    cameo: str

    def to_json(self) -> dict:
        return {
            "plover": {"category": self.plover, "mode": self.mode, "context": list(self.context)},
            "cameo": self.cameo,
        }


class Crosswalk:
    """The crosswalk table with its trigger lexicon, longest trigger first."""

    def __init__(self, table: dict[str, Any]) -> None:
        categories = table.get("categories")
        if not isinstance(categories, dict) or not categories:
            raise ValueError("crosswalk: 'categories' must map each event category to its coding")
        self.table = table
        self._triggers: dict[str, list[tuple[str, str]]] = {}
        for category, entry in categories.items():
            modes = entry.get("modes") or {}
            if not modes:
                raise ValueError(f"crosswalk: {category} has no modes")
            pairs = [(str(word), mode) for mode, spec in modes.items() for word in spec.get("triggers", [])]
            self._triggers[category] = sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0]))
        self.counts: dict[str, list[str]] = {k: list(v) for k, v in (table.get("counts") or {}).items()}

    @classmethod
    def load(cls, path: Path) -> Crosswalk:
        return cls(yaml.safe_load(Path(path).read_text(encoding="utf-8")))

    @property
    def categories(self) -> list[str]:
        return list(self.table["categories"])

    def modes(self, category: str) -> list[str]:
        entry = self.table["categories"].get(category)
        return list(entry["modes"]) if entry else []

    def triggers(self, category: str) -> list[tuple[str, str]]:
        """(trigger word, mode) pairs of a category, longest first."""
        return self._triggers.get(category, [])

    def find_trigger(self, text: str, category: str) -> tuple[int, int, str] | None:
        """The earliest trigger of the category in ``text`` (longest at a position): (start, end, mode)."""
        best: tuple[int, int, str] | None = None
        for word, mode in self.triggers(category):
            position = text.find(word)
            if position >= 0 and (best is None or (position, -len(word)) < (best[0], best[0] - best[1])):
                best = (position, position + len(word), mode)
        return best

    def coding(self, category: str, mode: str | None) -> Coding:
        """The coding of a category under a mode (its default mode when ``mode`` is None)."""
        entry = self.table["categories"][category]
        mode = str(mode) if mode in entry["modes"] else str(next(iter(entry["modes"])))
        spec = entry["modes"][mode]
        return Coding(
            plover=str(spec.get("plover", entry["plover"])),
            mode=mode,
            context=tuple(entry.get("context", [])),
            cameo=str(spec["cameo"]),
        )


def record_coding(nlp: Language) -> tuple[Crosswalk, str]:
    """The crosswalk and linker a pipeline carries (schema v2 needs them)."""
    if FACTORY in nlp.pipe_names:
        component = nlp.get_pipe(FACTORY)
        if isinstance(component, EventClassifier) and component.crosswalk:
            return Crosswalk(component.crosswalk), component.linker
    raise ValueError(
        "this pipeline carries no event crosswalk (trained before schema v2): retrain, or use --schema v1"
    )
