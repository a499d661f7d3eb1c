"""The whole pipeline through `dvc repro` on the tiny fixture: outputs, caching, params, determinism."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ..conftest import ROOT

pytestmark = pytest.mark.e2e


def sh(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def project(
    tmp_path_factory: pytest.TempPathFactory, venv_env: dict[str, str]
) -> tuple[Path, dict[str, str]]:
    """A throwaway git + DVC project: this repo's pipeline, the tiny fixture as annotations."""
    from thaievents.data.io import write_jsonl
    from thaievents.data.markup import read_markup_dir

    work = tmp_path_factory.mktemp("project")
    for name in ("dvc.yaml", ".gitignore", ".dvcignore"):
        shutil.copy(ROOT / name, work / name)
    for folder in ("configs", "src"):
        shutil.copytree(
            ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    articles = read_markup_dir(ROOT / "tests" / "fixtures")
    write_jsonl(work / "annotations" / "gold.jsonl", (p.to_json() for a in articles for p in a.paragraphs))
    records = work / "annotations" / "records"  # no gold records for the tiny fixture: none scored
    records.mkdir()
    (records / "README.md").write_text("Gold event records (JSONL) go here.\n")
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    params["prepare"].update(dev_ratio=0.25, test_ratio=0.25)
    params["train"].update(max_epochs=3, folds=3)
    (work / "params.yaml").write_text(yaml.safe_dump(params))
    env = {
        **venv_env,
        "MLFLOW_TRACKING_URI": f"sqlite:///{work / 'mlflow.db'}",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    sh(["git", "init", "-q"], work, env)
    sh(["dvc", "init", "-q"], work, env)
    sh(["dvc", "config", "core.analytics", "false"], work, env)
    sh(["git", "add", "-A"], work, env)
    sh(["git", "commit", "-qm", "fixture"], work, env)
    return work, env


def test_repro_cache_exp_and_determinism(project: tuple[Path, dict[str, str]]) -> None:
    work, env = project
    first = sh(["dvc", "repro"], work, env)
    for stage in ("prepare", "train", "evaluate", "export"):
        assert f"Running stage '{stage}'" in first
    metrics = json.loads((work / "evaluate" / "metrics.json").read_text())
    assert "ner" in metrics["test"] and "shipped" in metrics["test"]["events"]
    docbins = {p.name: p.read_bytes() for p in (work / "training" / "corpus").glob("*.spacy")}

    second = sh(["dvc", "repro"], work, env)
    assert "Running stage" not in second
    assert "up to date" in sh(["dvc", "status"], work, env)

    sh(["git", "add", "-A"], work, env)
    sh(["git", "commit", "-qm", "lock"], work, env)
    # A forced rerun (what a fresh clone does) reproduces the committed lock byte for byte:
    # every out, the trained pipeline and the wheel included, hashes the same.
    sh(["dvc", "repro", "-f"], work, env)
    assert sh(["git", "status", "--porcelain", "dvc.lock"], work, env).strip() == ""
    experiment = sh(["dvc", "exp", "run", "-S", "train.dropout=0.4"], work, env)
    assert "Running stage 'train'" in experiment and "Running stage 'evaluate'" in experiment
    assert "Running stage 'prepare'" not in experiment

    sh(["git", "checkout", "-q", "--", "params.yaml"], work, env)
    sh(["dvc", "repro", "-f"], work, env)
    assert {p.name: p.read_bytes() for p in (work / "training" / "corpus").glob("*.spacy")} == docbins
    assert json.loads((work / "evaluate" / "metrics.json").read_text()) == metrics

    import mlflow

    mlflow.set_tracking_uri(env["MLFLOW_TRACKING_URI"])
    runs = mlflow.search_runs(experiment_names=["thaievents"])
    parents = runs[runs["tags.pipeline_role"] == "pipeline"]
    assert len(parents) >= 2, "the experiment has its own parent run"
    assert set(parents["tags.dvc_experiment"]) > {""}, "dvc exp run names its parent run"
