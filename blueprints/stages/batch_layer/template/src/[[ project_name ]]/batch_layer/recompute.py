"""The batch layer: recompute the fact's event-time windows of one day from the archive of raw events.

    python -m <package>.batch_layer.recompute --ds 2024-01-01

Reads every archived event of the day, whenever it arrived (the late ones the speed layer dropped included),
parses it with the streaming job's own `parse`, keeps one event per key (the first archived), counts the same
windows with the same `window_counts`, and replaces the day in `<curated>/<fact>_windows_batch/` and in the
warehouse table of that name (merged on the window start, like the speed layer's `<fact>_windows`). The serving
model in dbt then prefers these rows for the day. Run again for a day, it reads the archive again: an event that
arrived after the last recompute is counted, nothing is counted twice. The same code runs locally and on the cloud's
Spark engine.
"""

from __future__ import annotations

import argparse
import logging
from datetime import date

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from ..config import Settings, load_settings
from ..schema import Entity, fact
from ..stream import sink
from ..stream.functions import EVENT_TIME, parse, valid, window_counts
from ..stream.settings import StreamSettings, load_stream_settings
from .archive import ARCHIVED_AT, archive_root

log = logging.getLogger(__name__)


def batch_table(entity: Entity) -> str:
    """The warehouse table (and curated folder) of the batch layer's window counts."""
    return f"{sink.windows_table(entity)}_batch"


def day_events(spark: SparkSession, settings: Settings, entity: Entity, ds: str) -> DataFrame:
    """The archived raw events of `entity` whose event date is `ds` (empty when nothing was archived)."""
    root = f"{archive_root(settings).rstrip('/')}/{entity.name}"
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(root)
    if not path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(path):
        log.warning("nothing archived under %s yet", root)
        return spark.createDataFrame([], f"value string, {ARCHIVED_AT} timestamp")
    archived = spark.read.parquet(root)
    return archived.where(F.col("event_date") == F.lit(ds).cast("date")).select("value", ARCHIVED_AT)


def first_per_key(records: DataFrame, entity: Entity) -> DataFrame:
    """One row per primary key: the first archived (ties broken by the payload, so a rerun picks the same one)."""
    order = Window.partitionBy(entity.primary_key).orderBy(ARCHIVED_AT, "value")
    return records.withColumn("_n", F.row_number().over(order)).where(F.col("_n") == 1).drop("_n")


def windows_of_day(events: DataFrame, entity: Entity, window: str, ds: str) -> DataFrame:
    """The window counts of `ds` from its raw events: parse, keep valid records, one per key, count."""
    records = first_per_key(valid(parse(events, entity, keep=[ARCHIVED_AT])), entity)
    return window_counts(records.where(F.to_date(EVENT_TIME) == F.lit(ds).cast("date")), entity, window)


def recompute(spark: SparkSession, settings: Settings, stream: StreamSettings, ds: str) -> pa.Table:
    """Recompute the fact's windows of `ds` into the curated zone and the warehouse; return the rows written."""
    entity = fact()
    windows = windows_of_day(day_events(spark, settings, entity, ds), entity, stream.window, ds).persist()
    try:
        if windows.isEmpty():
            log.warning("no valid %s event of %s in the archive: nothing to recompute", entity.name, ds)
            return pa.table({})
        target = f"{settings.curated_root.rstrip('/')}/{batch_table(entity)}"
        rows = sink.write_windows(windows, target, [ds])
    finally:
        windows.unpersist()
    sink.merge(
        {batch_table(entity): (rows, "window_start", sink.window_hints(entity))},
        settings,
        f"{sink.load.PIPELINE}_batch_{entity.name}",
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command line: recompute one day's windows from the archive."""
    parser = argparse.ArgumentParser(description="Recompute one day's window counts from the raw event archive.")
    parser.add_argument("--ds", default=date.today().isoformat(), help="event date YYYY-MM-DD (default: today)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("py4j").setLevel(logging.WARNING)
    ds = date.fromisoformat(args.ds).isoformat()
    settings = load_settings()
    from ..transform.session import build_spark

    spark = build_spark("batch_recompute", settings)
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    rows = recompute(spark, settings, load_stream_settings(settings), ds)
    log.info("batch_recompute %s: %d windows", ds, rows.num_rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
