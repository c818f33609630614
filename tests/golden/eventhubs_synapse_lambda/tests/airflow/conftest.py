"""Airflow tests (every pattern orchestrates with Airflow) run against a throw-away AIRFLOW_HOME (SQLite), set
before Airflow is first imported."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

_HOME = Path(tempfile.mkdtemp(prefix="airflow-home-"))
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)  # leave no temporary Airflow home behind
os.environ["AIRFLOW_HOME"] = str(_HOME)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "True"
# Unit-test mode reads a bare cron string as data intervals; a deployment reads it as a trigger timetable.
# Keep the deployment's reading, so the tests see the timetable the DAG really asks for.
os.environ["AIRFLOW__SCHEDULER__CREATE_CRON_DATA_INTERVALS"] = "False"
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(Path(__file__).resolve().parents[2] / "dags"))

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"


@pytest.fixture(scope="session")
def dag_bag():
    """Every DAG under dags/, parsed the way the scheduler parses them."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


@pytest.fixture(scope="session")
def airflow_db():
    """A fresh metadata database in the temporary AIRFLOW_HOME."""
    from airflow.utils import db

    db.resetdb()
    return _HOME
