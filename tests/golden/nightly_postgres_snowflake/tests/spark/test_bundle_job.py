"""The batch job run from the Spark bundle by the real spark-submit, as a platform runs it."""

import os
import subprocess
import sys

import pytest

from nightly_postgres_snowflake import extract
from nightly_postgres_snowflake.schema import ENTITIES

DS = "2024-01-01"
ROWS = 12


@pytest.mark.slow
@pytest.mark.prod  # a second JVM (~15-30 s): part of `make test-prod`, which tests the production path
def test_spark_submit_runs_the_job_from_the_bundle(bundle, spark_submit, tmp_path, monkeypatch, spark):
    data = tmp_path / "data"
    monkeypatch.setenv("DATAFORGE_ENV", "local")
    monkeypatch.setenv("DATA_DIR", str(data))
    extract.run(DS, rows=ROWS)
    env = {
        **os.environ,
        "DATAFORGE_ENV": "local",
        "DATA_DIR": str(data),
        "SPARK_MASTER": "local[1]",
        "SPARK_SHUFFLE_PARTITIONS": "1",
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }
    env.pop("PYTHONPATH", None)  # the project's code must come from the zip, as on the platform
    command = [
        str(spark_submit),
        "--master",
        "local[1]",
        "--conf",
        "spark.ui.enabled=false",
        "--conf",
        "spark.driver.host=127.0.0.1",
        # A short job: skip adaptive planning and whole-stage codegen, and let the JVM start fast.
        "--conf",
        "spark.sql.adaptive.enabled=false",
        "--conf",
        "spark.sql.codegen.wholeStage=false",
        "--driver-java-options",
        "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        "--py-files",
        str(bundle.py_files),
        str(bundle.entrypoint),
        "nightly_postgres_snowflake.transform.job",
        "--ds",
        DS,
    ]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180, check=False)
    # spark-submit merges the Python driver's stderr into its stdout.
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    # The entry point says where the job module came from: the zip, not the source tree.
    assert f"{bundle.py_files.name}/nightly_postgres_snowflake/transform/job.py" in output, output[-4000:]
    for entity, spec in ENTITIES.items():
        assert f"{entity}: {ROWS} curated rows" in output
        partition = data / "curated" / entity / f"ingest_date={DS}"
        df = spark.read.parquet(str(partition))
        assert df.columns == spec.column_names
        assert df.count() == ROWS
