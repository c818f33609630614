"""What a platform run of the job gets: the zip beside the entry point, its settings, never a secret value."""

import pytest

from nightly_postgres_snowflake.source import SPARK_PACKAGES
from nightly_postgres_snowflake.transform import submit


def test_the_zip_is_found_beside_the_entry_point():
    env = {"SPARK_JOB_URI": "s3://artifacts/jobs/entrypoint.py"}
    assert submit.py_files_uri(env) == "s3://artifacts/jobs/nightly_postgres_snowflake.zip"
    assert submit.py_files_uri({**env, "SPARK_PY_FILES_URI": "s3://elsewhere/code.zip"}) == "s3://elsewhere/code.zip"
    assert submit.py_files_uri({}) == ""


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


def test_the_job_environment_holds_settings_that_are_set_and_no_secret():
    env = {name: f"value-{name}" for name in submit.JOB_SETTINGS} | {"UNRELATED": "x", "RAW_BUCKET": ""}
    job = submit.job_environment(env)
    assert job["DATAFORGE_ENV"] == "prod"
    assert "RAW_BUCKET" not in job
    assert "UNRELATED" not in job
    assert job["CURATED_BUCKET"] == "value-CURATED_BUCKET"
    assert not set(job) & set(submit.secret_settings())
    expected = [n for n in submit.JOB_SETTINGS if n != "RAW_BUCKET" and not submit.is_secret(n)]
    assert set(job) == {"DATAFORGE_ENV", *expected}


def test_the_connector_jars_come_from_the_source():
    assert submit.spark_packages() == ",".join(SPARK_PACKAGES)
