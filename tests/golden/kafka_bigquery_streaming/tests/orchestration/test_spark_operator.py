"""The production Spark operator: importable without the Google provider, built and templated with it.

Its settings are Airflow Variables rendered when the task runs; here they are given as `AIRFLOW_VAR_<NAME>`
environment variables, which Airflow reads like any secrets backend.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from streaming_kafka_bigquery.orchestration.spark_operator import spark_operator, spark_properties
from streaming_kafka_bigquery.transform import submit

ARGS = ["--ds", "{{ params.ds or ds }}"]
TIMEOUT = timedelta(minutes=45)
VARIABLES = {
    "GCP_PROJECT": "example-project",
    "DATAPROC_REGION": "europe-west4",
    "DATAPROC_SERVICE_ACCOUNT": "spark@example-project.iam.gserviceaccount.com",
    "DATAPROC_SUBNETWORK": "projects/example-project/regions/europe-west4/subnetworks/spark",
    "SPARK_JOB_URI": "gs://artifacts/jobs/entrypoint.py",
    "CURATED_BUCKET": "curated-bucket",
}


def context() -> dict:
    """What Airflow gives the operator when it renders its templates at run time."""
    from airflow.sdk.execution_time.context import VariableAccessor

    return {
        "params": {"ds": None},
        "ds": "2024-01-02",
        "dag_run": SimpleNamespace(run_after=datetime(2024, 1, 3, 2, 0, 5)),
        "ti": SimpleNamespace(try_number=2),
        "var": {"value": VariableAccessor(deserialize_json=False)},
    }


def test_the_module_imports_without_provider_packages():
    assert callable(spark_operator)


@pytest.fixture
def operator(monkeypatch):
    for name, value in VARIABLES.items():
        monkeypatch.setenv(f"AIRFLOW_VAR_{name}", value)
    monkeypatch.delenv("AIRFLOW_VAR_SPARK_PY_FILES_URI", raising=False)
    # A value in the parsing process's plain environment must not reach the job: only Variables do.
    monkeypatch.setenv("GCP_PROJECT", "from-the-parse-environment")
    built = spark_operator("spark_transform", "transform.job", ARGS, TIMEOUT)
    assert "example-project" not in repr(built.batch), "a setting was read when the DAG was parsed"
    return built


@pytest.mark.prod
def test_the_operator_submits_the_step_module_as_a_dataproc_batch(operator):
    assert {"project_id", "region", "batch", "batch_id"} <= set(operator.template_fields)
    operator.render_template_fields(context())
    assert operator.task_id == "spark_transform"
    assert operator.execution_timeout == TIMEOUT
    assert (operator.project_id, operator.region) == ("example-project", "europe-west4")
    pyspark = operator.batch["pyspark_batch"]
    assert pyspark["main_python_file_uri"] == "gs://artifacts/jobs/entrypoint.py"
    # The project zip beside the entry point, where `make package-spark` puts it.
    assert pyspark["python_file_uris"] == ["gs://artifacts/jobs/streaming_kafka_bigquery.zip"]
    assert pyspark["args"] == ["streaming_kafka_bigquery.transform.job", "--ds", "2024-01-02"]
    execution = operator.batch["environment_config"]["execution_config"]
    assert execution["service_account"] == "spark@example-project.iam.gserviceaccount.com"
    assert execution["subnetwork_uri"].endswith("/subnetworks/spark")
    properties = operator.batch["runtime_config"]["properties"]
    assert properties["spark.dataproc.driverEnv.DATAFORGE_ENV"] == "prod"
    assert properties["spark.executorEnv.CURATED_BUCKET"] == "curated-bucket"


@pytest.mark.prod
def test_the_region_falls_back_to_the_project_region(operator, monkeypatch):
    monkeypatch.delenv("AIRFLOW_VAR_DATAPROC_REGION")
    monkeypatch.setenv("AIRFLOW_VAR_GCP_REGION", "us-central1")
    operator.render_template_fields(context())
    assert operator.region == "us-central1"


@pytest.mark.prod
def test_the_batch_id_is_valid_and_new_for_every_try(operator):
    operator.render_template_fields(context())
    assert re.fullmatch(r"[a-z][a-z0-9-]{2,61}[a-z0-9]", operator.batch_id), operator.batch_id
    assert operator.batch_id.endswith("-20240103t020005-2")


def test_the_job_gets_its_settings_but_never_secret_values(monkeypatch):
    for name in submit.secret_settings():
        monkeypatch.setenv(name, "hunter2")
        monkeypatch.setenv(f"AIRFLOW_VAR_{name}", "hunter2")
    properties = spark_properties()
    assert properties["spark.dataproc.driverEnv.DATAFORGE_ENV"] == "prod"
    assert "var.value.get('CURATED_BUCKET'" in properties["spark.executorEnv.CURATED_BUCKET"]
    assert "hunter2" not in repr(properties)
    assert not {key.rsplit(".", 1)[-1] for key in properties} & set(submit.secret_settings())
    assert properties.get("spark.jars.packages", "") == submit.spark_packages()
