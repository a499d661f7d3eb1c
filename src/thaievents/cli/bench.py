"""`thaievents bench`: ThaiNER accuracy against peers, speed and memory (`make bench`; never in tests)."""

from __future__ import annotations

from pathlib import Path

import typer

from thaievents.bench.scaling import ENGINES
from thaievents.data.io import write_json

ENGINE_NAMES = ", ".join(ENGINES)

app = typer.Typer(
    help="Benchmarks: ThaiNER accuracy against a CRF peer; speed and memory.", no_args_is_help=True
)


@app.command()
def thainer(
    thainer_dir: Path = typer.Option(..., help="ThaiNER 1.3 folder (jsonl splits)."),
    config: Path = typer.Option(..., help="The project's spaCy config (NER part is used)."),
    dictionary: Path = typer.Option(..., help="Tokenizer domain dictionary."),
    work: Path = typer.Option(Path("bench/work/thainer"), help="Scratch folder (DocBins, model)."),
    output: Path = typer.Option(Path("evaluate/thainer.json"), help="Results (JSON)."),
    max_epochs: int = typer.Option(20, help="spaCy epochs on ThaiNER train."),
    width: int = typer.Option(..., help="tok2vec width."),
    depth: int = typer.Option(..., help="tok2vec depth."),
    eval_frequency: int = typer.Option(200, help="Steps between dev scores (model-best is picked on dev)."),
    init_tok2vec: Path | None = typer.Option(None, help="Pretrained tok2vec weights (`spacy pretrain`)."),
    override: list[str] = typer.Option(
        [], help="Extra config override KEY=VALUE, VALUE as JSON (repeatable), e.g. training.dropout=0.2."
    ),
    crf_iterations: int = typer.Option(200, help="CRF L-BFGS iterations."),
    seed: int = typer.Option(..., help="Seed."),
) -> None:
    """Train spaCy NER and a CRF on ThaiNER train; score both on ThaiNER test (exact match)."""
    from thaievents.bench.accuracy import parse_overrides, run_thainer

    try:
        overrides = parse_overrides(override)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--override") from error
    results = run_thainer(
        thainer_dir,
        config,
        dictionary,
        work,
        max_epochs=max_epochs,
        width=width,
        depth=depth,
        eval_frequency=eval_frequency,
        init_tok2vec=init_tok2vec,
        overrides=overrides,
        crf_iterations=crf_iterations,
        seed=seed,
    )
    write_json(output, results)
    typer.echo(
        f"ThaiNER test micro-F1: spaCy {results['spacy']['micro']['f']:.3f} "
        f"({results['spacy']['train_seconds']:.0f} s), CRF {results['crf']['micro']['f']:.3f} "
        f"({results['crf']['train_seconds']:.0f} s)"
    )


@app.command()
def vote(
    run: list[Path] = typer.Option(
        [Path("bench/work/thainer"), Path("bench/work/thainer-affixes")],
        help="`bench thainer` work folders; each one's model-best votes (repeatable).",
    ),
    crf: Path = typer.Option(Path("bench/work/thainer/crf.pkl"), help="The CRF peer `bench thainer` saved."),
    thainer_dir: Path = typer.Option(..., help="ThaiNER 1.3 folder (jsonl splits)."),
    min_votes: int = typer.Option(2, help="Systems that must predict a span exactly (2 of 3: majority)."),
    output: Path = typer.Option(Path("evaluate/thainer-vote.json"), help="Results (JSON)."),
    seed: int = typer.Option(..., help="Bootstrap seed."),
) -> None:
    """Majority vote of trained spaCy NERs and the CRF on ThaiNER test, beside each member."""
    from thaievents.bench.accuracy import run_vote

    try:
        results = run_vote(run, crf, thainer_dir, min_votes, seed)
    except FileNotFoundError as error:
        raise typer.BadParameter(str(error)) from error
    write_json(output, results)
    typer.echo(
        f"ThaiNER test micro-F1: vote of {len(results['members'])} (≥{min_votes}) "
        f"{results['vote']['micro']['f']:.3f}"
    )


@app.command()
def speed(
    model: Path = typer.Option(..., help="Trained spaCy pipeline."),
    annotations: Path = typer.Option(..., help="Texts to run on (gold *.jsonl)."),
    dictionary: Path = typer.Option(..., help="Tokenizer domain dictionary."),
    output: Path = typer.Option(Path("bench/results.json"), help="Results (JSON)."),
    copies: int = typer.Option(
        3,
        help="The texts repeated this many times for every timing, tokenizers and pipelines alike "
        "(two workers need enough work to pay for their start).",
    ),
) -> None:
    """Tokenizer and pipeline throughput, size, load time and peak memory, each beside its peer.

    The peer of the whole pipeline is its TF-IDF event component alone (tokenizer + scikit-learn).
    """
    from thaievents.bench.speed import run_speed

    results = run_speed(model, annotations, dictionary, copies)
    merge_results(output, results)
    typer.echo(
        "tokenizer tokens/s: "
        + ", ".join(f"{k} {v['tokens_per_second']}" for k, v in results["tokenizers"].items())
    )
    pipeline = results["pipeline"]
    typer.echo(
        f"pipeline tokens/s: 1 process {pipeline['spacy_1_process']['tokens_per_second']}, "
        f"2 processes {pipeline['spacy_2_processes']['tokens_per_second']}"
    )


@app.command()
def active(
    corpus: Path = typer.Option(
        ..., help="Folder with train, dev, test and challenge .spacy (from prepare)."
    ),
    config: Path = typer.Option(..., help="The project's spaCy config (its NER part is used)."),
    dictionary: Path = typer.Option(..., help="Tokenizer domain dictionary."),
    output: Path = typer.Option(Path("bench/active.json"), help="Every curve point (JSON)."),
    curves: Path = typer.Option(
        Path("bench/active"), help="Mean curves, one file a measure (`dvc plots show`)."
    ),
    picture: Path = typer.Option(Path("bench/active.png"), help="The learning curves (PNG) for the README."),
    seeds: int = typer.Option(3, help="Seeds per strategy."),
    start: int = typer.Option(100, help="Paragraphs labelled before the first round."),
    batch: int = typer.Option(50, help="Paragraphs added each round."),
    rounds: int = typer.Option(6, help="Rounds of labelling."),
    epochs: int = typer.Option(6, help="NER epochs per retraining (cheap, on purpose)."),
) -> None:
    """Simulate the annotation loop: uncertainty sampling against random, learning curves into bench/."""
    from thaievents.bench.active import Simulation, mean_curve, plot_curves, run_active

    settings = Simulation(start=start, batch=batch, rounds=rounds, epochs=epochs)
    results = run_active(corpus, config, dictionary, list(range(seeds)), settings)
    write_json(output, results)
    rows = results["rows"]
    for key in ("test_ner_f1", "test_events_macro_f1", "challenge_ner_f1", "challenge_events_macro_f1"):
        uncertain, chance = mean_curve(rows, "uncertainty", key), mean_curve(rows, "random", key)
        points = [
            {"labelled": n, "uncertainty": round(u, 4), "random": round(r, 4)}
            for (n, u), (_, r) in zip(uncertain, chance, strict=True)
        ]
        write_json(curves / f"{key}.json", points)
    plot_curves(rows, picture)
    for key, saved in results["savings"].items():
        typer.echo(
            f"{key}: random reaches {saved['random_final']:.3f} with {saved['random_labelled']}; "
            f"uncertainty reaches it with {saved['uncertainty_reaches_at']} "
            f"({saved['paragraphs_saved']} saved)"
        )


def gold_paragraphs(annotations: Path) -> list[str]:
    """The paragraphs a benchmark repeats; a bad --annotations is a usage error, not a traceback."""
    from thaievents.bench.speed import paragraph_texts

    try:
        return paragraph_texts(annotations)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--annotations") from None


def merge_results(output: Path, section: dict) -> None:
    """bench/results.json gathers every speed benchmark; each command rewrites only its keys."""
    import json

    current = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
    write_json(output, {**current, **section})


@app.command()
def serve(
    model_uri: str = typer.Option("models:/thaievents@champion", help="Registered model to serve."),
    tracking_uri: str = typer.Option(
        "sqlite:///mlflow.db", help="MLflow store holding it (export wrote it)."
    ),
    annotations: Path = typer.Option(..., help="Texts to send (gold *.jsonl), one paragraph a request."),
    output: Path = typer.Option(Path("bench/results.json"), help="Results (JSON), key 'serve'."),
    workers: int = typer.Option(2, help="uvicorn workers of `mlflow models serve`."),
    levels: list[int] = typer.Option([1, 8, 32], help="Concurrency levels (repeatable)."),
    requests: int = typer.Option(2000, help="Requests per level."),
    cap_seconds: float = typer.Option(120, help="Stop sending new requests of a level after this long."),
    port: int = typer.Option(5123, help="Loopback port."),
) -> None:
    """Serve the model with several workers and load it from a second process on 127.0.0.1."""
    from thaievents.bench.serve import run_serve

    texts = gold_paragraphs(annotations)
    results = run_serve(
        model_uri, tracking_uri, texts, workers=workers, levels=levels, requests=requests,
        cap_seconds=cap_seconds, port=port,
    )  # fmt: skip
    merge_results(output, {"serve": results})
    for level in results["levels"]:
        typer.echo(
            f"concurrency {level['concurrency']}: {level['requests_per_second']} req/s, "
            f"p50 {level['p50_ms']} ms, p99 {level['p99_ms']} ms, errors {level['errors']}"
        )
    typer.echo(f"bad payloads: {results['bad_payloads']}; alive after: {results['alive_after']}")


@app.command()
def scaling(
    model: Path = typer.Option(..., help="Trained spaCy pipeline."),
    annotations: Path = typer.Option(..., help="Paragraphs to repeat to each size (gold *.jsonl)."),
    output: Path = typer.Option(Path("bench/results.json"), help="Results (JSON), key 'scaling'."),
    picture: Path = typer.Option(Path("bench/scaling.png"), help="Throughput against size (PNG)."),
    sizes: list[int] = typer.Option([1000, 10000, 100000], help="Input sizes in paragraphs (repeatable)."),
    budget_seconds: float = typer.Option(3600, help="Skip runs whose estimate would pass this total."),
    engines: list[str] = typer.Option(
        list(ENGINES),
        "--engine",
        help=f"Engines to run (repeatable): {ENGINE_NAMES}. Rows of other engines and sizes "
        "already in OUTPUT are kept, so a long run can be done one engine at a time.",
    ),
) -> None:
    """Throughput against input size: in-process (1 and 2 processes) and Spark (1, 2, 4 partitions)."""
    import json

    from thaievents.bench.scaling import merge_scaling, plot_scaling, run_scaling, scaling_table

    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        raise typer.BadParameter(
            f"unknown engine {', '.join(unknown)}; one of {ENGINE_NAMES}", param_hint="--engine"
        )
    new = run_scaling(model, gold_paragraphs(annotations), sizes, engines, budget_seconds=budget_seconds)
    previous = json.loads(output.read_text(encoding="utf-8")).get("scaling") if output.exists() else None
    results = merge_scaling(previous, new)
    merge_results(output, {"scaling": results})
    plot_scaling(results, picture)
    typer.echo("\n".join(scaling_table(results)))


@app.command()
def table(
    thainer_results: Path = typer.Option(Path("evaluate/thainer.json"), help="Output of `bench thainer`."),
    speed_results: Path = typer.Option(Path("bench/results.json"), help="Output of `bench speed`."),
    vote_results: Path = typer.Option(Path("evaluate/thainer-vote.json"), help="Output of `bench vote`."),
) -> None:
    """Print the benchmark results as the Markdown tables of the README."""
    from thaievents.bench.report import benchmark_tables

    typer.echo(benchmark_tables(thainer_results, speed_results, vote_results))
