"""train and evaluate through the CLI on the tiny fixture: models learn, outputs and MLflow runs appear."""

import json
from pathlib import Path

import joblib
import mlflow
import pytest
import spacy
from typer.testing import CliRunner

from thaievents.baseline import baseline_scores, gold_matrix
from thaievents.cli import app
from thaievents.docbin import read_docs
from thaievents.io import read_jsonl
from thaievents.metrics import score_entities, score_events

from ..conftest import DICTIONARY, ROOT
from .test_prepare import run_prepare

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, tiny_articles) -> Path:
    """Prepare, train (20 epochs) and evaluate once for the whole module."""
    from thaievents.io import write_jsonl

    work = tmp_path_factory.mktemp("pipeline")
    annotations = work / "annotations"
    write_jsonl(annotations / "gold.jsonl", (p.to_json() for a in tiny_articles for p in a.paragraphs))
    patch = pytest.MonkeyPatch()
    patch.chdir(work)
    patch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{work / 'mlflow.db'}")
    try:
        assert run_prepare(annotations, work).exit_code == 0
        result = runner.invoke(
            app,
            [
                "train",
                "--corpus",
                str(work / "corpus"),
                "--config",
                str(ROOT / "configs" / "pipeline.cfg"),
                "--dictionary",
                str(DICTIONARY),
                "--output",
                str(work / "model"),
                "--baseline-output",
                str(work / "baseline.joblib"),
                "--max-epochs",
                "20",
            ],
        )
        assert result.exit_code == 0, result.output
        result = runner.invoke(
            app,
            [
                "evaluate",
                "--model",
                str(work / "model" / "model-best"),
                "--baseline",
                str(work / "baseline.joblib"),
                "--corpus",
                str(work / "corpus"),
                "--metrics-out",
                str(work / "evaluate" / "metrics.json"),
                "--thresholds-out",
                str(work / "evaluate" / "thresholds.json"),
                "--plots-out",
                str(work / "evaluate" / "plots"),
                "--errors-out",
                str(work / "evaluate" / "errors.jsonl"),
            ],
        )
        assert result.exit_code == 0, result.output
    finally:
        patch.undo()
    return work


def test_spacy_model_learns_the_training_data(trained: Path) -> None:
    nlp = spacy.load(trained / "model" / "model-last")
    gold = read_docs(trained / "corpus" / "train.spacy", nlp.vocab)
    predicted = list(nlp.pipe(d.text for d in gold))
    ner = score_entities(
        [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in gold],
        [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in predicted],
        ["PERSON", "ORGANIZATION", "LOCATION", "DATE", "TIME", "MONEY", "PERCENT", "LAW"],
    )
    assert ner["micro"]["f"] > 0.5


def test_baseline_learns_the_training_data(trained: Path) -> None:
    docs = read_docs(trained / "corpus" / "train.spacy", spacy.blank("th").vocab)
    scores = baseline_scores(joblib.load(trained / "baseline.joblib"), docs)
    assert score_events(gold_matrix(docs), (scores >= 0.5).astype(int))["micro"]["f"] > 0.8


def test_metrics_hold_both_models_at_both_levels(trained: Path) -> None:
    metrics = json.loads((trained / "evaluate" / "metrics.json").read_text())
    assert set(metrics["spacy"]["ner"]["per_label"]) >= {"PERSON", "LOCATION", "DATE"}
    for model in ("spacy", "baseline"):
        for level in ("paragraph", "article"):
            events = metrics[model]["events"][level]
            assert set(events["per_category"]) == {
                "CRACKDOWN",
                "INTEL_SHARING",
                "VICTIM_ASSISTANCE",
                "DIPLOMATIC_FORUM",
            }
            assert 0.0 <= events["macro"]["f"] <= 1.0
    thresholds = json.loads((trained / "evaluate" / "thresholds.json").read_text())
    assert set(thresholds) == {"spacy", "baseline"}


def test_errors_and_plots_are_written(trained: Path) -> None:
    errors = read_jsonl(trained / "evaluate" / "errors.jsonl")
    assert errors, "a model trained on 18 paragraphs makes mistakes on test"
    for error in errors:
        assert error["error"] in {"false_positive", "false_negative"} and error["text"]
    assert len(list((trained / "evaluate" / "plots" / "pr").glob("*.json"))) == 4
    assert len(list((trained / "evaluate" / "plots" / "confusion").glob("*.json"))) == 4


def test_mlflow_runs_are_tagged(trained: Path) -> None:
    mlflow.set_tracking_uri(f"sqlite:///{trained / 'mlflow.db'}")
    runs = mlflow.search_runs(experiment_names=["thaievents"])
    assert set(runs["tags.stage"]) == {"train", "evaluate"}
    assert runs["tags.data_hash"].str.len().min() == 16
    evaluate_run = runs[runs["tags.stage"] == "evaluate"].iloc[0]
    assert "metrics.spacy.ner.micro.f" in runs.columns
    assert evaluate_run["metrics.spacy.events.paragraph.macro.f"] >= 0
