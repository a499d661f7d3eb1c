"""MLflow run helpers: tracking URI, tags (git commit, data hash), safe logging."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

DEFAULT_TRACKING_URI = "sqlite:///mlflow.db"
EXPERIMENT = "thaievents"


def tracking_uri() -> str:
    """``MLFLOW_TRACKING_URI`` from the environment, else a local SQLite store."""
    return os.environ.get("MLFLOW_TRACKING_URI", DEFAULT_TRACKING_URI)


def git_commit() -> str:
    """The current git commit, or ``unknown`` outside a git checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def data_hash(paths: Iterable[Path]) -> str:
    """SHA-256 over the bytes of the given files, in name order (first 16 hex digits)."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def flatten(metrics: Mapping, prefix: str = "") -> dict[str, float]:
    """Nested metric dicts → MLflow keys such as ``spacy.ner.micro.f``."""
    flat: dict[str, float] = {}
    for key, value in metrics.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            flat.update(flatten(value, name))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            flat[name] = float(value)
    return flat


@contextmanager
def mlflow_run(stage: str, params: Mapping[str, object], data_files: Iterable[Path]) -> Iterator[object]:
    """Start an MLflow run for a stage, tagged with the git commit and the data hash."""
    import mlflow

    mlflow.set_tracking_uri(tracking_uri())
    mlflow.set_experiment(EXPERIMENT)
    with mlflow.start_run(run_name=stage) as run:
        mlflow.set_tags({"stage": stage, "git_commit": git_commit(), "data_hash": data_hash(data_files)})
        mlflow.log_params({k: str(v) for k, v in params.items()})
        yield run
