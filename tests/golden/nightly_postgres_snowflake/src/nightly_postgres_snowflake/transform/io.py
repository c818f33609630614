"""I/O adapters of the Spark job: where raw data comes from and where curated data goes.

Locally raw files are CSV under `DATA_DIR/raw`; in production the source reader (`source.read_source`) says
how Spark reads PostgreSQL: straight from the source, or the raw files landed in s3.
Curated output is Parquet partitioned by `ingest_date` (and `ingest_hour` in an hour-grain project), rewritten
idempotently (dynamic partition overwrite: only the run's partition is replaced).
"""

from __future__ import annotations

from pathlib import Path

from pyspark.sql import DataFrame, SparkSession

from ..config import Settings, partition_dir
from ..source import read_source
from .functions import partition_columns


def _uri(root: str) -> str:
    """Local roots become absolute paths; object-store URIs stay as they are."""
    return root if "://" in root else str(Path(root).resolve())


def raw_path(settings: Settings, entity: str, ds: str, hour: str | None = None) -> str:
    """Folder holding one day's (or one hour's) raw files of an entity."""
    return f"{_uri(settings.raw_root)}/{entity}/{partition_dir(ds, hour)}"


def curated_path(settings: Settings, entity: str) -> str:
    """Root of an entity's curated table (partitions below it)."""
    return f"{_uri(settings.curated_root)}/{entity}"


def read_raw_files(spark: SparkSession, settings: Settings, entity: str, ds: str, hour: str | None = None) -> DataFrame:
    """Read one day's (or one hour's) raw CSV files (header row, every column as a string; casting is a pure step)."""
    return (
        spark.read.option("header", True)
        .option("inferSchema", False)
        .option("mode", "PERMISSIVE")
        .csv(raw_path(settings, entity, ds, hour))
    )


def read_raw(spark: SparkSession, settings: Settings, entity: str, ds: str, hour: str | None = None) -> DataFrame:
    """Raw data of one entity for one day (or hour): local CSV files, or the production source."""
    if settings.is_prod:
        return read_source(spark, settings, entity, ds, hour)
    return read_raw_files(spark, settings, entity, ds, hour)


def write_curated(df: DataFrame, settings: Settings, entity: str) -> str:
    """Write curated Parquet partitioned by `ingest_date` (and `ingest_hour` when `df` has it), overwriting only
    the partitions present in `df`."""
    target = curated_path(settings, entity)
    (
        df.write.mode("overwrite")
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(*partition_columns(df))
        .parquet(target)
    )
    return target
