"""How cost grows: paragraphs per second against input size, per engine.

The input is the gold corpus's paragraphs repeated to each size (the same text costs the
same each time; newmm's cache is reset by the fresh process of every run). Each run is
a whole `extract` with schema v2 (entities, events and event records), in a fresh process:
in-process with one and two worker processes, and Spark (local[2]) with 1, 2 and 4
partitions, its session start excluded and its Parquet write included.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from thaievents.bench.speed import _in_fresh_process

ENGINES = (
    "local_1_process",
    "local_2_processes",
    "spark_1_partition",
    "spark_2_partitions",
    "spark_4_partitions",
)


def _run_local(model: str, texts: list[str], n_process: int) -> dict:
    from thaievents.serve.extract import extract
    from thaievents.serve.load import load_pipeline

    nlp = load_pipeline(Path(model))
    started = time.perf_counter()
    extract(nlp, texts, n_process=n_process, schema="v2")
    return {"seconds": time.perf_counter() - started}


def _run_spark(model: str, texts: list[str], partitions: int) -> dict:
    from thaievents.batch.spark import extract_with_spark, session
    from thaievents.data.io import write_jsonl

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "input.jsonl"
        write_jsonl(source, [{"id": str(i), "text": t} for i, t in enumerate(texts)])
        spark = session("local[2]")
        try:
            started = time.perf_counter()
            extract_with_spark(
                spark, str(source), str(Path(folder) / "out.parquet"), Path(model), partitions=partitions
            )
            return {"seconds": time.perf_counter() - started}
        finally:
            spark.stop()


def _measure(engine: str, model: str, texts: list[str]) -> dict:
    if engine.startswith("local"):
        return _run_local(model, texts, 1 if engine == "local_1_process" else 2)
    return _run_spark(model, texts, int(engine.split("_")[1]))


def run_scaling(
    model: Path,
    paragraphs: list[str],
    sizes: Sequence[int],
    engines: Sequence[str] = ENGINES,
    budget_seconds: float = 3600,
) -> dict:
    """Every engine at every size, smallest first; a size whose estimate would pass the budget is skipped."""
    rows: list[dict] = []
    spent = 0.0
    for size in sorted(sizes):
        texts = [paragraphs[i % len(paragraphs)] for i in range(size)]
        for engine in engines:
            earlier = [r for r in rows if r["engine"] == engine and "paragraphs_per_second" in r]
            estimate = size / earlier[-1]["paragraphs_per_second"] if earlier else 0.0
            if spent + estimate > budget_seconds:
                rows.append(
                    {
                        "engine": engine,
                        "paragraphs": size,
                        "skipped": f"estimated {estimate:.0f} s over the budget",
                    }
                )
                continue
            measured = _in_fresh_process(_measure, engine, str(model), texts)
            spent += measured["seconds"]
            rows.append(
                {
                    "engine": engine,
                    "paragraphs": size,
                    "seconds": round(measured["seconds"], 2),
                    "paragraphs_per_second": round(size / measured["seconds"], 1),
                }
            )
    cores = os.cpu_count() or 1
    return {"rows": rows, "cores": cores, "one_hour_on_16_cores": hourly_estimate(rows, cores)}


def hourly_estimate(rows: list[dict], cores: int) -> dict | None:
    """Spark's best rate at its largest measured size, per core, times 16 cores for an hour."""
    measured = [r for r in rows if "paragraphs_per_second" in r and r["engine"].startswith("spark")]
    if not measured:
        return None
    best = max(measured, key=lambda r: (r["paragraphs"], r["paragraphs_per_second"]))
    per_core = best["paragraphs_per_second"] / min(cores, 2)
    return {
        "paragraphs_per_hour_16_cores": int(per_core * 16 * 3600),
        "from": f"{best['engine']} at {best['paragraphs']:,} paragraphs on {cores} cores, per core × 16",
    }


def merge_scaling(previous: dict | None, new: dict) -> dict:
    """Rows of a partial rerun (some engines or sizes) replace the same (engine, size) rows only.

    A rerun skipped by the budget never replaces a measured row; the estimate is recomputed.
    """
    if not previous:
        return new
    merged = {(r["engine"], r["paragraphs"]): r for r in previous["rows"]}
    for row in new["rows"]:
        key = (row["engine"], row["paragraphs"])
        if "paragraphs_per_second" in row or key not in merged:
            merged[key] = row
    order = {engine: i for i, engine in enumerate(ENGINES)}
    rows = sorted(merged.values(), key=lambda r: (r["paragraphs"], order.get(r["engine"], len(order))))
    return {"rows": rows, "cores": new["cores"], "one_hour_on_16_cores": hourly_estimate(rows, new["cores"])}


def plot_scaling(results: dict, picture: Path) -> None:
    """Paragraphs per second against input size, one line per engine (log x)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4))
    for engine in ENGINES:
        points = [
            (r["paragraphs"], r["paragraphs_per_second"])
            for r in results["rows"]
            if r["engine"] == engine and "paragraphs_per_second" in r
        ]
        if points:
            axis.plot(*zip(*points, strict=True), marker="o", label=engine)
    axis.set_xscale("log")
    axis.set_xlabel("paragraphs in the input")
    axis.set_ylabel("paragraphs per second")
    axis.set_title(f"extract (schema v2) on {results['cores']} cores")
    axis.legend()
    figure.tight_layout()
    picture.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(picture, dpi=120, metadata={"Software": None})
    plt.close(figure)


def scaling_table(results: dict) -> list[str]:
    lines = ["| engine | paragraphs | seconds | paragraphs/s |", "|---|---|---|---|"]
    for row in results["rows"]:
        if "paragraphs_per_second" in row:
            lines.append(
                f"| {row['engine']} | {row['paragraphs']:,} | {row['seconds']:.1f} "
                f"| {row['paragraphs_per_second']:.0f} |"
            )
        else:
            lines.append(f"| {row['engine']} | {row['paragraphs']:,} | not run: {row['skipped']} | |")
    estimate = results.get("one_hour_on_16_cores")
    if estimate:
        lines.append(
            f"\nOne hour of a 16-core machine: about {estimate['paragraphs_per_hour_16_cores']:,} "
            f"paragraphs ({estimate['from']})."
        )
    return lines
