"""params.yaml → the defaults of every command, so a command run by hand and `dvc repro` agree.

Each command option that has a project-wide value names where it lives in params.yaml
here, once. The root command loads the file and hands click a ``default_map``; an
option given on the command line still wins.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

PARAMS_ENV = "THAIEVENTS_PARAMS"
PARAMS_FILE = Path("params.yaml")

# command path → {option name: dotted key in params.yaml}
OPTION_SOURCES: dict[tuple[str, ...], dict[str, str]] = {
    ("prepare",): {
        "annotations": "paths.annotations",
        "challenge": "paths.challenge",
        "dictionary": "paths.dictionary",
        "output": "paths.corpus",
        "report": "paths.data_report",
        "seed": "seed",
        "dev_ratio": "prepare.dev_ratio",
        "test_ratio": "prepare.test_ratio",
        "max_bad_span_fraction": "prepare.max_bad_span_fraction",
        "thainer_dir": "paths.thainer",
        "thainer_fraction": "prepare.thainer_fraction",
    },
    ("train",): {
        "corpus": "paths.corpus",
        "config": "paths.pipeline_config",
        "dictionary": "paths.dictionary",
        "cues": "paths.cues",
        "output": "paths.model",
        "selection_out": "paths.selection",
        "seed": "seed",
        "max_epochs": "train.max_epochs",
        "dropout": "train.dropout",
        "learn_rate": "train.learn_rate",
        "width": "train.width",
        "depth": "train.depth",
        "folds": "train.folds",
        "crosswalk": "paths.crosswalk",
        "linker": "records.linker",
    },
    ("evaluate",): {
        "model": "paths.model_best",
        "corpus": "paths.corpus",
        "selection": "paths.selection",
        "metrics_out": "paths.metrics",
        "thresholds_out": "paths.thresholds",
        "plots_out": "paths.plots",
        "errors_out": "paths.errors",
        "report_out": "paths.report",
        "thainer_dir": "paths.thainer",
        "records": "paths.records",
        "seed": "seed",
    },
    ("export",): {
        "model": "paths.model_best",
        "registered_name": "export.registered_name",
        "alias": "export.alias",
        "wheel_dir": "paths.wheel_dir",
        "receipt": "paths.export_receipt",
    },
    ("extract",): {"model": "paths.model_best"},
    ("corpus", "build"): {
        "markup": "paths.markup",
        "articles_out": "paths.articles",
        "gold_out": "paths.gold",
        "challenge": "paths.challenge",
        "dictionary": "paths.dictionary",
    },
    ("corpus", "check"): {"dictionary": "paths.dictionary"},
    ("corpus", "add"): {"imported": "paths.imported", "articles": "paths.articles"},
    ("corpus", "stats"): {
        "annotations": "paths.annotations",
        "targets": "paths.corpus_targets",
        "cues": "paths.cues",
    },
    ("corpus", "compare-passes"): {"first": "paths.markup"},
    ("bench", "thainer"): {
        "thainer_dir": "paths.thainer",
        "config": "paths.pipeline_config",
        "dictionary": "paths.dictionary",
        "width": "train.width",
        "depth": "train.depth",
        "seed": "seed",
    },
    ("bench", "vote"): {"thainer_dir": "paths.thainer", "seed": "seed"},
    ("bench", "active"): {
        "corpus": "paths.corpus",
        "config": "paths.pipeline_config",
        "dictionary": "paths.dictionary",
    },
    ("bench", "speed"): {
        "model": "paths.model_best",
        "annotations": "paths.annotations",
        "dictionary": "paths.dictionary",
    },
    ("bench", "serve"): {"annotations": "paths.annotations"},
    ("bench", "scaling"): {"model": "paths.model_best", "annotations": "paths.annotations"},
    ("annotate", "push"): {"corpus": "paths.imported", "annotations": "paths.annotations"},
    ("annotate", "next"): {
        "corpus": "paths.imported",
        "annotations": "paths.annotations",
        "model": "paths.model_best",
    },
    ("annotate", "pull"): {"output_dir": "paths.pulls", "dictionary": "paths.dictionary"},
    ("annotate", "merge"): {
        "pulls": "paths.pulls",
        "annotations": "paths.annotations",
        "dictionary": "paths.dictionary",
    },
}


def params_path() -> Path:
    """``$THAIEVENTS_PARAMS`` if set, else ``params.yaml`` in the working directory."""
    return Path(os.environ.get(PARAMS_ENV, PARAMS_FILE))


def load_params(path: Path) -> dict[str, Any]:
    """Read params.yaml; a missing file gives no defaults (options must then be given)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def lookup(params: dict[str, Any], dotted: str) -> Any:
    """The value at ``a.b.c``; KeyError names the missing key."""
    value: Any = params
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(dotted)
        value = value[part]
    return value


def default_map(params: dict[str, Any], base: Path | None = None) -> dict[str, Any]:
    """Click's nested ``default_map`` for the root command, from params.yaml values.

    Relative ``paths.*`` are relative to the project (the params file's folder): where
    that is not the working directory, they are resolved against ``base``.
    """
    relocate = base is not None and base.resolve() != Path.cwd().resolve()
    tree: dict[str, Any] = {}
    for command, sources in OPTION_SOURCES.items():
        node = tree
        for name in command:
            node = node.setdefault(name, {})
        for option, dotted in sources.items():
            try:
                value = lookup(params, dotted)
            except KeyError:
                continue
            if relocate and dotted.startswith("paths.") and not Path(str(value)).is_absolute():
                value = str(base / str(value))  # type: ignore[operator]
            node[option] = value
    return tree
