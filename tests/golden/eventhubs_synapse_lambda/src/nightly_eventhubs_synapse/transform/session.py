"""The SparkSession every Spark step of the project starts from.

Runs on `local[*]` by default (`SPARK_MASTER` overrides it); in production the platform provides the master and
the executors, and the session takes the SQL settings sized for production (`submit.SIZING`).
"""

from __future__ import annotations

import os
import sys

from pyspark.sql import SparkSession

from ..config import Settings, load_settings
from . import submit


def build_spark(app_name: str = "nightly_eventhubs_synapse", settings: Settings | None = None) -> SparkSession:
    """Get (or reuse) a SparkSession configured for UTC timestamps and idempotent partition overwrites."""
    settings = settings or load_settings()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    )
    if not settings.is_prod:
        builder = (
            builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
            .config("spark.sql.shuffle.partitions", os.environ.get("SPARK_SHUFFLE_PARTITIONS", "4"))
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
        )
    else:
        # The shuffle partitions sized for production (submit.SIZING); the platform sets the executors.
        for name, value in submit.SIZING.items():
            if name.startswith("spark.sql."):
                builder = builder.config(name, value)
    spark = builder.getOrCreate()
    # getOrCreate may return a running session: make sure the runtime settings hold for this job.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    return spark
