"""The production DAG: the same graph as locally, with the cloud's operator for Spark steps (needs `make test-prod`).

Parsed by a real DagBag with DATAFORGE_ENV=prod and the provider packages of the `prod` group installed. Every
setting `.env.example` declares is given twice: as an Airflow Variable (`AIRFLOW_VAR_<NAME>`, how Airflow reads
Variables from the environment; a deployment keeps them in its secrets backend) and, with another value, as a plain
environment variable of the parsing process. Operators must render the Variable: a setting read when the DAG file
is parsed would not follow the secrets backend, and would freeze the value at parse time.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.prod

ROOT = Path(__file__).resolve().parents[2]
DAG_ID = "nightly_postgres_snowflake_pipeline"
# the pattern's run order
ORDER = [
    "extract",
    "land_raw",
    "spark_transform",
    "quality_gate",
    "load_warehouse",
    "dbt_build",
]
# What Airflow gives a task when it renders its templates (the fields operators use for ids and dates).
CONTEXT = {
    "params": {"ds": None},
    "ds": "2024-01-02",
    "ds_nodash": "20240102",
    "run_id": "scheduled__2024-01-02T00:00:00+00:00",
    "dag_run": SimpleNamespace(run_id="scheduled__2024-01-02", run_after=datetime(2024, 1, 3, 2, 0, 5)),
    "ti": SimpleNamespace(try_number=1, task_id="task", dag_id=DAG_ID),
}
SPARK_STEPS = ["spark_transform"]
DECLARED = re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE)


def placeholder(name: str, origin: str) -> str:
    return f"{origin}-{name.lower().replace('_', '-')}"


@pytest.fixture(scope="module")
def prod_dag():
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk.execution_time.context import VariableAccessor

    with pytest.MonkeyPatch.context() as patch:
        for name in DECLARED:
            patch.setenv(name, placeholder(name, "parse-environment"))
            patch.setenv(f"AIRFLOW_VAR_{name}", placeholder(name, "variable"))
        patch.setenv("DATAFORGE_ENV", "prod")
        bag = DagBag(dag_folder=str(ROOT / "dags"))
        assert bag.import_errors == {}
        CONTEXT["var"] = {"value": VariableAccessor(deserialize_json=False)}
        yield bag.dags[DAG_ID]


def test_production_and_local_dags_have_one_shape(prod_dag):
    assert prod_dag.task_ids == ORDER or set(prod_dag.task_ids) == set(ORDER)
    for upstream, downstream in itertools.pairwise(ORDER):
        assert downstream in prod_dag.get_task(upstream).downstream_task_ids


def test_spark_steps_use_the_cloud_operator_with_templated_arguments(prod_dag):
    assert SPARK_STEPS, "the pattern has a Spark step"
    for task_id in SPARK_STEPS:
        operator = prod_dag.get_task(task_id)
        providers = [c for c in type(operator).__mro__ if c.__module__.startswith("airflow.providers.")]
        assert providers, f"{task_id} is not a provider operator: {type(operator)}"
        operator.render_template_fields(CONTEXT)
        rendered = repr([getattr(operator, field) for field in operator.template_fields])
        assert "2024-01-02" in rendered, rendered
        assert "{{" not in rendered, rendered
        assert "variable-" in rendered, "the operator renders its settings from the deployment's Variables"
        assert "parse-environment-" not in rendered, "a setting was read when the DAG file was parsed"


def test_python_steps_run_the_same_modules_as_locally(prod_dag):
    for task_id in set(ORDER) - set(SPARK_STEPS):
        operator = prod_dag.get_task(task_id)
        assert type(operator).__name__ == "_PythonDecoratedOperator", (task_id, type(operator))
