"""The source, PostgreSQL, read by the Spark job over JDBC.

Every source reader provides the same names (`extract.py` and `transform/io.py` use nothing else):

- `extract_source(settings, ds)`: production extraction into the landing folder; None here, because Spark
  reads the tables straight from PostgreSQL.
- `read_source(spark, settings, entity, ds)`: how production Spark reads one entity. With `LOAD_MODE`
  "incremental" it reads only the rows changed in the run's window (`read_window`): the ingest date `ds`, which
  the Airflow DAG sets to the start of the run's data interval, so the nightly run reads the day before it.
- `SPARK_PACKAGES`: Maven coordinates the Spark platform must add (`spark.jars.packages`).

Connection settings come from `SOURCE_JDBC_*` environment variables only (see `.env.example`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .schema import ENTITIES

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

DRIVER = "org.postgresql.Driver"
URL_TEMPLATE = "jdbc:postgresql://{host}:{port}/{database}"
DEFAULT_PORT = "5432"
SPARK_PACKAGES: tuple[str, ...] = ("org.postgresql:postgresql:42.7.4",)
# "incremental": each run reads the rows changed in its window; "full_refresh": whole tables (the plan says why).
LOAD_MODE = "incremental"
# Rows are curated into one partition per ingest date; the window is that day. A schedule that runs more often
# ("hour" grain) curates one partition per hour: each run reads that hour's window (`--hour`).
PARTITION_GRAIN = "day"
CHANGE_COLUMN = "updated_at"


def window_column(entity: str) -> str | None:
    """The column that dates a row's last change: `updated_at` when the entity has one, else a fact's event time.

    None for a dimension without `updated_at`: its event time is when the row was created, so a window would miss
    later changes; such a table is read whole (it is merged on its key, so that stays correct).
    """
    spec = ENTITIES[entity]
    if CHANGE_COLUMN in spec.column_names:
        return CHANGE_COLUMN
    return spec.event_time if spec.role == "fact" else None


def read_window(ds: str, hour: str | None = None) -> tuple[datetime, datetime]:
    """The half-open window [start, end) a run for ingest date `ds` reads: that day, midnight to midnight (UTC),
    or that `hour` of it."""
    if hour is None:
        start = datetime.combine(date.fromisoformat(ds), time())
        return start, start + timedelta(days=1)
    start = datetime.combine(date.fromisoformat(ds), time(int(hour)))
    return start, start + timedelta(hours=1)


def window_predicate(entity: str, ds: str, hour: str | None = None) -> str | None:
    """The filter (Spark SQL, pushed down to the database by Spark's JDBC dialect) of one incremental read.

    None when the whole table is read: a full refresh, or an entity with no column that dates its changes.
    """
    column = window_column(entity)
    if LOAD_MODE != "incremental" or column is None:
        return None
    start, end = (f"TIMESTAMP '{bound:%Y-%m-%d %H:%M:%S}'" for bound in read_window(ds, hour))
    return f"{column} >= {start} AND {column} < {end}"


def jdbc_url(environ: Mapping[str, str] | None = None) -> str:
    """JDBC URL of PostgreSQL from `SOURCE_JDBC_HOST`, `SOURCE_JDBC_PORT`, `SOURCE_JDBC_DATABASE`."""
    env = os.environ if environ is None else environ
    return URL_TEMPLATE.format(
        host=env["SOURCE_JDBC_HOST"],
        port=env.get("SOURCE_JDBC_PORT") or DEFAULT_PORT,
        database=env["SOURCE_JDBC_DATABASE"],
    )


def jdbc_options(entity: str, ds: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Options of `spark.read.format("jdbc")` for one table; credentials come from the environment only.

    Set `SOURCE_JDBC_QUERY_<ENTITY>` to read a query instead of the table; `{ds}` in the query is replaced by the
    ingest date (`... WHERE updated_at >= '{ds}'`), and the query replaces the window (`window_predicate`).
    """
    env = os.environ if environ is None else environ
    schema = env.get("SOURCE_JDBC_SCHEMA", "")
    options = {
        "url": jdbc_url(env),
        "driver": DRIVER,
        "user": env.get("SOURCE_JDBC_USER", ""),
        "password": env.get("SOURCE_JDBC_PASSWORD", ""),
        "fetchsize": env.get("SOURCE_JDBC_FETCHSIZE") or "10000",
    }
    query = env.get(f"SOURCE_JDBC_QUERY_{entity.upper()}")
    if query:
        options["query"] = query.replace("{ds}", ds)
    else:
        options["dbtable"] = f"{schema}.{entity}" if schema else entity
        options.update(
            partitionColumn=ENTITIES[entity].primary_key,
            lowerBound="1",
            upperBound=env.get("SOURCE_JDBC_UPPER_BOUND") or "10000000",
            numPartitions=env.get("SOURCE_JDBC_PARTITIONS") or "8",
        )
    return options


def extract_source(settings: Settings, ds: str, hour: str | None = None) -> dict[str, Path] | None:
    """Nothing to download: the Spark job reads PostgreSQL over JDBC (`read_source`)."""
    return None


def in_window(frame: DataFrame, entity: str, ds: str, hour: str | None = None) -> DataFrame:
    """The rows of `frame` inside the run's window (all of them for a full refresh or an unwindowed table)."""
    predicate = window_predicate(entity, ds, hour)
    return frame if predicate is None else frame.where(predicate)


def read_source(spark: SparkSession, settings: Settings, entity: str, ds: str, hour: str | None = None) -> DataFrame:
    """Production: read the table's window (or `SOURCE_JDBC_QUERY_<ENTITY>`) straight from PostgreSQL."""
    options = jdbc_options(entity, ds)
    frame = spark.read.format("jdbc").options(**options).load()
    return frame if "query" in options else in_window(frame, entity, ds, hour)
