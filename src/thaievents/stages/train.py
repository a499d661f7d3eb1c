"""train: DocBins → a spaCy pipeline (NER + event classifier) and a scikit-learn event baseline."""

from __future__ import annotations

from pathlib import Path

import joblib
import spacy
import typer
from spacy.cli.train import train as spacy_train

from thaievents.baseline import fit_baseline
from thaievents.docbin import read_docs
from thaievents.io import atomic_path
from thaievents.tracking import mlflow_run


def train_pipeline(
    config: Path, train_path: Path, dev_path: Path, dictionary: Path, output: Path, overrides: dict
) -> Path:
    """Run ``spacy train`` into ``output`` (atomically) and return the best model's path."""
    settings = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "paths.dictionary": str(dictionary),
        **overrides,
    }
    with atomic_path(output, directory=True) as temp:
        spacy_train(config, temp, overrides=settings, use_gpu=-1)
    return output / "model-best"


def train(
    corpus: Path = typer.Option(Path("training/corpus"), help="Folder with train.spacy and dev.spacy."),
    config: Path = typer.Option(Path("configs/pipeline.cfg"), help="spaCy training config."),
    dictionary: Path = typer.Option(Path("configs/domain_words.txt"), help="Tokenizer domain dictionary."),
    output: Path = typer.Option(
        Path("training/model"), help="Where spaCy writes model-best/ and model-last/."
    ),
    baseline_output: Path = typer.Option(Path("training/baseline.joblib"), help="The baseline model file."),
    seed: int = typer.Option(0, help="Random seed for spaCy and the baseline."),
    max_epochs: int = typer.Option(30, help="spaCy training epochs."),
    dropout: float = typer.Option(0.3, help="spaCy dropout."),
    learn_rate: float = typer.Option(0.001, help="spaCy Adam learning rate."),
    width: int = typer.Option(128, help="Width of the shared tok2vec."),
    depth: int = typer.Option(4, help="Depth of the shared tok2vec."),
    baseline_c: float = typer.Option(
        4.0, help="Inverse regularisation of the baseline's logistic regression."
    ),
) -> None:
    """Train the spaCy pipeline and the event baseline; log both to MLflow."""
    overrides = {
        "system.seed": seed,
        "training.max_epochs": max_epochs,
        "training.dropout": dropout,
        "training.optimizer.learn_rate": learn_rate,
        "components.tok2vec.model.encode.width": width,
        "components.tok2vec.model.encode.depth": depth,
    }
    data = [corpus / "train.spacy", corpus / "dev.spacy"]
    with mlflow_run("train", {**overrides, "baseline_c": baseline_c}, data) as _:
        import mlflow

        best = train_pipeline(config, data[0], data[1], dictionary, output, overrides)
        meta = spacy.util.load_meta(best / "meta.json")
        performance = {k: v for k, v in meta.get("performance", {}).items() if isinstance(v, (int, float))}
        mlflow.log_metrics({f"dev.{k}": float(v) for k, v in performance.items()})
        mlflow.log_artifacts(str(best), artifact_path="spacy_model")

        nlp = spacy.load(best)
        baseline = fit_baseline(read_docs(data[0], nlp.vocab), seed, baseline_c)
        with atomic_path(baseline_output) as temp:
            joblib.dump(baseline, temp)
        mlflow.log_artifact(str(baseline_output), artifact_path="baseline")
    typer.echo(f"trained {best} and {baseline_output}")
