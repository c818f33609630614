"""Pure transformations (DataFrame -> DataFrame) driven by the entity specs in `schema.py`.

No I/O here: every function takes and returns a DataFrame, so each one is unit-tested on tiny in-memory data.
Only APIs of both Spark 3.5 (EMR 7, Dataproc Serverless 2.2) and Spark 4 are used.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import (
    BooleanType,
    DataType,
    DateType,
    DecimalType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

from ..schema import ENTITIES, Entity

PARTITION_COLUMN = "ingest_date"
HOUR_COLUMN = "ingest_hour"  # the second partition column of an hour-grain project (`config.PARTITION_GRAIN`)


def spark_type(type_name: str) -> DataType:
    """Spark type of a schema type: integer->long, decimal->decimal(18,2), string, timestamp, date, boolean."""
    types: dict[str, DataType] = {
        "integer": LongType(),
        "decimal": DecimalType(18, 2),
        "string": StringType(),
        "timestamp": TimestampType(),
        "date": DateType(),
        "boolean": BooleanType(),
    }
    try:
        return types[type_name]
    except KeyError:
        raise ValueError(f"unknown column type {type_name!r}") from None


def spark_schema(entity: str | Entity) -> StructType:
    """The curated schema of an entity: its columns, in order, with their Spark types."""
    spec = ENTITIES[entity] if isinstance(entity, str) else entity
    return StructType([StructField(c.name, spark_type(c.type), c.nullable) for c in spec.columns])


def _spec(entity: str | Entity) -> Entity:
    return ENTITIES[entity] if isinstance(entity, str) else entity


def normalise_strings(df: DataFrame, entity: str | Entity) -> DataFrame:
    """Trim string columns, turn empty strings into nulls and lower-case e-mail addresses."""
    spec = _spec(entity)
    out = df
    for column in spec.columns:
        if column.name not in df.columns or column.type != "string":
            continue
        value = F.trim(F.col(column.name).cast("string"))
        if column.format == "email":
            value = F.lower(value)
        out = out.withColumn(column.name, F.when(value == "", None).otherwise(value))
    return out


def _quoted(name: str) -> str:
    """A column name as a SQL identifier (backticks, inner backticks doubled)."""
    return "`" + name.replace("`", "``") + "`"


def try_cast(name: str, target: DataType, trim: bool = False) -> Column:
    """Column `name` cast to `target`, null where the value does not parse (also under ANSI mode).

    SQL `try_cast` exists since Spark 3.2; `Column.try_cast` only since PySpark 4, so this runs on both the
    Spark 3.5 of EMR 7 / Dataproc 2.2 and Spark 4.
    """
    value = f"CAST({_quoted(name)} AS STRING)"
    if trim:
        value = f"TRIM({value})"
    return F.expr(f"TRY_CAST({value} AS {target.simpleString()})")


def cast_to_schema(df: DataFrame, entity: str | Entity) -> DataFrame:
    """Select exactly the entity's columns, in order, cast to their types (unparseable values become null)."""
    spec = _spec(entity)
    columns = []
    for column in spec.columns:
        target = spark_type(column.type)
        if column.name in df.columns:
            trim = column.type in ("integer", "decimal", "timestamp", "date", "boolean")
            columns.append(try_cast(column.name, target, trim=trim).alias(column.name))
        else:
            columns.append(F.lit(None).cast(target).alias(column.name))
    return df.select(*columns)


def drop_null_keys(df: DataFrame, entity: str | Entity) -> DataFrame:
    """Drop rows whose primary key is null."""
    return df.dropna(subset=[_spec(entity).primary_key])


def deduplicate(df: DataFrame, entity: str | Entity) -> DataFrame:
    """Keep one row per primary key: the latest by `event_time` (nulls last)."""
    spec = _spec(entity)
    window = Window.partitionBy(spec.primary_key).orderBy(F.col(spec.event_time).desc_nulls_last())
    return df.withColumn("_rank", F.row_number().over(window)).where(F.col("_rank") == 1).drop("_rank")


def add_ingest_date(df: DataFrame, ds: str) -> DataFrame:
    """Add the `ingest_date` partition column (a date) for the run's logical date."""
    return df.withColumn(PARTITION_COLUMN, F.to_date(F.lit(ds)))


def add_ingest_hour(df: DataFrame, hour: str) -> DataFrame:
    """Add the `ingest_hour` partition column (`HH`, a string so the folder is `ingest_hour=HH`) for the run's hour."""
    return df.withColumn(HOUR_COLUMN, F.lit(hour))


def partition_columns(df: DataFrame) -> list[str]:
    """The columns a curated table is partitioned by: `ingest_date`, then `ingest_hour` when the frame has it."""
    return [PARTITION_COLUMN, *([HOUR_COLUMN] if HOUR_COLUMN in df.columns else [])]


def curate(df: DataFrame, entity: str | Entity, ds: str, hour: str | None = None) -> DataFrame:
    """The whole transformation of one raw entity: normalise, cast, drop null keys, deduplicate, partition (by
    date, and by `hour` when the run is one hour)."""
    spec = _spec(entity)
    out = normalise_strings(df, spec)
    out = cast_to_schema(out, spec)
    out = drop_null_keys(out, spec)
    out = deduplicate(out, spec)
    out = add_ingest_date(out, ds)
    return out if hour is None else add_ingest_hour(out, hour)
