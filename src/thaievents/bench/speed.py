"""Speed, load time, peak memory and size of tokenizers and models, each beside its peer.

Every measurement runs in a fresh process so imports, caches and memory start clean.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def paragraph_texts(annotations: Path) -> list[str]:
    """The paragraphs of a folder of gold JSONL; a clear error where there are none."""
    from thaievents.data.io import read_jsonl

    if not annotations.is_dir():
        raise ValueError(f"{annotations}: not a folder; give the folder of gold *.jsonl (e.g. annotations)")
    texts = [r["text"] for path in sorted(annotations.glob("*.jsonl")) for r in read_jsonl(path)]
    if not texts:
        raise ValueError(f"{annotations}: no paragraphs in its *.jsonl files")
    return texts


def _measure_tokenizer(name: str, texts: list[str], dictionary: str) -> dict:
    """Runs in a fresh process: tokens per second of one tokenizer over the texts."""
    if name == "thaievents":
        from thaievents.nlp.text import blank_thai, read_word_list

        nlp = blank_thai(read_word_list(Path(dictionary)))
        tokenize = nlp.tokenizer
    elif name == "newmm":
        from pythainlp.tokenize import word_tokenize

        def tokenize(text: str) -> list[str]:
            return word_tokenize(text, engine="newmm", keep_whitespace=True)
    elif name == "spacy_blank_th":
        import spacy

        tokenize = spacy.blank("th").tokenizer
    else:  # spacy-thai: its tokenizer alone, no UD parse
        import spacy_thai

        tokenize = spacy_thai.load().tokenizer
    tokenize(texts[0])
    started = time.perf_counter()
    tokens = 0
    for text in texts:
        tokens += sum(1 for t in tokenize(text) if not str(t).isspace())
    return {"tokens": tokens, "seconds": time.perf_counter() - started}


def _measure_model(kind: str, path: str, texts: list[str], n_process: int) -> dict:
    """Runs in a fresh process: load time, words per second, peak memory of one model."""
    import resource

    started = time.perf_counter()
    from thaievents.nlp.inference import load_for_inference

    if kind == "spacy":
        nlp = load_for_inference(path)
        loaded = time.perf_counter() - started
        words = sum(len(t.split()) for t in texts)
        from thaievents.nlp.inference import worker_threads
        from thaievents.serve.extract import PIPE_BATCH, warm_up

        if n_process != 1:
            warm_up(nlp)  # as extract does: workers fork with the lists loaded
        started = time.perf_counter()
        with worker_threads(nlp, n_process):
            tokens = sum(
                sum(1 for t in doc if not t.is_space)
                for doc in nlp.pipe(texts, batch_size=PIPE_BATCH, n_process=n_process)
            )
    elif kind == "extract":  # the product path: `thaievents extract`, its records built
        from thaievents.serve.extract import extract

        nlp = load_for_inference(path)
        loaded = time.perf_counter() - started
        counted: list[int] = []
        started = time.perf_counter()
        extract(nlp, texts, n_process=n_process, on_paragraph=counted.append)
        tokens, words = sum(counted), sum(len(t.split()) for t in texts)
    else:  # the peer: tokenizer + the TF-IDF event model alone, no NER, no textcat
        from thaievents.nlp.events import FACTORY, EventClassifier

        nlp = load_for_inference(path, exclude=[n for n in ("tok2vec", "ner", "textcat_multilabel")])
        events = nlp.get_pipe(FACTORY)
        assert isinstance(events, EventClassifier)
        events.textcat_weight = 0.0
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        tokens = sum(sum(1 for t in doc if not t.is_space) for doc in nlp.pipe(texts, batch_size=64))
        words = 0
    seconds = time.perf_counter() - started
    return {
        "load_seconds": loaded,
        "seconds": seconds,
        "tokens": tokens,
        "words": words,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run_and_report(queue: Any, function: Callable[..., dict], args: tuple) -> None:
    fork_workers()
    queue.put(function(*args))


def fork_workers() -> None:
    """In a spawned measuring process, let ``nlp.pipe(n_process=2)`` fork its workers, as
    `thaievents extract` does on Linux (a spawned process would spawn them: cold, slower)."""
    import multiprocessing
    import sys

    if sys.platform.startswith("linux"):
        multiprocessing.set_start_method("fork", force=True)


def _in_fresh_process(function: Callable[..., dict], *args: Any) -> dict:
    """Run a measurement in a new (non-daemon) process so memory and imports start clean."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run_and_report, args=(queue, function, args))
    process.start()
    result = queue.get()
    process.join()
    return result


def _size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 2**20, 2)


def run_speed(model: Path, annotations: Path, dictionary: Path, copies: int = 3) -> dict:
    """Tokenizer and pipeline throughput, size, load time and peak memory, each beside its peer.

    Every timing runs over the same workload, the texts repeated ``copies`` times: a ratio
    then compares the same work. No tokenizer here caches segmentations (newmm takes the
    same time on each pass), so a copy costs what the first did.
    """
    texts = paragraph_texts(annotations)
    # Copies of the corpus, so two worker processes have enough work to pay for their start.
    workload = texts * copies
    tokenizers = {}
    for name in ("thaievents", "newmm", "spacy_blank_th", "spacy_thai"):
        measured = _in_fresh_process(_measure_tokenizer, name, workload, str(dictionary))
        tokenizers[name] = {**measured, "tokens_per_second": round(measured["tokens"] / measured["seconds"])}
    ours = tokenizers["thaievents"]["tokens_per_second"]
    for row in tokenizers.values():
        row["ratio_to_thaievents"] = round(row["tokens_per_second"] / ours, 3)

    runs = {
        "spacy_1_process": _in_fresh_process(_measure_model, "spacy", str(model), workload, 1),
        # spaCy's own two workers: one BLAS thread each, Docs back without tensors (worker_threads).
        "spacy_2_processes": _in_fresh_process(_measure_model, "spacy", str(model), workload, 2),
        "baseline_events": _in_fresh_process(_measure_model, "tfidf_events", str(model), workload, 1),
        # `thaievents extract`: its workers run whole blocks and send back records, not Docs.
        "extract_1_process": _in_fresh_process(_measure_model, "extract", str(model), workload, 1),
        "extract_2_processes": _in_fresh_process(_measure_model, "extract", str(model), workload, 2),
    }
    for row in runs.values():
        row["tokens_per_second"] = round(row["tokens"] / row["seconds"])
    one = runs["spacy_1_process"]
    results = {
        "texts": {
            "paragraphs": len(texts),
            "characters": sum(map(len, texts)),
            "workload_copies": copies,
        },
        "tokenizers": tokenizers,
        "pipeline": runs,
        "size_mb": {"spacy_model": _size_mb(model), "baseline": _size_mb(model / "thaievents_events")},
        "ratios": {
            "spacy_2_vs_1_process_throughput": round(
                runs["spacy_2_processes"]["tokens_per_second"] / one["tokens_per_second"], 3
            ),
            "pipeline_1_process_vs_newmm_tokens_per_second": round(
                one["tokens_per_second"] / tokenizers["newmm"]["tokens_per_second"], 3
            ),
            "pipeline_2_processes_vs_newmm_tokens_per_second": round(
                runs["spacy_2_processes"]["tokens_per_second"] / tokenizers["newmm"]["tokens_per_second"], 3
            ),
            **{
                f"{name}_vs_newmm_tokens_per_second": round(
                    runs[name]["tokens_per_second"] / tokenizers["newmm"]["tokens_per_second"], 3
                )
                for name in ("extract_1_process", "extract_2_processes")
            },
            "extract_2_vs_1_process_throughput": round(
                runs["extract_2_processes"]["tokens_per_second"]
                / runs["extract_1_process"]["tokens_per_second"],
                3,
            ),
            "spacy_vs_baseline_throughput": round(
                one["tokens_per_second"] / runs["baseline_events"]["tokens_per_second"], 3
            ),
            "spacy_vs_baseline_load_time": round(
                one["load_seconds"] / runs["baseline_events"]["load_seconds"], 3
            ),
            "spacy_vs_baseline_peak_memory": round(
                one["peak_rss_mb"] / runs["baseline_events"]["peak_rss_mb"], 3
            ),
            "spacy_vs_baseline_size": round(
                _size_mb(model) / max(_size_mb(model / "thaievents_events"), 1e-9), 3
            ),
        },
        "machine": {"cpus": os.cpu_count()},
    }
    return results
