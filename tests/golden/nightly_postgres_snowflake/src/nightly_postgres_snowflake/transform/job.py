"""Spark batch job: raw -> curated for one logical date.

    python -m nightly_postgres_snowflake.transform.job --ds 2024-01-01

Runs on `local[*]` by default (`SPARK_MASTER` overrides it); in production the platform provides the master.
"""

from __future__ import annotations

import argparse
import logging
from datetime import date

from pyspark.sql import SparkSession

from ..config import Settings, load_settings
from ..schema import ENTITIES
from .functions import curate
from .io import read_raw, write_curated
from .session import build_spark

log = logging.getLogger(__name__)


def run(
    ds: str, settings: Settings | None = None, spark: SparkSession | None = None, entities: list[str] | None = None
) -> dict[str, int]:
    """Curate every entity (or `entities`) for `ds`; return the curated row count per entity."""
    date.fromisoformat(ds)
    settings = settings or load_settings()
    spark = spark or build_spark(settings=settings)
    counts: dict[str, int] = {}
    for entity in entities or list(ENTITIES):
        target = write_curated(curate(read_raw(spark, settings, entity, ds), entity, ds), settings, entity)
        counts[entity] = spark.read.parquet(f"{target}/ingest_date={ds}").count()
        log.info("%s: %d rows -> %s", entity, counts[entity], target)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: curate one logical date."""
    parser = argparse.ArgumentParser(description="Curate raw data for one date with Spark.")
    parser.add_argument("--ds", default=date.today().isoformat(), help="logical date YYYY-MM-DD (default: today)")
    parser.add_argument("--entity", action="append", choices=list(ENTITIES), help="only this entity (repeatable)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # A caller that already runs a session (a test run, an in-process DAG run) keeps it: stop only our own.
    owns_session = SparkSession.getActiveSession() is None
    spark = build_spark()
    try:
        for entity, count in run(args.ds, spark=spark, entities=args.entity).items():
            print(f"{entity}: {count} curated rows")
    finally:
        if owns_session:
            spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
