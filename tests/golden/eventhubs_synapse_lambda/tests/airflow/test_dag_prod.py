"""The production DAGs: the same graphs as locally, the cloud's operator deploys the job (needs `make test-prod`).

Parsed by a real DagBag with DATAFORGE_ENV=prod and the provider packages of the `prod` group installed. Every
setting `.env.example` declares is given twice: as an Airflow Variable (`AIRFLOW_VAR_<NAME>`) and, with another
value, as a plain environment variable of the parsing process. Operators must render the Variable: a setting read
when the DAG file is parsed would not follow the secrets backend, and would freeze the value at parse time.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.prod

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "nightly_eventhubs_synapse"
JOB = "stream_process"  # the streaming job's step, deployed by the stream DAG
# Spark steps after the job run in the models DAG as batch steps (the lambda batch layer's recompute)
MODEL_SPARK_STEPS = ["batch_recompute"]
# What Airflow gives a task when it renders its templates.
CONTEXT = {
    "params": {"ds": None},
    "ds": "2024-01-02",
    "run_id": "scheduled__2024-01-02T00:00:00+00:00",
    "dag_run": SimpleNamespace(run_id="scheduled__2024-01-02", run_after=datetime(2024, 1, 2, 2, 0, 5)),
    "ti": SimpleNamespace(try_number=1, task_id="task", dag_id=f"{PROJECT}_stream"),
}
DECLARED = re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE)


def placeholder(name: str, origin: str) -> str:
    return f"{origin}-{name.lower().replace('_', '-')}"


@pytest.fixture(scope="module")
def prod_bags(dag_bag):
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
        yield dag_bag, bag


def test_production_and_local_dags_have_one_shape(prod_bags):
    local, prod = prod_bags
    assert set(prod.dag_ids) == set(local.dag_ids)
    for dag_id, dag in local.dags.items():
        other = prod.dags[dag_id]
        assert set(other.task_ids) == set(dag.task_ids), dag_id
        for task in dag.tasks:
            assert other.get_task(task.task_id).downstream_task_ids == task.downstream_task_ids, task.task_id


def rendered_operator(prod, dag_id: str, task_id: str, context: dict) -> tuple[object, str]:
    """The production operator of a Spark step, its template fields rendered as Airflow renders them."""
    operator = copy.deepcopy(prod.dags[dag_id].get_task(task_id))  # rendering changes the operator
    providers = [c for c in type(operator).__mro__ if c.__module__.startswith("airflow.providers.")]
    assert providers, f"{task_id} is not a provider operator: {type(operator)}"
    operator.render_template_fields(context)
    rendered = repr([getattr(operator, field) for field in operator.template_fields])
    assert "{{" not in rendered, rendered
    assert "variable-" in rendered, "the operator renders its settings from the deployment's Variables"
    assert "parse-environment-" not in rendered, "a setting was read when the DAG file was parsed"
    return operator, rendered


def test_the_job_is_deployed_by_the_cloud_operator_with_templated_arguments(prod_bags):
    _, prod = prod_bags
    operator, rendered = rendered_operator(prod, f"{PROJECT}_stream", JOB, CONTEXT)
    assert operator.execution_timeout.days >= 1, "a deployment runs for days, not for a batch step's timeout"
    assert "2024-01-02" in rendered, rendered


def test_the_batch_layer_runs_on_the_cloud_operator_for_the_day_before_the_run(prod_bags):
    """The recompute is a batch step of the models DAG: a batch timeout, and the day before the run (or `ds`)."""
    from airflow.sdk.execution_time import macros

    _, prod = prod_bags
    context = {
        **CONTEXT,
        "macros": macros,
        "ti": SimpleNamespace(try_number=1, task_id="task", dag_id=f"{PROJECT}_models"),
    }
    for task_id in MODEL_SPARK_STEPS:
        operator, rendered = rendered_operator(prod, f"{PROJECT}_models", task_id, context)
        assert operator.execution_timeout.days < 1, operator.execution_timeout
        assert "2024-01-01" in rendered, rendered  # the run after 2024-01-02 02:00 recomputes 2024-01-01
        _, asked = rendered_operator(prod, f"{PROJECT}_models", task_id, {**context, "params": {"ds": "2023-12-24"}})
        assert "2023-12-24" in asked, asked


def test_the_watch_reads_its_limits_as_variables_when_it_runs(prod_bags):
    _, prod = prod_bags
    watch = prod.dags[f"{PROJECT}_stream_watch"]
    for task_id, name in (
        ("check_progress", "STREAM_MAX_LAG_MINUTES"),
        ("compact_closed_day", "STREAM_CLOSE_AFTER_MINUTES"),
    ):
        operator = watch.get_task(task_id)
        assert type(operator).__name__ == "_PythonDecoratedOperator", (task_id, type(operator))
        operator.render_template_fields(CONTEXT)
        assert list(operator.op_args) == [placeholder(name, "variable")], operator.op_args


def test_python_steps_run_the_same_modules_as_locally(prod_bags):
    _, prod = prod_bags
    for dag in prod.dags.values():
        for operator in dag.tasks:
            if operator.task_id not in [JOB, *MODEL_SPARK_STEPS]:
                assert type(operator).__name__ == "_PythonDecoratedOperator", (operator.task_id, type(operator))
