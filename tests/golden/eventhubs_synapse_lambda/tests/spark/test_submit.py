"""What a platform run of the job gets: the zip beside the entry point, its settings, never a secret value."""

import jinja2
import pytest

from nightly_eventhubs_synapse.source import SPARK_PACKAGES
from nightly_eventhubs_synapse.transform import submit


class Variables:
    """`var.value` of an Airflow template context, over a dict of Variables."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


def render(template: str, variables: dict[str, str]) -> str:
    """Render `template` as Airflow does at run time, with these Airflow Variables."""
    return (
        jinja2.Environment(undefined=jinja2.StrictUndefined)
        .from_string(template)
        .render(var={"value": Variables(variables)})
    )


def test_the_zip_is_found_beside_the_entry_point():
    job = {"SPARK_JOB_URI": "s3://artifacts/jobs/entrypoint.py"}
    assert render(submit.job_uri(), job) == "s3://artifacts/jobs/entrypoint.py"
    assert render(submit.py_files_uri(), job) == "s3://artifacts/jobs/nightly_eventhubs_synapse.zip"
    explicit = {**job, "SPARK_PY_FILES_URI": "s3://elsewhere/code.zip"}
    assert render(submit.py_files_uri(), explicit) == "s3://elsewhere/code.zip"
    assert render(submit.py_files_uri(), {}) == ""


def test_settings_are_read_when_the_task_runs_not_when_the_dag_is_parsed(monkeypatch):
    for name in submit.JOB_SETTINGS:
        monkeypatch.setenv(name, "parse-time-value")
    job = submit.job_environment()
    assert "parse-time-value" not in repr(job), "a setting was read from the parsing process"
    assert all("var.value" in value for name, value in job.items() if name != "DATAFORGE_ENV")


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("SOURCE_JDBC_PASSWORD", True),
        ("API_TOKEN", True),
        ("SFTP_KEY_FILE", True),
        ("SOURCE_CASSANDRA_KEYSPACE", False),
        ("SOURCE_JDBC_HOST", False),
    ],
)
def test_secrets_are_recognised_by_name(name, secret):
    assert submit.is_secret(name) is secret


def test_the_job_environment_holds_every_setting_and_no_secret():
    variables = {name: f"value-{name}" for name in submit.JOB_SETTINGS} | {"UNRELATED": "x", "RAW_BUCKET": ""}
    job = {name: render(value, variables) for name, value in submit.job_environment().items()}
    assert job["DATAFORGE_ENV"] == "prod"
    assert job["RAW_BUCKET"] == "", "an unset Variable is empty, which the job's settings read as unset"
    assert "UNRELATED" not in job
    assert job["CURATED_BUCKET"] == "value-CURATED_BUCKET"
    assert not set(job) & set(submit.secret_settings())
    assert not any(value.startswith("value-") and submit.is_secret(value[6:]) for value in job.values())
    expected = [n for n in submit.JOB_SETTINGS if not submit.is_secret(n)]
    assert set(job) == {"DATAFORGE_ENV", *expected}


def test_the_connector_jars_come_from_the_source():
    assert submit.spark_packages() == ",".join(SPARK_PACKAGES)
