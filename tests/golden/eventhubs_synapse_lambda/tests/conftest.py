"""Shared test setup: keep every tool local, quiet and inside temporary folders."""

from __future__ import annotations

import logging
import os
import sys

import pytest

os.environ.setdefault("DATAFORGE_ENV", "local")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
logging.getLogger("py4j").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def spark():
    """The one local SparkSession of the test run, shared by Spark and Airflow tests (Spark starts slowly).

    A small session (`local[2]`, 2 shuffle partitions, no UI, UTC); jobs reuse it through getOrCreate.
    """
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture
def local_env(tmp_path, monkeypatch):
    """A local run rooted at a temporary DATA_DIR; returns that folder."""
    monkeypatch.setenv("DATAFORGE_ENV", "local")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def pytest_sessionfinish(session, exitstatus):
    """Stop the shared Spark JVM (if a test started one) before Python shuts down."""
    import sys

    if "pyspark" in sys.modules:
        from pyspark import SparkContext

        if SparkContext._active_spark_context is not None:
            SparkContext._active_spark_context.stop()


@pytest.fixture
def airflow_secrets(monkeypatch):
    """Configure Airflow's secrets backend as a deployment does, from `AIRFLOW__SECRETS__*` options; returns a
    function taking those options. Airflow builds its backends once per process: the cache is dropped around."""

    def forget_backends() -> None:
        from airflow.sdk import configuration

        clear = getattr(configuration, "clear_secrets_backends_cache", None)
        if clear is not None:
            clear()

    def configure(options: dict[str, str]) -> None:
        for name, value in options.items():
            monkeypatch.setenv(name, value)
        forget_backends()

    yield configure
    monkeypatch.undo()
    forget_backends()


@pytest.fixture
def as_airflow_task(monkeypatch):
    """Code under test sees an Airflow task context (`get_current_context` answers), as inside a running task."""
    import airflow.sdk

    monkeypatch.setattr(airflow.sdk, "get_current_context", lambda: {"params": {}})
