"""Shared test setup: keep every tool local, quiet and inside temporary folders."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DATAFORGE_ENV", "local")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")


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
