"""bench: ThaiNER accuracy (spaCy NER vs a CRF peer) and speed side by side (`make bench`).

Never run inside tests: it trains on all of ThaiNER and times things.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer

from thaievents.io import atomic_path, write_json
from thaievents.metrics import paired_bootstrap, score_entities
from thaievents.schema import ENTITY_LABELS

app = typer.Typer(
    help="Benchmarks: ThaiNER accuracy against a CRF peer; speed and memory.", no_args_is_help=True
)


def char_spans(tokens: list[str], spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Token spans → character offsets into "".join(tokens)."""
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return [(offsets[s], offsets[e], label) for s, e, label in spans]


def parse_overrides(pairs: list[str]) -> dict[str, object]:
    """``KEY=VALUE`` strings → spaCy config overrides; VALUE is JSON where it parses, else a string."""
    import json

    parsed: dict[str, object] = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key:
            raise typer.BadParameter(f"{pair!r}: expected KEY=VALUE", param_hint="--override")
        try:
            parsed[key] = json.loads(value)
        except json.JSONDecodeError:
            parsed[key] = value
    return parsed


def spacy_entities(nlp, inputs) -> list[list[tuple[int, int, str]]]:
    """Character-offset entities of each text (or pre-tokenized Doc) through a spaCy pipeline."""
    return [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(inputs, batch_size=64)
    ]


def crf_entities(crf, sentences) -> list[list[tuple[int, int, str]]]:
    """Character-offset entities the CRF predicts on each ThaiNER sentence's own tokens."""
    from thaievents.crf import predict_spans

    return [
        char_spans(s.tokens, spans) for s, spans in zip(sentences, predict_spans(crf, sentences), strict=True)
    ]


def gold_entities(sentences) -> list[list[tuple[int, int, str]]]:
    """Character-offset gold entities of ThaiNER sentences, mapped to the project's labels."""
    from thaievents.thainer import entity_spans

    return [char_spans(s.tokens, list(entity_spans(s.tokens, s.tags))) for s in sentences]


def save_pickle(value: object, path: Path) -> None:
    """Pickle to ``path`` through a temp file, so a crash never leaves half a file."""
    import pickle

    with atomic_path(path) as temp:
        temp.write_bytes(pickle.dumps(value))


def write_thainer_docbins(thainer: Path, output: Path) -> dict[str, int]:
    """ThaiNER splits as DocBins with the project's labels; returns sentence counts."""
    import spacy

    from thaievents.docbin import write_docs
    from thaievents.thainer import SPLITS, read_split, sentence_to_doc

    vocab = spacy.blank("th").vocab
    counts = {}
    for split in SPLITS:
        sentences = read_split(thainer, split)
        counts[split] = write_docs((sentence_to_doc(vocab, s) for s in sentences), output / f"{split}.spacy")
    return counts


@app.command()
def thainer(
    thainer_dir: Path = typer.Option(
        Path("../shared/data/thainer"), help="ThaiNER 1.3 folder (jsonl splits)."
    ),
    config: Path = typer.Option(
        Path("configs/pipeline.cfg"), help="The project's spaCy config (NER part is used)."
    ),
    dictionary: Path = typer.Option(Path("configs/domain_words.txt"), help="Tokenizer domain dictionary."),
    work: Path = typer.Option(Path("bench/work/thainer"), help="Scratch folder (DocBins, model)."),
    output: Path = typer.Option(Path("evaluate/thainer.json"), help="Results (JSON)."),
    max_epochs: int = typer.Option(20, help="spaCy epochs on ThaiNER train."),
    width: int = typer.Option(128, help="tok2vec width."),
    depth: int = typer.Option(4, help="tok2vec depth."),
    eval_frequency: int = typer.Option(200, help="Steps between dev scores (model-best is picked on dev)."),
    init_tok2vec: Path | None = typer.Option(None, help="Pretrained tok2vec weights (`spacy pretrain`)."),
    override: list[str] = typer.Option(
        [], help="Extra config override KEY=VALUE, VALUE as JSON (repeatable), e.g. training.dropout=0.2."
    ),
    crf_iterations: int = typer.Option(200, help="CRF L-BFGS iterations."),
    seed: int = typer.Option(0, help="Seed."),
) -> None:
    """Train spaCy NER and a CRF on ThaiNER train; score both on ThaiNER test (exact match)."""
    import spacy
    from spacy.cli.train import train as spacy_train
    from spacy.tokens import Doc

    from thaievents.crf import train_crf
    from thaievents.thainer import read_split

    counts = write_thainer_docbins(thainer_dir, work / "corpus")
    test = read_split(thainer_dir, "test")
    gold = gold_entities(test)

    started = time.perf_counter()
    overrides = {
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
        overrides["paths.init_tok2vec"] = str(init_tok2vec)
    overrides.update(parse_overrides(override))
    with atomic_path(work / "model", directory=True) as temp:
        spacy_train(config, temp, overrides=overrides)
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
    gold_token_scores = score_entities(gold, on_gold_tokens, ENTITY_LABELS)
    crf_scores = score_entities(gold, crf_predicted, ENTITY_LABELS)
    write_json(
        output,
        {
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
                "overrides": parse_overrides(override),
            },
            "spacy_on_gold_tokens": gold_token_scores,
            "crf": {**crf_scores, "train_seconds": round(crf_seconds, 1), "iterations": crf_iterations},
            "micro_f1_ratio_spacy_to_crf": round(
                spacy_scores["micro"]["f"] / max(crf_scores["micro"]["f"], 1e-9), 3
            ),
            # Is the gap more than which sentences the test set happens to hold?
            "micro_f1_spacy_minus_crf": paired_bootstrap(gold, predicted, crf_predicted, seed=seed),
            "published_anchors": {"crf_micro_f1": 0.790, "wangchanberta_micro_f1": "0.86-0.89"},
        },
    )
    typer.echo(
        f"ThaiNER test micro-F1: spaCy {spacy_scores['micro']['f']:.3f} ({spacy_seconds:.0f} s), "
        f"CRF {crf_scores['micro']['f']:.3f} ({crf_seconds:.0f} s)"
    )


@app.command()
def vote(
    run: list[Path] = typer.Option(
        [Path("bench/work/thainer"), Path("bench/work/thainer-affixes")],
        help="`bench thainer` work folders; each one's model-best votes (repeatable).",
    ),
    crf: Path = typer.Option(Path("bench/work/thainer/crf.pkl"), help="The CRF peer `bench thainer` saved."),
    thainer_dir: Path = typer.Option(
        Path("../shared/data/thainer"), help="ThaiNER 1.3 folder (jsonl splits)."
    ),
    min_votes: int = typer.Option(2, help="Systems that must predict a span exactly (2 of 3: majority)."),
    output: Path = typer.Option(Path("evaluate/thainer-vote.json"), help="Results (JSON)."),
    seed: int = typer.Option(0, help="Bootstrap seed."),
) -> None:
    """Majority vote of trained spaCy NERs and the CRF on ThaiNER test, beside each member."""
    import pickle

    import spacy

    from thaievents.ensemble import vote_corpus
    from thaievents.thainer import read_split

    for folder in run:
        if not (folder / "model" / "model-best").exists():
            raise typer.BadParameter(
                f"{folder}: no model/model-best; run `bench thainer` first", param_hint="--run"
            )
    if not crf.exists():
        raise typer.BadParameter(f"{crf}: not found; `bench thainer` saves it", param_hint="--crf")
    test = read_split(thainer_dir, "test")
    gold = gold_entities(test)
    texts = ["".join(s.tokens) for s in test]
    members = {str(f): spacy_entities(spacy.load(f / "model" / "model-best"), texts) for f in run}
    members["crf"] = crf_entities(pickle.loads(crf.read_bytes()), test)
    voted = vote_corpus(list(members.values()), min_votes)
    scores = score_entities(gold, voted, ENTITY_LABELS)
    write_json(
        output,
        {
            "members": {name: score_entities(gold, p, ENTITY_LABELS)["micro"] for name, p in members.items()},
            "min_votes": min_votes,
            "vote": scores,
            "micro_f1_vote_minus_crf": paired_bootstrap(gold, voted, members["crf"], seed=seed),
            "micro_f1_vote_minus_first_run": paired_bootstrap(gold, voted, members[str(run[0])], seed=seed),
        },
    )
    typer.echo(f"ThaiNER test micro-F1: vote of {len(members)} (≥{min_votes}) {scores['micro']['f']:.3f}")


def _paragraph_texts(annotations: Path) -> list[str]:
    from thaievents.io import read_jsonl

    return [r["text"] for path in sorted(annotations.glob("*.jsonl")) for r in read_jsonl(path)]


def _measure_tokenizer(name: str, texts: list[str], dictionary: str, repeat: int) -> dict:
    """Runs in a fresh process: tokens per second of one tokenizer over the texts."""
    if name == "thaievents":
        from thaievents.text import blank_thai, read_word_list

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
    for _ in range(repeat):
        for text in texts:
            tokens += sum(1 for t in tokenize(text) if not str(t).isspace())
    return {"tokens": tokens, "seconds": time.perf_counter() - started}


def _measure_model(kind: str, path: str, texts: list[str], n_process: int) -> dict:
    """Runs in a fresh process: load time, words per second, peak memory of one model."""
    import resource

    started = time.perf_counter()
    if kind == "spacy":
        import spacy

        nlp = spacy.load(path)
        loaded = time.perf_counter() - started
        words = sum(len(t.split()) for t in texts)
        started = time.perf_counter()
        tokens = sum(
            sum(1 for t in doc if not t.is_space)
            for doc in nlp.pipe(texts, batch_size=64, n_process=n_process)
        )
    else:
        import joblib

        from thaievents.baseline import tokens_of
        from thaievents.text import blank_thai, read_word_list

        model = joblib.load(path)
        tokenizer = blank_thai(read_word_list(Path("configs/domain_words.txt"))).tokenizer
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        docs = [tokenizer(t) for t in texts]
        model.predict_proba([tokens_of(d) for d in docs])
        tokens = sum(sum(1 for t in d if not t.is_space) for d in docs)
        words = 0
    seconds = time.perf_counter() - started
    return {
        "load_seconds": loaded,
        "seconds": seconds,
        "tokens": tokens,
        "words": words,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run_and_report(queue, function, args) -> None:
    queue.put(function(*args))


def _in_fresh_process(function, *args) -> dict:
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


@app.command()
def speed(
    model: Path = typer.Option(Path("training/model/model-best"), help="Trained spaCy pipeline."),
    baseline: Path = typer.Option(Path("training/baseline.joblib"), help="Trained event baseline."),
    annotations: Path = typer.Option(Path("annotations"), help="Texts to run on (gold *.jsonl)."),
    dictionary: Path = typer.Option(Path("configs/domain_words.txt"), help="Tokenizer domain dictionary."),
    output: Path = typer.Option(Path("bench/results.json"), help="Results (JSON)."),
    repeat: int = typer.Option(
        1, help="Timed passes over the texts (1: cold, as for unseen news; newmm caches)."
    ),
) -> None:
    """Tokenizer and pipeline throughput, size, load time and peak memory, each beside its peer."""
    texts = _paragraph_texts(annotations)
    tokenizers = {}
    for name in ("thaievents", "newmm", "spacy_blank_th", "spacy_thai"):
        measured = _in_fresh_process(_measure_tokenizer, name, texts, str(dictionary), repeat)
        tokenizers[name] = {**measured, "tokens_per_second": round(measured["tokens"] / measured["seconds"])}
    ours = tokenizers["thaievents"]["tokens_per_second"]
    for row in tokenizers.values():
        row["ratio_to_thaievents"] = round(row["tokens_per_second"] / ours, 3)

    # Three copies of the corpus, so two worker processes have enough work to pay for their start.
    workload = texts * 3
    runs = {
        "spacy_1_process": _in_fresh_process(_measure_model, "spacy", str(model), workload, 1),
        "spacy_2_processes": _in_fresh_process(_measure_model, "spacy", str(model), workload, 2),
        "baseline_events": _in_fresh_process(_measure_model, "baseline", str(baseline), workload, 1),
    }
    for row in runs.values():
        row["tokens_per_second"] = round(row["tokens"] / row["seconds"])
    one = runs["spacy_1_process"]
    results = {
        "texts": {
            "paragraphs": len(texts),
            "characters": sum(map(len, texts)),
            "pipeline_workload_copies": 3,
        },
        "tokenizers": tokenizers,
        "pipeline": runs,
        "size_mb": {"spacy_model": _size_mb(model), "baseline": _size_mb(baseline)},
        "ratios": {
            "spacy_2_vs_1_process_throughput": round(
                runs["spacy_2_processes"]["tokens_per_second"] / one["tokens_per_second"], 3
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
            "spacy_vs_baseline_size": round(_size_mb(model) / max(_size_mb(baseline), 1e-9), 3),
        },
        "machine": {"cpus": __import__("os").cpu_count()},
    }
    write_json(output, results)
    typer.echo(
        "tokenizer tokens/s: " + ", ".join(f"{k} {v['tokens_per_second']}" for k, v in tokenizers.items())
    )
    typer.echo(
        f"pipeline tokens/s: 1 process {one['tokens_per_second']}, "
        f"2 processes {runs['spacy_2_processes']['tokens_per_second']}"
    )


@app.command()
def table(
    thainer_results: Path = typer.Option(Path("evaluate/thainer.json"), help="Output of `bench thainer`."),
    speed_results: Path = typer.Option(Path("bench/results.json"), help="Output of `bench speed`."),
    vote_results: Path = typer.Option(Path("evaluate/thainer-vote.json"), help="Output of `bench vote`."),
) -> None:
    """Print the benchmark results as the Markdown tables of the README."""
    import json

    lines = []
    if thainer_results.exists():
        data = json.loads(thainer_results.read_text(encoding="utf-8"))
        lines += [
            "| ThaiNER 1.3 test (8 labels, exact match) | P | R | micro-F1 | train time (2 cores) |",
            "|---|---|---|---|---|",
        ]
        for name in ("spacy", "crf"):
            row = data[name]
            lines.append(
                f"| {name} | {row['micro']['p']:.3f} | {row['micro']['r']:.3f} | {row['micro']['f']:.3f} "
                f"| {row['train_seconds']:.0f} s |"
            )
        lines.append(f"| ratio spaCy / CRF | | | {data['micro_f1_ratio_spacy_to_crf']:.3f} | |")
        if "micro_f1_spacy_minus_crf" in data:
            gap = data["micro_f1_spacy_minus_crf"]
            lines.append(
                f"| spaCy − CRF (95% bootstrap interval) | | | {gap['difference']:+.3f} "
                f"({gap['ci95_low']:+.3f} to {gap['ci95_high']:+.3f}) | |"
            )
        if vote_results.exists():
            voted = json.loads(vote_results.read_text(encoding="utf-8"))
            row, gap = voted["vote"]["micro"], voted["micro_f1_vote_minus_crf"]
            lines.append(
                f"| vote ({len(voted['members'])} systems, ≥{voted['min_votes']}) | {row['p']:.3f} "
                f"| {row['r']:.3f} | {row['f']:.3f} | |"
            )
            lines.append(
                f"| vote − CRF (95% bootstrap interval) | | | {gap['difference']:+.3f} "
                f"({gap['ci95_low']:+.3f} to {gap['ci95_high']:+.3f}) | |"
            )
        lines.append("")
    if speed_results.exists():
        data = json.loads(speed_results.read_text(encoding="utf-8"))
        lines += ["| tokenizer | tokens/s | ratio to thaievents |", "|---|---|---|"]
        for name, row in data["tokenizers"].items():
            lines.append(f"| {name} | {row['tokens_per_second']:,} | {row['ratio_to_thaievents']:.2f} |")
        pipeline = data["pipeline"]
        lines += ["", "| model | tokens/s | load s | peak RSS MB | size MB |", "|---|---|---|---|---|"]
        sizes = data["size_mb"]
        for name, size in (
            ("spacy_1_process", sizes["spacy_model"]),
            ("spacy_2_processes", sizes["spacy_model"]),
            ("baseline_events", sizes["baseline"]),
        ):
            row = pipeline[name]
            lines.append(
                f"| {name} | {row['tokens_per_second']:,} | {row['load_seconds']:.2f} "
                f"| {row['peak_rss_mb']:.0f} | {size} |"
            )
        lines += ["", "| ratio | value |", "|---|---|"]
        lines += [f"| {name} | {value:.2f} |" for name, value in data["ratios"].items()]
    typer.echo("\n".join(lines))
