"""The pure transformations of the stream: parse, deduplicate within the watermark, count per event-time window.

DataFrame in, DataFrame out; no I/O, so the same functions run on the local file stream, the production stream and
static test data. They use only APIs of both Spark 3.5 and Spark 4 (`try_cast` instead of ANSI casts that fail).
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import Column as SparkColumn
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from ..schema import Entity

SQL_TYPES = {
    "integer": "BIGINT",
    "decimal": "DECIMAL(18,2)",
    "string": "STRING",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "boolean": "BOOLEAN",
}
EVENT_TIME = "_event_time"  # the entity's event time as a timestamp (watermarks need one, dates included)
REASON = "reason"  # null when the record parsed; else why it goes to the dead-letter output


def parse(events: DataFrame, entity: Entity, keep: Sequence[str] = ()) -> DataFrame:
    """Type each payload (`value`, JSON text) like `schema.py`; keep `value` (and the columns `keep` names), add
    `_event_time` and `reason`.

    Every field is read as text first and converted with `try_cast`, so one bad field gives a reason, never a
    failed batch. The reason names the first problem: invalid JSON, a missing required field, or a field whose
    text is not of its type.
    """
    as_text = StructType([StructField(c.name, StringType()) for c in entity.columns])
    raw = events.withColumn("_raw", F.from_json("value", as_text))
    typed = [F.expr(f"try_cast(_raw.`{c.name}` AS {SQL_TYPES[c.type]})").alias(c.name) for c in entity.columns]
    is_object = F.get_json_object("value", "$").isNotNull() & F.ltrim("value").startswith("{")
    problems: list[SparkColumn] = [F.when(~is_object, F.lit("invalid JSON"))]
    for c in entity.columns:
        text = F.col(f"_raw.`{c.name}`")
        required = not c.nullable or c.name == entity.primary_key
        if required:
            problems.append(F.when(text.isNull(), F.lit(f"missing {c.name}")))
        converted = F.expr(f"try_cast(_raw.`{c.name}` AS {SQL_TYPES[c.type]})")
        problems.append(F.when(text.isNotNull() & converted.isNull(), F.lit(f"{c.name} is not a {c.type}")))
    return raw.select(
        *typed,
        F.col("value"),
        *keep,
        event_time(entity),
        F.coalesce(*problems).alias(REASON),
    )


def event_time(entity: Entity) -> SparkColumn:
    """The event time as a timestamp (a date becomes its midnight), named `_event_time`."""
    sql_type = SQL_TYPES[entity.column(entity.event_time).type]
    return F.expr(f"CAST(try_cast(_raw.`{entity.event_time}` AS {sql_type}) AS TIMESTAMP)").alias(EVENT_TIME)


def valid(parsed: DataFrame) -> DataFrame:
    """The records that parsed."""
    return parsed.where(F.col(REASON).isNull()).drop(REASON)


def dead_letters(parsed: DataFrame) -> DataFrame:
    """The records that did not parse: reason and raw payload."""
    return parsed.where(F.col(REASON).isNotNull()).select(REASON, "value")


def dedupe(records: DataFrame, entity: Entity, watermark: str) -> DataFrame:
    """One row per primary key among events no further apart than `watermark` (the first one seen wins).

    `dropDuplicatesWithinWatermark` (Spark >= 3.5) keeps each key in state until the watermark passes its event
    time plus the delay, so a repeat within the watermark is dropped even when its event time differs.
    """
    return records.withWatermark(EVENT_TIME, watermark).dropDuplicatesWithinWatermark([entity.primary_key])


def measure(entity: Entity) -> str | None:
    """The decimal measure the windows sum (the first decimal column), or None when the entity has none."""
    return next((c.name for c in entity.columns if c.type == "decimal"), None)


def window_counts(records: DataFrame, entity: Entity, window: str) -> DataFrame:
    """Events per event-time window (and the sum of the decimal measure, if any), one row per window with its
    start, end and `ingest_date` (the start's date). `records` holds typed rows of `entity`."""
    total = measure(entity)
    aggregates = [F.count(F.lit(1)).alias("events")]
    if total:
        aggregates.append(F.sum(total).cast("decimal(18,2)").alias(f"{total}_sum"))
    counted = records.groupBy(F.window(F.col(entity.event_time).cast("timestamp"), window).alias("w")).agg(*aggregates)
    return counted.select(
        F.col("w.start").alias("window_start"),
        F.col("w.end").alias("window_end"),
        *[c for c in counted.columns if c != "w"],
        F.to_date("w.start").alias("ingest_date"),
    )
