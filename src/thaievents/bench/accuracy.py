"""ThaiNER accuracy: the project's spaCy NER against a CRF peer, and their span vote.

Trains on all of ThaiNER, so it runs in `make bench`, never in tests.
"""

from __future__ import annotations

import json
import pickle
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from thaievents.data.io import atomic_path
from thaievents.data.schema import ENTITY_LABELS, Entity
from thaievents.data.thainer import Sentence, char_spans, gold_entities, read_split
from thaievents.evaluation.metrics import paired_bootstrap, score_entities


def parse_overrides(pairs: Sequence[str]) -> dict[str, object]:
    """``KEY=VALUE`` strings → spaCy config overrides; VALUE is JSON where it parses, else a string.

    Raises:
        ValueError: on a pair without ``=``.
    """
    parsed: dict[str, object] = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key:
            raise ValueError(f"{pair!r}: expected KEY=VALUE")
        try:
            parsed[key] = json.loads(value)
        except json.JSONDecodeError:
            parsed[key] = value
    return parsed


def spacy_entities(nlp: Language, inputs: Iterable[str] | Iterable[Doc]) -> list[list[Entity]]:
    """Character-offset entities of each text (or pre-tokenized Doc) through a spaCy pipeline."""
    return [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(inputs, batch_size=64)
    ]


def crf_entities(crf: Any, sentences: list[Sentence]) -> list[list[Entity]]:
    """Character-offset entities the CRF predicts on each ThaiNER sentence's own tokens."""
    from thaievents.models.crf import predict_spans

    return [
        char_spans(s.tokens, spans) for s, spans in zip(sentences, predict_spans(crf, sentences), strict=True)
    ]


def save_pickle(value: object, path: Path) -> None:
    """Pickle to ``path`` through a temp file, so a crash never leaves half a file."""
    with atomic_path(path) as temp:
        temp.write_bytes(pickle.dumps(value))


def write_thainer_docbins(thainer: Path, output: Path) -> dict[str, int]:
    """ThaiNER splits as DocBins with the project's labels; returns sentence counts."""
    import spacy

    from thaievents.data.docbin import write_docs
    from thaievents.data.split import SPLITS
    from thaievents.data.thainer import sentence_to_doc

    vocab = spacy.blank("th").vocab
    counts = {}
    for split in SPLITS:
        sentences = read_split(thainer, split)
        counts[split] = write_docs((sentence_to_doc(vocab, s) for s in sentences), output / f"{split}.spacy")
    return counts


def run_thainer(
    thainer_dir: Path,
    config: Path,
    dictionary: Path,
    work: Path,
    *,
    max_epochs: int,
    width: int,
    depth: int,
    eval_frequency: int,
    init_tok2vec: Path | None,
    overrides: dict[str, object],
    crf_iterations: int,
    seed: int,
) -> dict:
    """Train spaCy NER and a CRF on ThaiNER train; score both on ThaiNER test (exact match)."""
    import spacy
    from spacy.cli.train import train as spacy_train

    from thaievents.models.crf import train_crf

    counts = write_thainer_docbins(thainer_dir, work / "corpus")
    test = read_split(thainer_dir, "test")
    gold = gold_entities(test)

    started = time.perf_counter()
    settings: dict[str, object] = {
        "paths.train": str(work / "corpus" / "train.spacy"),
        "paths.dev": str(work / "corpus" / "dev.spacy"),
        "paths.dictionary": str(dictionary),
        "nlp.pipeline": ["tok2vec", "ner"],
        "training.max_epochs": max_epochs,
        "training.eval_frequency": eval_frequency,
        "system.seed": seed,
        "components.tok2vec.model.encode.width": width,
        "components.tok2vec.model.encode.depth": depth,
        "training.score_weights": {"ents_f": 1.0},
    }
    if init_tok2vec is not None:
        settings["paths.init_tok2vec"] = str(init_tok2vec)
    settings.update(overrides)
    with atomic_path(work / "model", directory=True) as temp:
        spacy_train(config, temp, overrides=settings)
    spacy_seconds = time.perf_counter() - started
    nlp = spacy.load(work / "model" / "model-best")
    texts = ["".join(s.tokens) for s in test]
    started = time.perf_counter()
    predicted = spacy_entities(nlp, texts)
    spacy_wps = sum(len(s.tokens) for s in test) / (time.perf_counter() - started)
    # The same model on ThaiNER's own tokens: separates tokenization from recognition.
    gold_token_docs = (Doc(nlp.vocab, words=s.tokens, spaces=[False] * len(s.tokens)) for s in test)
    on_gold_tokens = spacy_entities(nlp, gold_token_docs)

    started = time.perf_counter()
    crf = train_crf(read_split(thainer_dir, "train"), max_iterations=crf_iterations)
    crf_seconds = time.perf_counter() - started
    save_pickle(crf, work / "crf.pkl")  # `bench vote` reuses it
    crf_predicted = crf_entities(crf, test)

    spacy_scores = score_entities(gold, predicted, ENTITY_LABELS)
    crf_scores = score_entities(gold, crf_predicted, ENTITY_LABELS)
    return {
        "data": {
            "thainer": str(thainer_dir),
            "sentences": counts,
            "labels": list(ENTITY_LABELS),
            "dropped_labels": ["EMAIL", "LEN", "PHONE", "URL", "ZIP"],
        },
        "spacy": {
            **spacy_scores,
            "train_seconds": round(spacy_seconds, 1),
            "epochs": max_epochs,
            "width": width,
            "depth": depth,
            "test_words_per_second": round(spacy_wps),
            "config": str(config),
            "overrides": overrides,
        },
        "spacy_on_gold_tokens": score_entities(gold, on_gold_tokens, ENTITY_LABELS),
        "crf": {**crf_scores, "train_seconds": round(crf_seconds, 1), "iterations": crf_iterations},
        "micro_f1_ratio_spacy_to_crf": round(
            spacy_scores["micro"]["f"] / max(crf_scores["micro"]["f"], 1e-9), 3
        ),
        # Is the gap more than which sentences the test set happens to hold?
        "micro_f1_spacy_minus_crf": paired_bootstrap(gold, predicted, crf_predicted, seed=seed),
        "published_anchors": {"crf_micro_f1": 0.790, "wangchanberta_micro_f1": "0.86-0.89"},
    }


def run_vote(runs: Sequence[Path], crf: Path, thainer_dir: Path, min_votes: int, seed: int) -> dict:
    """Majority vote of trained spaCy NERs and the CRF on ThaiNER test, beside each member.

    Raises:
        FileNotFoundError: when a member model or the CRF is missing.
    """
    import spacy

    from thaievents.models.ensemble import vote_corpus

    for folder in runs:
        if not (folder / "model" / "model-best").exists():
            raise FileNotFoundError(f"{folder}: no model/model-best; run `bench thainer` first")
    if not crf.exists():
        raise FileNotFoundError(f"{crf}: not found; `bench thainer` saves it")
    test = read_split(thainer_dir, "test")
    gold = gold_entities(test)
    texts = ["".join(s.tokens) for s in test]
    members = {str(f): spacy_entities(spacy.load(f / "model" / "model-best"), texts) for f in runs}
    members["crf"] = crf_entities(pickle.loads(crf.read_bytes()), test)
    voted = vote_corpus(list(members.values()), min_votes)
    return {
        "members": {name: score_entities(gold, p, ENTITY_LABELS)["micro"] for name, p in members.items()},
        "min_votes": min_votes,
        "vote": score_entities(gold, voted, ENTITY_LABELS),
        "micro_f1_vote_minus_crf": paired_bootstrap(gold, voted, members["crf"], seed=seed),
        "micro_f1_vote_minus_first_run": paired_bootstrap(gold, voted, members[str(runs[0])], seed=seed),
    }
