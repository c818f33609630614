"""Spark batch job: raw -> curated for one logical date.

    python -m nightly_postgres_snowflake.transform.job --ds 2024-01-01

Runs on `local[*]` by default (`SPARK_MASTER` overrides it); in production the platform provides the master.
"""

from __future__ import annotations

import argparse
import logging
from datetime import date

from pyspark.sql import SparkSession

from ..config import Settings, add_run_arguments, load_settings, partition_dir
from ..schema import ENTITIES
from .functions import curate
from .io import read_raw, write_curated
from .session import build_spark

log = logging.getLogger(__name__)


def run(
    ds: str,
    settings: Settings | None = None,
    spark: SparkSession | None = None,
    entities: list[str] | None = None,
    hour: str | None = None,
) -> dict[str, int]:
    """Curate every entity (or `entities`) for `ds` (one `hour` of it when given); return the curated row count
    per entity."""
    date.fromisoformat(ds)
    settings = settings or load_settings()
    spark = spark or build_spark(settings=settings)
    counts: dict[str, int] = {}
    for entity in entities or list(ENTITIES):
        curated = curate(read_raw(spark, settings, entity, ds, hour), entity, ds, hour)
        target = write_curated(curated, settings, entity)
        counts[entity] = spark.read.parquet(f"{target}/{partition_dir(ds, hour)}").count()
        log.info("%s: %d rows -> %s", entity, counts[entity], target)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: curate one logical date."""
    parser = argparse.ArgumentParser(description="Curate raw data for one date with Spark.")
    parser.add_argument("--ds", default=date.today().isoformat(), help="logical date YYYY-MM-DD (default: today)")
    parser.add_argument("--entity", action="append", choices=list(ENTITIES), help="only this entity (repeatable)")
    add_run_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # A caller that already runs a session (a test run, an in-process DAG run) keeps it: stop only our own.
    owns_session = SparkSession.getActiveSession() is None
    spark = build_spark()
    try:
        for entity, count in run(args.ds, spark=spark, entities=args.entity, hour=getattr(args, "hour", None)).items():
            print(f"{entity}: {count} curated rows")
    finally:
        if owns_session:
            spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
