"""The production data path against an S3 API: land, quality gate and load read and write `s3://` URIs.

moto's server runs in this process on a loopback port and stands in for Amazon S3. boto3 (`object_store.upload`),
s3fs (the gate's fsspec filesystem) and pyarrow (the load step's reader) all reach it through
`AWS_ENDPOINT_URL_S3`, the AWS SDKs' standard variable, so the code under test is the production code, unchanged,
with DATAFORGE_ENV=prod settings. The data is the project's sample data, typed like the Spark job's curated output
and laid out as Spark writes it (several part files per partition, a `_SUCCESS` marker).
What moto cannot prove (IAM policies, KMS encryption, the real endpoints) needs a run in AWS.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nightly_postgres_snowflake import extract, sample_data
from nightly_postgres_snowflake import load as load_step
from nightly_postgres_snowflake.config import load_settings
from nightly_postgres_snowflake.quality import gate
from nightly_postgres_snowflake.schema import ENTITIES, Entity
from nightly_postgres_snowflake.transform import io as spark_io

pytestmark = pytest.mark.prod

DS = "2024-01-01"
DIMENSION, FACT = list(ENTITIES)
RAW_BUCKET = "moto-test-raw"
CURATED_BUCKET = "moto-test-curated"
CORRUPTED_BUCKET = "moto-test-corrupted"
CHUNK_ROWS = 300  # the sample fact has 1000 rows: the gate must read it in several chunks
SUITES_DIR = Path(__file__).resolve().parents[2] / "quality" / "expectations"
# Fake credentials that only moto accepts: never sent to AWS, they grant nothing.
MOTO_TEST_IDENTITY = "moto-test-identity"
MOTO_TEST_ENV = {
    "AWS_ACCESS_KEY_ID": MOTO_TEST_IDENTITY,
    "AWS_SECRET_ACCESS_KEY": MOTO_TEST_IDENTITY,
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
}
# What on a developer's machine could send these requests to real AWS or to another endpoint.
AWS_CALLER_ENV = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3(tmp_path_factory) -> Iterator[Any]:
    """An S3 API on a loopback port holding the test buckets; every AWS client of this module points at it.
    Returns a boto3 S3 client."""
    import boto3
    import s3fs
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    no_file = tmp_path_factory.mktemp("aws") / "absent"  # no shared AWS config or credentials file is read
    with pytest.MonkeyPatch.context() as env:
        for name in AWS_CALLER_ENV:
            env.delenv(name, raising=False)
        for name, value in MOTO_TEST_ENV.items():
            env.setenv(name, value)
        env.setenv("AWS_CONFIG_FILE", str(no_file))
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(no_file))
        env.setenv("AWS_ENDPOINT_URL_S3", f"http://127.0.0.1:{port}")
        s3fs.S3FileSystem.clear_instance_cache()  # a cached filesystem would keep another endpoint
        client = boto3.client("s3")
        for bucket in (RAW_BUCKET, CURATED_BUCKET, CORRUPTED_BUCKET):
            client.create_bucket(Bucket=bucket)
        yield client
        s3fs.S3FileSystem.clear_instance_cache()
    server.stop()


@pytest.fixture(scope="module")
def sample() -> dict[str, pa.Table]:
    """The sample data the extract step generates locally, typed like the Spark job's curated output."""
    counts = {name: sample_data.default_rows(name) for name in ENTITIES}
    return {
        name: curated_table(entity, sample_data.generate(name, counts[name], ref_rows=counts))
        for name, entity in ENTITIES.items()
    }


def curated_table(entity: Entity, rows: list[dict]) -> pa.Table:
    """Rows with the curated types of `schema.py` (decimals rounded to cents, as the Spark job casts them)."""
    data = {}
    for column in entity.columns:
        values = [row[column.name] for row in rows]
        if column.type == "decimal":
            values = [None if v is None else Decimal(str(v)).quantize(Decimal("0.01")) for v in values]
        data[column.name] = values
    return pa.table(data, schema=load_step.arrow_schema(entity))


def put_partition(root: str, entity: str, table: pa.Table, files: int = 3) -> str:
    """Write `table` below the curated root URI as Spark does: `<entity>/ingest_date=<DS>/part-*.parquet` and a
    `_SUCCESS` marker; returns the partition URI."""
    uri = f"{root}/{entity}/ingest_date={DS}"
    fs, folder = fsspec.core.url_to_fs(uri)
    if fs.exists(folder):
        fs.rm(folder, recursive=True)
    step = -(-table.num_rows // files)
    for number, start in enumerate(range(0, table.num_rows, step)):
        pq.write_table(table.slice(start, step), f"{folder}/part-{number:05d}.snappy.parquet", filesystem=fs)
    fs.touch(f"{folder.rsplit('/', 1)[0]}/_SUCCESS")
    fs.invalidate_cache()  # the gate's filesystem is this cached instance: list the bucket afresh
    return uri


def curated_root(bucket: str) -> str:
    return load_settings({"DATAFORGE_ENV": "prod", "CURATED_BUCKET": bucket}).curated_root


@pytest.fixture(scope="module")
def curated_in_s3(s3, sample) -> str:
    """The sample curated partitions in the curated bucket, where the prod settings point; returns the root."""
    root = curated_root(CURATED_BUCKET)
    assert root.startswith(f"s3://{CURATED_BUCKET}/")
    for name, table in sample.items():
        put_partition(root, name, table)
    return root


@pytest.fixture
def prod_env(s3, monkeypatch, tmp_path) -> Path:
    """DATAFORGE_ENV=prod with the test buckets. DATA_DIR (local state only) is an empty folder, so nothing can
    come from a local copy. Returns that folder."""
    monkeypatch.setenv("DATAFORGE_ENV", "prod")
    monkeypatch.setenv("RAW_BUCKET", RAW_BUCKET)
    monkeypatch.setenv("CURATED_BUCKET", CURATED_BUCKET)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("QUALITY_CHUNK_ROWS", str(CHUNK_ROWS))
    return tmp_path / "state"


def required_column(entity: str) -> str:
    spec = ENTITIES[entity]
    return next(c.name for c in spec.columns if not c.nullable and c.name != spec.primary_key)


# --- land: object_store.upload ------------------------------------------------------------------------------------


def test_upload_lands_raw_files_where_the_spark_job_reads_them(s3, prod_env, tmp_path):
    local = load_settings({"DATAFORGE_ENV": "local", "DATA_DIR": str(tmp_path / "local")})
    files = {name: str(path) for name, path in extract.sample_files(local, DS).items()}
    settings = load_settings()
    landed = extract.land_raw(files, DS, settings)
    for name, path in files.items():
        key = f"raw/{extract.raw_key(name, DS)}"
        assert landed[name] == f"s3://{RAW_BUCKET}/{key}"
        assert landed[name].startswith(spark_io.raw_path(settings, name, DS) + "/")  # the folder Spark reads
        assert s3.get_object(Bucket=RAW_BUCKET, Key=key)["Body"].read() == Path(path).read_bytes()


# --- quality gate: fsspec (s3fs), chunk by chunk ------------------------------------------------------------------


def test_quality_gate_passes_on_the_curated_bucket_chunk_by_chunk(curated_in_s3, sample, prod_env, capsys):
    gate.run_quality_gate(DS, suites_dir=SUITES_DIR)  # the curated root comes from the prod settings
    out = capsys.readouterr().out
    rows = sample[FACT].num_rows
    chunks = -(-rows // CHUNK_ROWS)
    assert chunks > 1
    assert f"PASSED {FACT} ({curated_in_s3}/{FACT}/ingest_date={DS}, {rows} rows in {chunks} chunks)" in out
    assert f"on {curated_in_s3}: {len(ENTITIES)} of {len(ENTITIES)} datasets passed" in out


def test_quality_gate_fails_on_a_corrupted_copy_naming_the_column(sample, prod_env, monkeypatch, capsys):
    root = curated_root(CORRUPTED_BUCKET)
    column = required_column(FACT)
    table = sample[FACT]
    values = table[column].to_pylist()
    values[-1] = None  # in the last row: several chunks past the first
    corrupted = table.set_column(table.schema.get_field_index(column), column, pa.array(values, table[column].type))
    put_partition(root, DIMENSION, sample[DIMENSION])
    partition = put_partition(root, FACT, corrupted)
    monkeypatch.setenv("CURATED_BUCKET", CORRUPTED_BUCKET)

    assert gate.main(["--ds", DS, "--suites", str(SUITES_DIR)]) == 1
    out = capsys.readouterr().out
    assert f"FAILED {FACT} ({partition}, " in out
    assert f"{column}: expect_column_values_to_not_be_null" in out
    assert f"PASSED {DIMENSION}" in out
    assert out.rstrip().endswith(f"failed: {FACT}")


# --- load: pyarrow reads s3://, dlt merges -----------------------------------------------------------------------


def warehouse_rows(path: Path) -> dict[str, tuple[int, int]]:
    """{entity: (rows, distinct primary keys)} of the loaded tables."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            name: con.execute(f"select count(*), count(distinct {spec.primary_key}) from curated.{name}").fetchone()
            for name, spec in ENTITIES.items()
        }


def test_load_reads_the_curated_bucket_and_merges_idempotently(curated_in_s3, sample, prod_env, monkeypatch):
    # The production load with only the warehouse swapped for a local DuckDB file, reached the way the real
    # warehouse is: through the connection URI in the environment.
    warehouse = prod_env.parent / "warehouse.duckdb"
    monkeypatch.setattr(load_step, "DESTINATION", "duckdb")
    monkeypatch.setenv(load_step.connection_variable(), f"duckdb:///{warehouse}")
    monkeypatch.delenv("DBT_SOURCE_SCHEMA", raising=False)
    assert load_step.partition_path(load_settings(), FACT, DS) == f"{curated_in_s3}/{FACT}/ingest_date={DS}"
    expected = {name: table.num_rows for name, table in sample.items()}

    assert load_step.load(DS) == expected
    first = warehouse_rows(warehouse)
    assert first == {name: (rows, rows) for name, rows in expected.items()}
    assert load_step.load(DS) == expected  # a rerun of the same date
    assert warehouse_rows(warehouse) == first  # merged on the key: no duplicates


def test_load_of_a_date_missing_from_the_bucket_names_the_step_to_run(curated_in_s3, prod_env):
    with pytest.raises(load_step.LoadError, match="spark_transform"):
        load_step.load("2023-12-31")
