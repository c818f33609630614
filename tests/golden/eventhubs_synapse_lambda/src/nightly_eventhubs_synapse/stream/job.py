"""The streaming job: one query per entity (parse -> dedupe within the watermark -> idempotent sink) and one per
entity for the records that do not parse (-> dead-letter output).

Locally it reads the event files under `DATA_DIR/events/<entity>/` one file per micro-batch (so the watermark moves
as files arrive) with `trigger(availableNow=True)`: it processes what is new since the checkpoint and stops. In
production it reads the stream with `source.read_stream` and a processing-time trigger, and runs until stopped.
Checkpoints live under CHECKPOINT_ROOT: a restart resumes after the last committed batch.
A third query per entity archives every raw event for the batch layer (`batch_layer.archive`).

    python -m <package>.stream.job --ds 2024-01-01      # --ds only labels the run: every new event is processed
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.streaming import StreamingQuery

from ..batch_layer import archive
from ..config import Settings, load_settings
from ..schema import ENTITIES
from . import sink
from .functions import dead_letters, dedupe, parse, valid
from .settings import StreamSettings, load_stream_settings

log = logging.getLogger(__name__)


def read_events(spark: SparkSession, settings: Settings, entity: str) -> DataFrame:
    """The raw events of `entity`: `value` (payload text), `key`, `source_time`, from the stream in production,
    else from the local event files, one file per micro-batch."""
    if settings.is_prod:
        from ..source import read_stream  # the stream reader's part: Kafka, Kinesis, Pub/Sub or Event Hubs

        return read_stream(spark, settings, entity)
    folder = settings.data_dir / "events" / entity
    folder.mkdir(parents=True, exist_ok=True)  # a file stream needs its folder, even before the first event
    return (
        spark.readStream.format("text")
        .option("maxFilesPerTrigger", 1)
        .load(str(folder.resolve()))
        .select("value", F.lit(None).cast("string").alias("key"), F.current_timestamp().alias("source_time"))
    )


def start(spark: SparkSession, settings: Settings, stream: StreamSettings) -> list[StreamingQuery]:
    """Start the three queries of every entity with the trigger of the environment."""
    trigger = {"processingTime": f"{stream.trigger_seconds} seconds"} if settings.is_prod else {"availableNow": True}
    queries = []
    for name, entity in ENTITIES.items():
        parsed = parse(read_events(spark, settings, name), entity)
        writer = (
            dedupe(valid(parsed), entity, stream.watermark)
            .writeStream.queryName(name)
            .foreachBatch(sink.sink_for(name, settings, stream, name))
            .option("checkpointLocation", stream.checkpoint(name))
            .trigger(**trigger)
        )
        queries.append(writer.start())
        query = f"{name}_dead_letter"

        def write(batch: DataFrame, batch_id: int, entity: str = name, query: str = query) -> None:
            sink.write_dead_letters(batch, stream, entity, query, batch_id)

        queries.append(
            dead_letters(parsed)
            .writeStream.queryName(query)
            .foreachBatch(write)
            .option("checkpointLocation", stream.checkpoint(query))
            .trigger(**trigger)
            .start()
        )
        queries.append(archive.start(parsed, settings, stream, name, trigger))
    return queries


def run(spark: SparkSession | None = None, settings: Settings | None = None) -> list[StreamingQuery]:
    """Run the queries: until everything available is processed locally, until stopped in production. A failed
    query stops the others and raises its error; returns the stopped queries (their progress tells what ran)."""
    settings = settings or load_settings()
    stream = load_stream_settings(settings)
    if spark is None:
        from ..transform.session import build_spark

        spark = build_spark("stream", settings)
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    queries = start(spark, settings, stream)
    try:
        if settings.is_prod:
            spark.streams.awaitAnyTermination()
        for query in queries:
            query.awaitTermination()
    finally:
        for query in queries:
            if query.isActive:
                query.stop()
    for query in queries:
        if query.exception() is not None:
            raise RuntimeError(f"streaming query {query.name} failed: {query.exception()}")
    return queries


def main(argv: list[str] | None = None) -> int:
    """Command line: process the events (available-now locally, continuously in production)."""
    parser = argparse.ArgumentParser(description="Process the events with Spark Structured Streaming.")
    parser.add_argument("--ds", default=date.today().isoformat(), help="date of the run (a label: all new events)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("py4j").setLevel(logging.WARNING)  # one line per callback otherwise
    try:
        run()
    except RuntimeError as error:
        print(f"stream_process failed ({args.ds}): {error}", file=sys.stderr)
        return 1
    log.info("stream_process %s: every available event processed", args.ds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
