"""A partial `bench scaling` rerun (one engine, one size) keeps the rows it did not rerun."""

from thaievents.bench.scaling import merge_scaling


def _row(engine: str, size: int, rate: float) -> dict:
    return {"engine": engine, "paragraphs": size, "seconds": size / rate, "paragraphs_per_second": rate}


def _skipped(engine: str, size: int) -> dict:
    return {"engine": engine, "paragraphs": size, "skipped": "estimated 900 s over the budget"}


PREVIOUS = {
    "rows": [
        _row("local_1_process", 10_000, 128.0),
        _row("spark_2_partitions", 10_000, 192.0),
        _row("local_1_process", 100_000, 132.0),
        _skipped("spark_2_partitions", 100_000),
        _skipped("spark_4_partitions", 100_000),
    ],
    "cores": 2,
    "one_hour_on_16_cores": None,
}


def test_a_measured_row_replaces_the_skipped_one_and_the_rest_stay() -> None:
    new = {"rows": [_row("spark_2_partitions", 100_000, 210.0)], "cores": 2, "one_hour_on_16_cores": None}
    merged = merge_scaling(PREVIOUS, new)
    keys = [(r["engine"], r["paragraphs"]) for r in merged["rows"]]
    assert keys == [
        ("local_1_process", 10_000),
        ("spark_2_partitions", 10_000),
        ("local_1_process", 100_000),
        ("spark_2_partitions", 100_000),
        ("spark_4_partitions", 100_000),
    ]
    assert merged["rows"][3]["paragraphs_per_second"] == 210.0
    assert "skipped" in merged["rows"][4]


def test_the_hour_estimate_comes_from_the_largest_measured_spark_size() -> None:
    new = {"rows": [_row("spark_2_partitions", 100_000, 210.0)], "cores": 2, "one_hour_on_16_cores": None}
    estimate = merge_scaling(PREVIOUS, new)["one_hour_on_16_cores"]
    assert estimate["paragraphs_per_hour_16_cores"] == int(210.0 / 2 * 16 * 3600)
    assert "100,000" in estimate["from"]


def test_a_rerun_skipped_by_the_budget_keeps_the_measured_row() -> None:
    new = {"rows": [_skipped("local_1_process", 100_000)], "cores": 2, "one_hour_on_16_cores": None}
    merged = merge_scaling(PREVIOUS, new)
    kept = [r for r in merged["rows"] if (r["engine"], r["paragraphs"]) == ("local_1_process", 100_000)]
    assert kept == [_row("local_1_process", 100_000, 132.0)]


def test_without_earlier_results_the_new_ones_are_kept_whole() -> None:
    new = {"rows": [_row("spark_1_partition", 1_000, 42.0)], "cores": 2, "one_hour_on_16_cores": None}
    assert merge_scaling(None, new) == new


def test_an_unknown_engine_is_a_usage_error() -> None:
    from typer.testing import CliRunner

    from thaievents.cli import app

    result = CliRunner().invoke(
        app,
        [
            "bench",
            "scaling",
            "--model",
            "m",
            "--annotations",
            "annotations",
            "--engine",
            "spark_8_partitions",
        ],
    )
    assert result.exit_code == 2
    assert "unknown engine spark_8_partitions" in result.output
