"""I/O adapters of the Spark job: where raw data comes from and where curated data goes.

Locally raw files are CSV under `DATA_DIR/raw`; in production the job reads PostgreSQL directly.
Curated output is Parquet partitioned by `ingest_date`, rewritten idempotently (dynamic partition overwrite).
"""

from __future__ import annotations

import os
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession

from ..config import Settings
from ..schema import ENTITIES
from .functions import PARTITION_COLUMN


def _uri(root: str) -> str:
    """Local roots become absolute paths; object-store URIs stay as they are."""
    return root if "://" in root else str(Path(root).resolve())


def raw_path(settings: Settings, entity: str, ds: str) -> str:
    """Folder holding one day's raw files of an entity."""
    return f"{_uri(settings.raw_root)}/{entity}/{PARTITION_COLUMN}={ds}"


def curated_path(settings: Settings, entity: str) -> str:
    """Root of an entity's curated table (partitions below it)."""
    return f"{_uri(settings.curated_root)}/{entity}"


def read_raw_files(spark: SparkSession, settings: Settings, entity: str, ds: str) -> DataFrame:
    """Read one day's raw CSV files (header row, every column as a string; casting is a pure step)."""
    return (
        spark.read.option("header", True)
        .option("inferSchema", False)
        .option("mode", "PERMISSIVE")
        .csv(raw_path(settings, entity, ds))
    )


def jdbc_url() -> str:
    """JDBC URL of PostgreSQL from `SOURCE_JDBC_HOST`, `SOURCE_JDBC_PORT`, `SOURCE_JDBC_DATABASE`."""
    template = "jdbc:postgresql://{host}:{port}/{database}"
    return template.format(
        host=os.environ["SOURCE_JDBC_HOST"],
        port=os.environ.get("SOURCE_JDBC_PORT", "5432"),
        database=os.environ["SOURCE_JDBC_DATABASE"],
    )


def jdbc_options(entity: str) -> dict[str, str]:
    """Options of `spark.read.format("jdbc")` for one table; credentials come from the environment only.

    The driver jar (org.postgresql:postgresql:42.7.4) is added by the platform or `spark.jars.packages`.
    Set `SOURCE_JDBC_QUERY_<ENTITY>` to read a query (e.g. one day's changes) instead of the whole table.
    """
    schema = os.environ.get("SOURCE_JDBC_SCHEMA", "")
    options = {
        "url": jdbc_url(),
        "driver": "org.postgresql.Driver",
        "user": os.environ.get("SOURCE_JDBC_USER", ""),
        "password": os.environ.get("SOURCE_JDBC_PASSWORD", ""),
        "fetchsize": os.environ.get("SOURCE_JDBC_FETCHSIZE", "10000"),
    }
    query = os.environ.get(f"SOURCE_JDBC_QUERY_{entity.upper()}")
    if query:
        options["query"] = query
    else:
        options["dbtable"] = f"{schema}.{entity}" if schema else entity
        options.update(
            partitionColumn=ENTITIES[entity].primary_key,
            lowerBound="1",
            upperBound=os.environ.get("SOURCE_JDBC_UPPER_BOUND", "10000000"),
            numPartitions=os.environ.get("SOURCE_JDBC_PARTITIONS", "8"),
        )
    return options


def read_source(spark: SparkSession, settings: Settings, entity: str, ds: str) -> DataFrame:
    """Production: read the table straight from PostgreSQL over JDBC."""
    return spark.read.format("jdbc").options(**jdbc_options(entity)).load()


def read_raw(spark: SparkSession, settings: Settings, entity: str, ds: str) -> DataFrame:
    """Raw data of one entity for one day: local CSV files, or the production source."""
    if settings.is_prod:
        return read_source(spark, settings, entity, ds)
    return read_raw_files(spark, settings, entity, ds)


def write_curated(df: DataFrame, settings: Settings, entity: str) -> str:
    """Write curated Parquet partitioned by `ingest_date`, overwriting only the partitions present in `df`."""
    target = curated_path(settings, entity)
    (
        df.write.mode("overwrite")
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(PARTITION_COLUMN)
        .parquet(target)
    )
    return target
