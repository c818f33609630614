"""The master dataset of the batch layer: every raw event as it arrived, kept by event date.

The streaming job starts one more query per entity that archives the raw payloads it reads, before any
deduplication or watermark: duplicates, events later than the watermark (the speed layer drops those) and records
that do not parse (their event date is unknown, so they land under `event_date=__HIVE_DEFAULT_PARTITION__`; the
dead-letter output says why each one failed). Layout:

    <ARCHIVE_ROOT>/<entity>/event_date=<D>/run=<query id>/batch_id=<N>/part-*.parquet

Each micro-batch replaces only its own folders, so a replayed batch rewrites the same files, and a new checkpoint
(a new query id) never overwrites what an earlier one archived. The batch layer reads one event date whatever
run or batch delivered it (`batch_layer.recompute`), and keeps one event per key, so an event archived twice
counts once. ARCHIVE_ROOT defaults to `<curated root>/_archive`: the curated zone keeps its data (the raw zone
expires) and the streaming job already writes there.
"""

from __future__ import annotations

import os
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.streaming import StreamingQuery

from ..config import Settings
from ..stream.functions import EVENT_TIME
from ..stream.settings import StreamSettings

ARCHIVED_AT = "archived_at"  # when the micro-batch was archived: arrival order, for "the first one wins"


def archive_root(settings: Settings) -> str:
    """Where the raw events are archived: ARCHIVE_ROOT, else `<curated root>/_archive`."""
    return os.environ.get("ARCHIVE_ROOT") or f"{settings.curated_root.rstrip('/')}/_archive"


def query_name(entity: str) -> str:
    """The streaming query that archives `entity` (also its checkpoint folder's name)."""
    return f"{entity}_archive"


def query_id(spark: SparkSession, checkpoint: str) -> str:
    """The id Spark keeps in the checkpoint's `metadata` file: the same across restarts from that checkpoint."""
    import json

    return str(json.loads(spark.read.text(f"{checkpoint}/metadata").first()[0])["id"])


def write_batch(batch: DataFrame, batch_id: int, *, root: str, run: str) -> None:
    """Archive one micro-batch: its rows under `event_date=<D>/run=<run>/batch_id=<id>/`, replacing only those."""
    (
        batch.withColumn("run", F.lit(run))
        .withColumn("batch_id", F.lit(batch_id))
        .withColumn(ARCHIVED_AT, F.current_timestamp())
        .repartition("event_date")  # one file per date and batch: micro-batches are small
        .write.mode("overwrite")
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy("event_date", "run", "batch_id")
        .parquet(root)
    )


def start(
    parsed: DataFrame, settings: Settings, stream: StreamSettings, entity: str, trigger: dict[str, Any]
) -> StreamingQuery:
    """Start the archive query of `entity` over the job's parsed stream (raw `value` and its event time)."""
    name = query_name(entity)
    checkpoint = stream.checkpoint(name)
    root = f"{archive_root(settings).rstrip('/')}/{entity}"
    run: list[str] = []  # the query id, read from the checkpoint once the query has written it

    def archive(batch: DataFrame, batch_id: int) -> None:
        if not run:
            run.append(query_id(batch.sparkSession, checkpoint))
        write_batch(batch, batch_id, root=root, run=run[0])

    return (
        parsed.select("value", F.to_date(EVENT_TIME).alias("event_date"))
        .writeStream.queryName(name)
        .foreachBatch(archive)
        .option("checkpointLocation", checkpoint)
        .trigger(**trigger)
        .start()
    )
