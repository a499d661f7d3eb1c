"""MLflow tracking: one parent run per pipeline run, the stages as its child runs.

`dvc repro` runs each stage in its own process, so the stages of one pipeline run
find their parent by a key: the DVC experiment name (``DVC_EXP_NAME``, set by
`dvc exp run`), the git commit and a hash of params.yaml. The parent carries every
param and the headline metrics, so `mlflow ui` compares experiments on one row each;
a stage's detail (all metrics, artifacts) lives in its child run.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from thaievents.params import load_params, params_path

DEFAULT_TRACKING_URI = "sqlite:///mlflow.db"
EXPERIMENT = "thaievents"
PIPELINE_KEY_TAG = "pipeline_key"
ROLE_TAG = "pipeline_role"


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
        digest.update(path.read_bytes() if path.is_file() else b"")
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


def pipeline_key(experiment_name: str, commit: str, params_file: Path) -> str:
    """What the stages of one pipeline run share (and two different runs do not)."""
    params = params_file.read_bytes() if params_file.exists() else b""
    return hashlib.sha256(f"{experiment_name}\0{commit}\0".encode() + params).hexdigest()[:16]


def _parent_run_id(client: Any, experiment_id: str, key: str, tags: dict[str, str], params: dict) -> str:
    """The parent run with this key, created (with every param) the first time."""
    query = f"tags.{PIPELINE_KEY_TAG} = '{key}' and tags.{ROLE_TAG} = 'pipeline'"
    found = client.search_runs([experiment_id], filter_string=query, max_results=1)
    if found:
        return str(found[0].info.run_id)
    run = client.create_run(  # the children carry the key too; the role tells the parent apart
        experiment_id,
        run_name=tags["dvc_experiment"] or f"pipeline-{key[:8]}",
        tags={**tags, ROLE_TAG: "pipeline"},
    )
    for name, value in sorted(params.items()):
        client.log_param(run.info.run_id, name, str(value)[:500])
    return str(run.info.run_id)


@contextmanager
def stage_run(stage: str, params: Mapping[str, object], data_files: Iterable[Path]) -> Iterator[str]:
    """A child run for one stage under the pipeline's parent run; yields the parent's id."""
    import mlflow

    mlflow.set_tracking_uri(tracking_uri())
    experiment = mlflow.set_experiment(EXPERIMENT)
    client = mlflow.MlflowClient()
    commit = git_commit()
    experiment_name = os.environ.get("DVC_EXP_NAME", "")
    path = params_path()
    key = pipeline_key(experiment_name, commit, path)
    tags = {PIPELINE_KEY_TAG: key, "git_commit": commit, "dvc_experiment": experiment_name}
    parent = _parent_run_id(client, experiment.experiment_id, key, tags, flatten(load_params(path)))
    child_tags = {**tags, ROLE_TAG: "stage", "stage": stage, "data_hash": data_hash(data_files)}
    with mlflow.start_run(run_name=stage, parent_run_id=parent, tags=child_tags):
        client.set_tag(parent, f"stage.{stage}.data_hash", child_tags["data_hash"])
        mlflow.log_params({k: str(v) for k, v in params.items()})
        yield parent
    client.set_terminated(parent)  # each stage closes it; the next stage's metrics still land


def log_metrics(metrics: Mapping[str, float], parent: str | None = None) -> None:
    """Log to the active stage run, and to the parent run too when its id is given."""
    import mlflow

    mlflow.log_metrics(dict(metrics))
    if parent is not None:
        client = mlflow.MlflowClient()
        for name, value in metrics.items():
            client.log_metric(parent, name, value)


def log_file(path: Path, artifact_path: str | None = None) -> None:
    import mlflow

    mlflow.log_artifact(str(path), artifact_path=artifact_path)


def log_dir(path: Path, artifact_path: str) -> None:
    import mlflow

    mlflow.log_artifacts(str(path), artifact_path=artifact_path)
