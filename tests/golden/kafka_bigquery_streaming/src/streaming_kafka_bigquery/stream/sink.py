"""The foreachBatch sink: each micro-batch into the curated zone and the warehouse, idempotent on the batch id.

Spark may hand the same batch id to the sink again (a restart after a failure replays the last batch), so:
- curated Parquet goes to `<curated>/<entity>/ingest_date=<event date>/batch_id=<id>/`, overwritten as a whole
  (a replay rewrites the same folder; `quality.gate` and `load` read every file under `ingest_date=<date>/`);
- the warehouse is merged on the entity's key with load.py's dlt helpers (a replay merges the same rows);
- a ledger of committed batch ids (marker files next to the query's checkpoint) makes a replay a no-op, and keeps
  each batch's event-time high-water mark, so the late cut of a replayed batch is the one it had the first time.
Events older than the high-water mark minus the watermark go to the dead-letter output with the reason `late`
(Spark's own watermark may already have dropped some of them). For the fact entity the sink also recounts the
windows of each touched day from the curated rows and merges them into the `<fact>_windows` table.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .. import load
from ..config import Settings
from ..schema import ENTITIES, Entity
from .functions import EVENT_TIME, REASON, measure, window_counts
from .settings import StreamSettings

log = logging.getLogger(__name__)
# Local queries run in one process and share one DuckDB file: their warehouse writes take turns.
WAREHOUSE_LOCK = threading.Lock()
LATE = "late: older than the watermark"


class Ledger:
    """Committed batch ids of one query: files `<batch id>_<high-water mark in microseconds>` in `folder`,
    written through Spark's Hadoop filesystem, so the same code serves a local folder and the object store."""

    def __init__(self, spark: SparkSession, folder: str) -> None:
        jvm = spark.sparkContext._jvm
        self._path = jvm.org.apache.hadoop.fs.Path
        self._folder = self._path(folder)
        self._fs = self._folder.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())

    def entries(self) -> dict[int, int | None]:
        """Batch id -> high-water mark (microseconds since the epoch, None before any event)."""
        if not self._fs.exists(self._folder):
            return {}
        found = {}
        for status in self._fs.listStatus(self._folder):
            batch, _, mark = status.getPath().getName().partition("_")
            if batch.isdigit():
                found[int(batch)] = int(mark) if mark.isdigit() else None
        return found

    def committed(self, batch_id: int) -> bool:
        """True when `batch_id` was fully written."""
        return batch_id in self.entries()

    def high_water(self, before: int) -> datetime | None:
        """The newest event time of the batches before `before` (what the late cut of batch `before` uses)."""
        earlier = {b: m for b, m in self.entries().items() if b < before}
        mark = earlier[max(earlier)] if earlier else None
        return None if mark is None else datetime(1970, 1, 1) + timedelta(microseconds=mark)

    def commit(self, batch_id: int, high_water: datetime | None) -> None:
        """Record `batch_id` as written, with the high-water mark after it."""
        mark = "" if high_water is None else str((high_water - datetime(1970, 1, 1)) // timedelta(microseconds=1))
        self._fs.create(self._path(self._folder, f"{batch_id:020d}_{mark}"), True).close()


def write_dead_letters(records: DataFrame, stream: StreamSettings, entity: str, query: str, batch_id: int) -> None:
    """Records with `reason` and raw `value` as JSON under `<dead letters>/<entity>/query=<q>/batch_id=<id>/`,
    overwritten as a whole so a replayed batch writes the same files."""
    records = records.persist()  # read the batch once: two actions would read (and count) the source twice
    try:
        if not records.isEmpty():
            path = f"{stream.dead_letters(entity)}/query={query}/batch_id={batch_id}"
            records.select(REASON, "value").write.mode("overwrite").json(path)
    finally:
        records.unpersist()


def write_curated(records: DataFrame, root: str, batch_id: int) -> list[str]:
    """Rows into `root` partitioned by ingest date and batch id (only this batch's folders are replaced); returns
    the ingest dates written."""
    dates = sorted(str(row[0]) for row in records.select("ingest_date").distinct().collect())
    if dates:
        (
            records.withColumn("batch_id", F.lit(batch_id))
            .repartition("ingest_date")  # one file per date and batch: micro-batches are small
            .write.mode("overwrite")
            .option("partitionOverwriteMode", "dynamic")
            .partitionBy("ingest_date", "batch_id")
            .parquet(root)
        )
    return dates


def merge(tables: dict[str, tuple[pa.Table, str, dict[str, Any]]], settings: Settings, pipeline: str) -> None:
    """Merge each `{table: (rows, key, dlt column hints)}` into the warehouse dataset dbt reads (load.py's
    destination and dataset); a rerun with the same rows leaves the tables as they are."""
    import dlt

    load.dlt_defaults()
    resources = [
        dlt.resource(rows, name=name, table_name=name, write_disposition="merge", primary_key=key, columns=hints)
        for name, (rows, key, hints) in tables.items()
        if rows.num_rows
    ]
    if not resources:
        return
    with WAREHOUSE_LOCK:
        dlt.pipeline(
            pipeline_name=pipeline,
            destination=load.destination(settings),
            dataset_name=load.dataset_name(),
            pipelines_dir=str(settings.data_dir / ".dlt"),
        ).run(resources)


def window_hints(entity: Entity) -> dict[str, dict[str, Any]]:
    """dlt column types of the `<fact>_windows` table."""
    hints = {
        "window_start": {"data_type": "timestamp", "timezone": False, "nullable": False},
        "window_end": {"data_type": "timestamp", "timezone": False, "nullable": False},
        "events": {"data_type": "bigint", "nullable": False},
        "ingest_date": {"data_type": "date", "nullable": False},
    }
    total = measure(entity)
    if total:
        hints[f"{total}_sum"] = {**load.DLT_TYPES["decimal"], "nullable": True}
    return hints


def windows_table(entity: Entity) -> str:
    """The warehouse table (and curated folder) of the fact's window counts."""
    return f"{entity.name}_windows"


def write_windows(windows: DataFrame, target: str, dates: list[str]) -> pa.Table:
    """Replace the days `dates` of the window counts under `target` (Parquet by ingest date) with `windows`, and
    return those days as an Arrow table typed for the warehouse (the batch layer writes its counts the same way)."""
    windows.write.mode("overwrite").option("partitionOverwriteMode", "dynamic").partitionBy("ingest_date").parquet(
        target
    )
    parts = []
    for ds in dates:
        part = pads.dataset(f"{target}/ingest_date={ds}", format="parquet").to_table()
        for name in ("window_start", "window_end"):
            part = part.set_column(part.schema.get_field_index(name), name, part[name].cast(pa.timestamp("us")))
        day = pa.array([datetime.fromisoformat(ds).date()] * part.num_rows, pa.date32())
        parts.append(part.append_column(pa.field("ingest_date", pa.date32(), nullable=False), day))
    return pa.concat_tables(parts)


def recount_windows(
    spark: SparkSession, entity: Entity, settings: Settings, stream: StreamSettings, dates: list[str]
) -> pa.Table:
    """Recount every window of the touched days from the curated rows (exact and idempotent whatever was
    replayed), rewrite those days of `<curated>/<fact>_windows/`, and return them for the warehouse."""
    root = settings.curated_root.rstrip("/")
    rows = spark.read.parquet(f"{root}/{entity.name}").where(F.col("ingest_date").isin(dates))
    return write_windows(window_counts(rows, entity, stream.window), f"{root}/{windows_table(entity)}", dates)


def write_batch(
    batch: DataFrame, batch_id: int, *, entity: Entity, settings: Settings, stream: StreamSettings, query: str
) -> None:
    """The foreachBatch function of an entity's query: see the module docstring."""
    spark = batch.sparkSession
    ledger = Ledger(spark, f"{stream.checkpoint(query)}/sink_ledger")
    if ledger.committed(batch_id):
        log.info("%s: batch %d already committed, nothing to do", query, batch_id)
        return
    previous = ledger.high_water(batch_id)
    batch = batch.persist()  # read the batch once: each action would read (and count) the source again
    try:
        if batch.isEmpty():  # a batch that only moves the watermark
            ledger.commit(batch_id, previous)
            return
        late = F.lit(False)
        if previous is not None:
            late = F.col(EVENT_TIME) < F.lit(previous - timedelta(seconds=stream.watermark_seconds))
        write_dead_letters(batch.where(late).withColumn(REASON, F.lit(LATE)), stream, entity.name, query, batch_id)
        on_time = batch.where(~late)
        newest = on_time.agg(F.max(EVENT_TIME)).first()[0]
        curated = on_time.select(*entity.column_names, F.to_date(EVENT_TIME).alias("ingest_date"))
        root = f"{settings.curated_root.rstrip('/')}/{entity.name}"
        dates = write_curated(curated, root, batch_id)
        parts = [load.read_partition(f"{root}/ingest_date={ds}/batch_id={batch_id}", entity, ds) for ds in dates]
        tables: dict[str, tuple[pa.Table, str, dict[str, Any]]] = {}
        if parts:
            tables[entity.name] = (pa.concat_tables(parts), entity.primary_key, load.column_hints(entity))
        if dates and entity.role == "fact":
            windows = recount_windows(spark, entity, settings, stream, dates)
            tables[windows_table(entity)] = (windows, "window_start", window_hints(entity))
        merge(tables, settings, f"{load.PIPELINE}_stream_{entity.name}")
        marks = [m for m in (previous, newest) if m is not None]
        ledger.commit(batch_id, max(marks) if marks else None)
    finally:
        batch.unpersist()
    log.info("%s: batch %d committed (%s)", query, batch_id, ", ".join(dates) or "no rows")


def sink_for(entity: str, settings: Settings, stream: StreamSettings, query: str) -> Any:
    """The foreachBatch function of `entity`'s query."""

    def run(batch: DataFrame, batch_id: int) -> None:
        write_batch(batch, batch_id, entity=ENTITIES[entity], settings=settings, stream=stream, query=query)

    return run
