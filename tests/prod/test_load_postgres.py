"""The production path against a real warehouse: a generated project's load step and dbt on PostgreSQL 15.

A project whose warehouse is PostgreSQL is generated; its curated sample (the sample data typed like the
Spark job's output) is loaded by the project's own `load.py` with DATAFORGE_ENV=prod, so dlt uses the
`postgres` destination with the credentials of the AIRFLOW_CONN_<PROJECT>_WAREHOUSE URI; then
`dbt build --target prod` runs the project's models on the loaded tables with dbt-postgres. The server is a
throwaway cluster (tests/prod/postgres.py). The environment holds only what the project declares for this
path: its `load` group and the dbt and dlt requirements of its `prod` group.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.prod.postgres import Server, throwaway_postgres

from dataforge.commands.new import generate

pytestmark = pytest.mark.e2e

REQUIREMENT = "nightly Postgres into Postgres warehouse"
NAME = "nightly_pg_warehouse"
DS = "2024-01-01"
DATABASE = "warehouse"
PROD_PACKAGES = ("dbt-core", "dbt-postgres", "dlt")

# Curated partitions as the Spark job writes them, from the project's sample data and schema.
WRITE_CURATED = """
import json, sys
from decimal import Decimal
from pathlib import Path
import pyarrow as pa, pyarrow.parquet as pq
from {pkg}.load import arrow_schema
from {pkg}.sample_data import generate
from {pkg}.schema import ENTITIES
root, ds, counts = Path(sys.argv[1]), sys.argv[2], {{}}
for name, entity in ENTITIES.items():
    rows = generate(name)
    data = {{c.name: [r[c.name] for r in rows] for c in entity.columns}}
    for c in entity.columns:
        if c.type == "decimal":
            data[c.name] = [None if v is None else Decimal(str(v)).quantize(Decimal("0.01")) for v in data[c.name]]
    folder = root / name / f"ingest_date={{ds}}"
    folder.mkdir(parents=True)
    pq.write_table(pa.table(data, schema=arrow_schema(entity)), folder / "part-00000.snappy.parquet")
    counts[name] = {{"rows": len(rows), "key": entity.primary_key, "role": entity.role}}
print(json.dumps(counts))
"""
# The project's own load step; only where the curated bucket is changes (a local folder instead of s3://).
RUN_LOAD = """
import sys
from {pkg} import load as step
step.partition_path = lambda settings, entity, ds, hour=None: f"{{sys.argv[1]}}/{{entity}}/ingest_date={{ds}}"
raise SystemExit(step.main(sys.argv[2:]))
"""
CREATE_DATABASE = """
import os, sys
import psycopg2
con = psycopg2.connect(os.environ["TEST_DSN"])
con.autocommit = True  # CREATE DATABASE cannot run inside a transaction
con.cursor().execute(f"create database {sys.argv[1]}")
con.close()
"""
QUERY = """
import json, os, sys
import psycopg2
with psycopg2.connect(os.environ["TEST_DSN"]) as con, con.cursor() as cur:
    out = []
    for sql in sys.argv[1:]:
        cur.execute(sql)
        out.append([list(row) for row in cur.fetchall()] if cur.description else None)
con.close()
print(json.dumps(out, default=str))
"""


def uv() -> str:
    found = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    assert Path(found).is_file(), "uv is needed to build the project's production environment"
    return found


def requirement_name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = generate(REQUIREMENT, output=tmp_path_factory.mktemp("prod"), name=NAME, git=False)
    assert result.answers.warehouse == "postgres"
    return result.path


@pytest.fixture(scope="module")
def python(project: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A virtual environment with the project's `load` group and the dbt/dlt part of its `prod` group."""
    groups = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"]
    prod = [r for r in groups["prod"] if requirement_name(r) in PROD_PACKAGES]
    assert any(r.startswith("dlt[postgres]") for r in prod), groups["prod"]
    venv = tmp_path_factory.mktemp("venv") / "prod"
    subprocess.run([uv(), "venv", "-q", str(venv)], check=True, capture_output=True)
    interpreter = str(venv / "bin" / "python")
    done = subprocess.run(
        [uv(), "pip", "install", "-q", "--python", interpreter, *groups["load"], *prod],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return interpreter


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with throwaway_postgres() as running:
        yield running


@pytest.fixture(scope="module")
def env(
    project: Path, server: Server, python: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The production environment of the project: prod settings, credentials only in variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "DBT_"))}
    values = {
        **base,
        "PYTHONPATH": str(project / "src"),
        "DATAFORGE_ENV": "prod",
        "DATA_DIR": str(tmp_path_factory.mktemp("scratch")),
        f"AIRFLOW_CONN_{NAME.upper()}_WAREHOUSE": server.uri(DATABASE),
        "POSTGRES_HOST": server.host,
        "POSTGRES_PORT": str(server.port),
        "POSTGRES_USER": server.user,
        "POSTGRES_PASSWORD": server.password,
        "POSTGRES_DATABASE": DATABASE,
        "DBT_SCHEMA": "analytics",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "TEST_DSN": server.uri(DATABASE),
    }
    created = run(python, ["-c", CREATE_DATABASE, DATABASE], {**values, "TEST_DSN": server.uri("postgres")})
    assert created.returncode == 0, created.stderr[-3000:]
    return values


def run(
    python: str, args: list[str], env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, *args], env=env, cwd=cwd, capture_output=True, text=True, check=False, timeout=600
    )


def sql(python: str, env: dict[str, str], *statements: str) -> list:
    done = run(python, ["-c", QUERY, *statements], env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def curated(project: Path, python: str, env: dict[str, str], tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("curated")
    done = run(python, ["-c", WRITE_CURATED.format(pkg=NAME), str(root), DS], env)
    assert done.returncode == 0, done.stderr[-3000:]
    return root, json.loads(done.stdout)


def load(python: str, env: dict[str, str], root: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    done = run(python, ["-c", RUN_LOAD.format(pkg=NAME), str(root), "--ds", DS], env)
    return done, time.monotonic() - start


def table_counts(python: str, env: dict[str, str], entities: dict) -> dict[str, int]:
    answers = sql(python, env, *(f"select count(*) from curated.{name}" for name in entities))
    return {name: rows[0][0] for name, rows in zip(entities, answers, strict=True)}


def test_load_merges_the_curated_sample_into_postgres_idempotently(python, env, curated):
    root, entities = curated
    done, seconds = load(python, env, root)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    expected = {name: spec["rows"] for name, spec in entities.items()}
    assert table_counts(python, env, entities) == expected
    for name, spec in entities.items():
        (columns, dates, keys) = sql(
            python, env,
            f"select column_name from information_schema.columns where table_schema = 'curated' "
            f"and table_name = '{name}'",
            f"select distinct ingest_date::text from curated.{name}",
            f"select count(distinct {spec['key']}) from curated.{name}",
        )  # fmt: skip
        assert "ingest_date" in {c[0] for c in columns}
        assert dates == [[DS]]
        assert keys == [[spec["rows"]]]
    again, _ = load(python, env, root)  # a rerun of the same day replaces, never appends
    assert again.returncode == 0, again.stderr[-4000:]
    assert table_counts(python, env, entities) == expected
    (loads,) = sql(python, env, "select count(*) from curated._dlt_loads where status = 0")
    assert loads == [[2]]
    print(f"load into PostgreSQL: {expected} in {seconds:.1f}s")


def test_dbt_builds_the_marts_on_the_loaded_tables(project, python, env, curated):
    root, entities = curated
    loaded, _ = load(python, env, root)
    assert loaded.returncode == 0, loaded.stderr[-4000:]
    done = run(python, ["-m", f"{NAME}.dbt_build", "--ds", DS, "--target", "prod"], env, cwd=project)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    dimension = next(n for n, spec in entities.items() if spec["role"] == "dimension")
    fact = next(n for n, spec in entities.items() if spec["role"] == "fact")
    (dims, facts) = sql(
        python,
        env,
        f"select count(*) from analytics.dim_{dimension}",
        f"select count(*) from analytics.fct_{fact}",
    )
    assert dims == [[entities[dimension]["rows"]]]
    assert facts == [[entities[fact]["rows"]]]
