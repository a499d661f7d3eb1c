"""train: DocBins → a spaCy pipeline (NER, textcat, and the cross-validated event component)."""

from __future__ import annotations

from pathlib import Path

import typer

from thaievents.data.io import write_json
from thaievents.models.pipeline import EventSettings, read_cue_words, train_pipeline
from thaievents.records.crosswalk import Crosswalk
from thaievents.records.linking import LINKERS
from thaievents.tracking import log_dir, log_file, log_metrics, stage_run


def train(
    corpus: Path = typer.Option(..., help="Folder with train.spacy and dev.spacy."),
    config: Path = typer.Option(..., help="spaCy training config."),
    dictionary: Path = typer.Option(..., help="Tokenizer domain dictionary."),
    cues: Path = typer.Option(..., help="Event cue words (YAML), candidate features of the event model."),
    output: Path = typer.Option(..., help="Where spaCy writes model-best/ and model-last/."),
    selection_out: Path = typer.Option(..., help="What cross-validation measured and chose (JSON)."),
    seed: int = typer.Option(..., help="Random seed for spaCy and the event model."),
    max_epochs: int = typer.Option(..., help="spaCy training epochs."),
    dropout: float = typer.Option(..., help="spaCy dropout."),
    learn_rate: float = typer.Option(..., help="spaCy Adam learning rate."),
    width: int = typer.Option(..., help="Width of the shared tok2vec."),
    depth: int = typer.Option(..., help="Depth of the shared tok2vec."),
    folds: int = typer.Option(..., help="Grouped folds over train+dev articles for the event model."),
    crosswalk: Path = typer.Option(..., help="PLOVER/CAMEO crosswalk (YAML) coding event records."),
    linker: str = typer.Option(..., help="Role linker of event records: nearest, window, syntax or hybrid."),
) -> None:
    """Train the spaCy pipeline with its event component; log it to MLflow."""
    overrides: dict[str, object] = {
        "system.seed": seed,
        "training.max_epochs": max_epochs,
        "training.dropout": dropout,
        "training.optimizer.learn_rate": learn_rate,
        "components.tok2vec.model.encode.width": width,
        "components.tok2vec.model.encode.depth": depth,
    }
    data = [corpus / "train.spacy", corpus / "dev.spacy"]
    with stage_run("train", {**overrides, "folds": folds}, data):
        if linker not in LINKERS:
            raise typer.BadParameter(f"use one of {', '.join(LINKERS)}", param_hint="--linker")
        table = Crosswalk.load(crosswalk).table  # validates the table before hours of training
        settings = EventSettings(cue_words=read_cue_words(cues), crosswalk=table, linker=linker, folds=folds)
        report = train_pipeline(config, corpus, dictionary, output, overrides, settings, seed)
        write_json(selection_out, report)
        best = max(t["cv_macro_f1"] for t in report["candidates"])
        log_metrics({"events.cv_macro_f1": best})
        log_file(selection_out)
        log_dir(output / "model-best", "spacy_model")
    typer.echo(
        f"trained {output / 'model-best'}; events: {report['chosen']}, cv macro-F1 {best:.3f}, "
        f"textcat weight {report['textcat_weight']}"
    )
