"""Batch extraction on Apache Spark: the same records as in-process `extract`, over archives.

Why ``mapInPandas`` and not ``mlflow.pyfunc.spark_udf``: one input article gives several
output rows (one per paragraph), which a scalar UDF cannot return, and a partition's
iterator lets each Python worker load the pipeline once and feed ``nlp.pipe`` whole
Arrow batches. The model folder reaches the executors through ``SparkContext.addFile``
(a local path, or any URI Spark reads); the ``thaievents`` package must be installed on
them (README, "Spark").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thaievents.serve.extract import PIPE_BATCH, paragraph_rows

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

ENTITY = "struct<text:string,label:string,start:int,end:int>"
V1_EVENT = "struct<category:string,score:double>"
V2_EVENT = (
    "struct<category:string,score:double,"
    "plover:struct<category:string,mode:string,context:array<string>>,cameo:string,"
    "trigger:struct<text:string,start:int,end:int>,"
    f"actor:array<{ENTITY}>,recipient:array<{ENTITY}>,location:array<{ENTITY}>,"
    "date:struct<text:string,start:int,end:int,value:string,granularity:string,source:string>,"
    "counts:array<struct<what:string,value:bigint,text:string,start:int,end:int>>,"
    "money:array<struct<text:string,start:int,end:int,amount:double,currency:string>>>"
)


def row_schema(schema_version: str) -> str:
    """Spark DDL of one output row (one paragraph), for schema v1 or v2."""
    event = V2_EVENT if schema_version == "v2" else V1_EVENT
    return (
        "id string, paragraph int, start int, end int, text string, "
        f"entities array<{ENTITY}>, events array<{event}>"
    )


def session(master: str, app_name: str = "thaievents-extract") -> SparkSession:
    """A Spark session with Arrow on; under spark-submit the submitted master wins.

    Python workers run this interpreter (where thaievents is installed) unless
    ``PYSPARK_PYTHON`` says otherwise, as it should on a cluster.
    """
    import os
    import sys

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    return (
        builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def read_input(spark: SparkSession, source: str) -> DataFrame:
    """JSONL or Parquet with ``text`` (and optional ``id``, ``date``) columns."""
    from pyspark.sql import functions as F

    reader = spark.read.parquet if source.rstrip("/").endswith(".parquet") else spark.read.json
    frame = reader(source)
    if "text" not in frame.columns:
        raise ValueError(f"{source}: no 'text' column (columns: {', '.join(frame.columns)})")
    if "id" not in frame.columns:
        frame = frame.withColumn("id", F.monotonically_increasing_id())
    date = F.col("date").cast("string") if "date" in frame.columns else F.lit(None).cast("string")
    return frame.select(F.col("id").cast("string").alias("id"), F.col("text"), date.alias("date"))


def _extract_partition(
    batches: Iterator[pd.DataFrame], model_name: str, schema_version: str, batch_size: int
) -> Iterator[pd.DataFrame]:
    """Runs on an executor: load the pipeline once, then extract every Arrow batch."""
    import pandas as pd
    from pyspark import SparkFiles
    from threadpoolctl import threadpool_limits

    from thaievents.nlp.inference import load_for_inference
    from thaievents.serve.extract import extract

    threadpool_limits(limits=1, user_api="blas")  # one core per task: tasks run side by side
    nlp = load_for_inference(SparkFiles.get(model_name))
    for batch in batches:
        ids = batch["id"].tolist()
        dates = [None if value is None or pd.isna(value) else str(value) for value in batch["date"].tolist()]
        texts = ["" if value is None else str(value) for value in batch["text"].tolist()]
        records = extract(nlp, texts, batch_size=batch_size, schema=schema_version, dates=dates)
        rows = [
            row
            for record_id, record in zip(ids, records, strict=True)
            for row in paragraph_rows(record_id, record)
        ]
        yield pd.DataFrame(rows, columns=["id", "paragraph", "start", "end", "text", "entities", "events"])


def extract_with_spark(
    spark: SparkSession,
    source: str,
    output: str,
    model: Path,
    *,
    output_format: str = "parquet",
    schema_version: str = "v2",
    partitions: int | None = None,
    batch_size: int = PIPE_BATCH,
) -> int:
    """Extract every input record on Spark; one output row per paragraph. Returns the row count."""
    frame = read_input(spark, source)
    if partitions:
        frame = frame.repartition(partitions)
    spark.sparkContext.addFile(str(Path(model).resolve()), recursive=True)
    model_name = Path(model).resolve().name
    schema = row_schema(schema_version)

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        return _extract_partition(batches, model_name, schema_version, batch_size)

    rows = frame.mapInPandas(run, schema=schema)
    writer = rows.write.mode("overwrite")
    if output_format == "parquet":
        writer.parquet(output)
    else:
        writer.json(output)
    return (
        spark.read.parquet(output).count() if output_format == "parquet" else spark.read.json(output).count()
    )
