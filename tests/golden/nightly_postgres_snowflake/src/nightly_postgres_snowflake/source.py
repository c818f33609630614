"""The source, PostgreSQL, read by the Spark job over JDBC.

Every source reader provides the same names (`extract.py` and `transform/io.py` use nothing else):

- `extract_source(settings, ds)`: production extraction into the landing folder; None here, because Spark
  reads the tables straight from PostgreSQL.
- `read_source(spark, settings, entity, ds)`: how production Spark reads one entity.
- `SPARK_PACKAGES`: Maven coordinates the Spark platform must add (`spark.jars.packages`).

Connection settings come from `SOURCE_JDBC_*` environment variables only (see `.env.example`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
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

    Set `SOURCE_JDBC_QUERY_<ENTITY>` to read a query instead of the whole table, e.g. one day's changes:
    `{ds}` in the query is replaced by the ingest date (`... WHERE updated_at >= '{ds}'`).
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


def extract_source(settings: Settings, ds: str) -> dict[str, Path] | None:
    """Nothing to download: the Spark job reads PostgreSQL over JDBC (`read_source`)."""
    return None


def read_source(spark: SparkSession, settings: Settings, entity: str, ds: str) -> DataFrame:
    """Production: read the table (or `SOURCE_JDBC_QUERY_<ENTITY>`) straight from PostgreSQL."""
    return spark.read.format("jdbc").options(**jdbc_options(entity, ds)).load()
