"""train and evaluate through the CLI on the tiny fixture: models learn, outputs and MLflow runs appear."""

import json
from pathlib import Path

import joblib
import mlflow
import spacy

from thaievents.baseline import baseline_scores, gold_matrix
from thaievents.docbin import read_docs
from thaievents.io import read_jsonl
from thaievents.metrics import score_entities, score_events


def test_spacy_model_learns_the_training_data(trained_pipeline: Path) -> None:
    nlp = spacy.load(trained_pipeline / "model" / "model-last")
    gold = read_docs(trained_pipeline / "corpus" / "train.spacy", nlp.vocab)
    predicted = list(nlp.pipe(d.text for d in gold))
    ner = score_entities(
        [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in gold],
        [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in predicted],
        ["PERSON", "ORGANIZATION", "LOCATION", "DATE", "TIME", "MONEY", "PERCENT", "LAW"],
    )
    assert ner["micro"]["f"] > 0.5


def test_baseline_learns_the_training_data(trained_pipeline: Path) -> None:
    docs = read_docs(trained_pipeline / "corpus" / "train.spacy", spacy.blank("th").vocab)
    scores = baseline_scores(joblib.load(trained_pipeline / "baseline.joblib"), docs)
    assert score_events(gold_matrix(docs), (scores >= 0.5).astype(int))["micro"]["f"] > 0.8


def test_metrics_hold_both_models_at_both_levels(trained_pipeline: Path) -> None:
    metrics = json.loads((trained_pipeline / "evaluate" / "metrics.json").read_text())
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
    thresholds = json.loads((trained_pipeline / "evaluate" / "thresholds.json").read_text())
    assert set(thresholds) == {"spacy", "baseline"}


def test_errors_and_plots_are_written(trained_pipeline: Path) -> None:
    errors = read_jsonl(trained_pipeline / "evaluate" / "errors.jsonl")
    assert errors, "a model trained on 18 paragraphs makes mistakes on test"
    for error in errors:
        assert error["error"] in {"false_positive", "false_negative"} and error["text"]
    assert len(list((trained_pipeline / "evaluate" / "plots" / "pr").glob("*.json"))) == 4
    assert len(list((trained_pipeline / "evaluate" / "plots" / "confusion").glob("*.json"))) == 4


def test_mlflow_runs_are_tagged(trained_pipeline: Path) -> None:
    mlflow.set_tracking_uri(f"sqlite:///{trained_pipeline / 'mlflow.db'}")
    runs = mlflow.search_runs(experiment_names=["thaievents"])
    assert set(runs["tags.stage"]) == {"train", "evaluate"}
    assert runs["tags.data_hash"].str.len().min() == 16
    evaluate_run = runs[runs["tags.stage"] == "evaluate"].iloc[0]
    assert "metrics.spacy.ner.micro.f" in runs.columns
    assert evaluate_run["metrics.spacy.events.paragraph.macro.f"] >= 0
