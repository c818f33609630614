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
