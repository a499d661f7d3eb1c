"""train and evaluate through the CLI on a real gold sample: floors on held-out articles, outputs, MLflow."""

import json
from pathlib import Path

import mlflow
import spacy

from thaievents.data.io import read_jsonl
from thaievents.nlp.events import FACTORY, event_thresholds


def metrics_of(trained_pipeline: Path) -> dict:
    return json.loads((trained_pipeline / "evaluate" / "metrics.json").read_text(encoding="utf-8"))


def test_ner_reaches_a_floor_on_held_out_articles(trained_pipeline: Path) -> None:
    test = metrics_of(trained_pipeline)["test"]
    assert test["size"]["articles"] >= 5
    assert test["ner"]["micro"]["f"] >= 0.55, test["ner"]["micro"]


def test_shipped_events_reach_a_floor_on_held_out_articles(trained_pipeline: Path) -> None:
    events = metrics_of(trained_pipeline)["test"]["events"]
    assert set(events) == {"shipped", "textcat", "tfidf"}
    assert events["shipped"]["paragraph"]["macro"]["f"] >= 0.55, events["shipped"]["paragraph"]["macro"]
    assert events["shipped"]["article"]["macro"]["f"] >= 0.6


def test_every_f1_has_a_bootstrap_interval(trained_pipeline: Path) -> None:
    metrics = metrics_of(trained_pipeline)
    for split in ("test", "challenge"):
        intervals = [metrics[split]["ner"]["micro_f1_ci"]] + [
            events[level]["macro_f1_ci"]
            for events in metrics[split]["events"].values()
            for level in ("paragraph", "article")
        ]
        for interval in intervals:
            assert interval["ci95_low"] <= interval["f"] <= interval["ci95_high"]
            assert interval["ci95_high"] - interval["ci95_low"] > 0  # a few dozen examples are not certain


def test_the_saved_pipeline_carries_the_cross_validated_event_model(trained_pipeline: Path) -> None:
    selection = json.loads((trained_pipeline / "selection.json").read_text(encoding="utf-8"))
    nlp = spacy.load(trained_pipeline / "model" / "model-best")
    assert nlp.pipe_names[-1] == FACTORY
    assert event_thresholds(nlp) == selection["thresholds"]
    assert len(selection["candidates"]) >= 2
    assert all(0 <= t["cv_macro_f1"] <= 1 for t in selection["candidates"])


def test_errors_and_plots_are_written(trained_pipeline: Path) -> None:
    errors = read_jsonl(trained_pipeline / "evaluate" / "errors.jsonl")
    assert {e["split"] for e in errors} == {"test", "challenge"}
    for error in errors:
        assert error["error"] in {"false_positive", "false_negative"} and error["text"]
    assert len(list((trained_pipeline / "evaluate" / "plots" / "pr").glob("*.json"))) == 4
    assert len(list((trained_pipeline / "evaluate" / "plots" / "confusion").glob("*.json"))) == 4


def test_one_parent_run_holds_the_stages_params_and_headline_metrics(trained_pipeline: Path) -> None:
    mlflow.set_tracking_uri(f"sqlite:///{trained_pipeline / 'mlflow.db'}")
    runs = mlflow.search_runs(experiment_names=["thaievents"])
    children = runs[runs["tags.stage"].notna()]
    parents = runs[runs["tags.stage"].isna()]
    assert set(children["tags.stage"]) == {"train", "evaluate"}
    assert len(parents) == 1
    parent = parents.iloc[0]
    assert set(children["tags.mlflow.parentRunId"]) == {parent["run_id"]}
    assert parent["params.train.dropout"] == "0.2"  # every param of params.yaml
    assert 0 < parent["metrics.test.ner_f1"] <= 1
    assert "metrics.test.events_shipped_f1" in parents.columns
    assert children["tags.data_hash"].str.len().min() == 16
