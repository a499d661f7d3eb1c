"""The benchmark results as the Markdown tables of the README."""

from __future__ import annotations

import json
from pathlib import Path


def benchmark_tables(thainer_results: Path, speed_results: Path, vote_results: Path) -> str:
    """Markdown tables from the JSON files that `bench thainer`, `bench vote` and `bench speed` write."""
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
            ("extract_1_process", sizes["spacy_model"]),
            ("extract_2_processes", sizes["spacy_model"]),
            ("baseline_events", sizes["baseline"]),
        ):
            if name not in pipeline:  # results written before extract was measured
                continue
            row = pipeline[name]
            lines.append(
                f"| {name} | {row['tokens_per_second']:,} | {row['load_seconds']:.2f} "
                f"| {row['peak_rss_mb']:.0f} | {size} |"
            )
        lines += ["", "| ratio | value |", "|---|---|"]
        lines += [f"| {name} | {value:.3f} |" for name, value in data["ratios"].items()]
        if "serve" in data:
            lines += ["", *serve_table(data["serve"])]
        if "scaling" in data:
            from thaievents.bench.scaling import scaling_table

            lines += ["", *scaling_table(data["scaling"])]
    return "\n".join(lines)


def serve_table(serve: dict) -> list[str]:
    """The load test as a Markdown table, with the bad-payload answers under it."""
    server = serve["server"]
    lines = [
        f"| served ({server['workers']} workers) concurrency | requests | req/s "
        "| p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for level in serve["levels"]:
        lines.append(
            f"| {level['concurrency']} | {level['requests']} | {level['requests_per_second']} "
            f"| {level['p50_ms']} | {level['p95_ms']} | {level['p99_ms']} | {level['errors']} |"
        )
    mixed = serve["mixed_under_load"]
    lines.append(
        f"\nBad payloads: {serve['bad_payloads']}; mixed with good ones at concurrency 8: statuses "
        f"{mixed['statuses']}; after all of it /invocations answers {serve['alive_after']}; server RSS "
        f"{server['rss_mb_idle']} MB idle, {server['rss_mb_after_load']} MB after."
    )
    return lines
