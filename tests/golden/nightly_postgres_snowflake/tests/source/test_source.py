from datetime import datetime

import pytest

from nightly_postgres_snowflake import source
from nightly_postgres_snowflake.config import Settings
from nightly_postgres_snowflake.schema import ENTITIES

DS = "2024-01-01"
ENTITY = next(iter(ENTITIES))
ENV = {"SOURCE_JDBC_HOST": "db.internal", "SOURCE_JDBC_DATABASE": "shop", "SOURCE_JDBC_USER": "reader"}


def test_jdbc_url_fills_the_template():
    url = source.jdbc_url(ENV)
    assert url.startswith("jdbc:")
    assert "db.internal" in url
    assert "shop" in url
    if source.DEFAULT_PORT:
        assert source.DEFAULT_PORT in url
    assert "6543" in source.jdbc_url({**ENV, "SOURCE_JDBC_PORT": "6543"})


def test_jdbc_url_needs_host_and_database():
    with pytest.raises(KeyError, match="SOURCE_JDBC_HOST"):
        source.jdbc_url({})


def test_jdbc_options_read_a_partitioned_table():
    options = source.jdbc_options(ENTITY, DS, {**ENV, "SOURCE_JDBC_SCHEMA": "sales"})
    assert options["dbtable"] == f"sales.{ENTITY}"
    assert options["driver"] == source.DRIVER
    assert options["user"] == "reader"
    assert options["partitionColumn"] == ENTITIES[ENTITY].primary_key
    assert "query" not in options


def test_jdbc_options_read_a_query_for_the_day():
    query = f"SELECT * FROM {ENTITY} WHERE updated_at >= '{{ds}}'"
    options = source.jdbc_options(ENTITY, DS, {**ENV, f"SOURCE_JDBC_QUERY_{ENTITY.upper()}": query})
    assert options["query"] == f"SELECT * FROM {ENTITY} WHERE updated_at >= '{DS}'"
    assert "dbtable" not in options
    assert "partitionColumn" not in options


def test_the_driver_jar_is_declared_for_the_platform():
    assert source.DRIVER
    assert all(package.count(":") == 2 for package in source.SPARK_PACKAGES)


def test_prod_extract_leaves_the_reading_to_spark(tmp_path):
    assert source.extract_source(Settings(env="prod", data_dir=tmp_path), DS) is None


# -- the window an incremental run reads ------------------------------------------------------------------------

FACT = next(name for name, spec in ENTITIES.items() if spec.role == "fact")
# Change times around the window of DS: the day before, its first instant, its last second, the next day.
CHANGES = ["2023-12-31 23:59:59", "2024-01-01 00:00:00", "2024-01-01 23:59:59", "2024-01-02 00:00:00"]


def test_the_window_of_a_run_is_its_ingest_date_half_open():
    assert source.read_window(DS) == (datetime(2024, 1, 1), datetime(2024, 1, 2))
    with pytest.raises(ValueError, match="month"):
        source.read_window("2024-13-01")


def test_a_fact_is_windowed_on_its_change_column():
    column = source.window_column(FACT)
    assert column in ("updated_at", ENTITIES[FACT].event_time)
    assert column in ENTITIES[FACT].column_names


def test_a_dimension_without_updated_at_is_read_whole():
    for name, spec in ENTITIES.items():
        if spec.role == "dimension" and "updated_at" not in spec.column_names:
            assert source.window_column(name) is None
            assert source.window_predicate(name, DS) is None


def test_the_window_predicate_selects_the_day_in_duckdb(monkeypatch):
    """The predicate Spark pushes down, run as SQL on rows either side of the window's bounds."""
    import duckdb

    monkeypatch.setattr(source, "LOAD_MODE", "incremental")
    column = source.window_column(FACT)
    predicate = source.window_predicate(FACT, DS)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {FACT} ({column} TIMESTAMP)")
    con.executemany(f"INSERT INTO {FACT} VALUES (?)", [(c,) for c in CHANGES])
    rows = con.execute(f"SELECT CAST({column} AS VARCHAR) FROM {FACT} WHERE {predicate} ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == CHANGES[1:3]
    # a re-run of the same interval reads the same rows
    assert con.execute(f"SELECT count(*) FROM {FACT} WHERE {predicate}").fetchone() == (2,)


def test_a_full_refresh_reads_the_whole_table(monkeypatch):
    monkeypatch.setattr(source, "LOAD_MODE", "full_refresh")
    assert all(source.window_predicate(name, DS) is None for name in ENTITIES)


def test_the_load_mode_is_the_plans():
    assert source.LOAD_MODE == "incremental"
    assert source.PARTITION_GRAIN == "day"


@pytest.mark.slow
def test_spark_filters_a_frame_to_the_window(spark, monkeypatch):
    """Spark parses the predicate (what production pushes down to the database) and keeps the window's rows."""
    monkeypatch.setattr(source, "LOAD_MODE", "incremental")
    column = source.window_column(FACT)
    # built from text in the session's time zone, as the predicate's literals are read
    frame = spark.createDataFrame([(c,) for c in CHANGES], ["changed"]).selectExpr(
        f"CAST(changed AS TIMESTAMP) AS {column}"
    )
    kept = source.in_window(frame, FACT, DS).selectExpr(f"CAST({column} AS STRING) AS changed").collect()
    assert sorted(row.changed for row in kept) == CHANGES[1:3]
