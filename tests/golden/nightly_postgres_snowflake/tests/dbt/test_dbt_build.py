"""dbt on DuckDB over curated Parquet made from the sample data (no Spark): build, row counts, a failing key.

Each test writes curated files the way the Spark job does (`curated/<entity>/ingest_date=<ds>/part-*.parquet`,
typed from `schema.py`) into a temporary DATA_DIR and runs the real `dbt build --target local`.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nightly_postgres_snowflake.sample_data import generate
from nightly_postgres_snowflake.schema import ENTITIES, Entity, dimension, fact

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_DIR = PROJECT_ROOT / "dbt"
DS = "2024-01-01"
COPIER_MARKERS = ("[" * 2, "[" + "%", "[" + "#")  # copier's own delimiters must not be left over
ARROW_TYPES = {
    "integer": pa.int64(),
    "decimal": pa.decimal128(18, 2),
    "string": pa.string(),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
    "boolean": pa.bool_(),
}


def arrow_table(entity: Entity, rows: list[dict]) -> pa.Table:
    """Rows typed like the Spark job's output: the entity's columns in order, decimals as decimal(18,2)."""
    schema = pa.schema([pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable) for c in entity.columns])
    data = {}
    for column in entity.columns:
        values = [row[column.name] for row in rows]
        if column.type == "decimal":
            values = [None if v is None else Decimal(str(v)).quantize(Decimal("0.01")) for v in values]
        data[column.name] = values
    return pa.table(data, schema=schema)


def write_curated(data_dir: Path, ds: str, tables: dict[str, list[dict]]) -> None:
    """Write one curated partition per entity, like the Spark job (plus the marker files Spark leaves)."""
    for name, rows in tables.items():
        partition = data_dir / "curated" / name / f"ingest_date={ds}"
        partition.mkdir(parents=True, exist_ok=True)
        pq.write_table(arrow_table(ENTITIES[name], rows), partition / "part-00000.snappy.parquet")
        (partition.parent / "_SUCCESS").touch()


def sample_tables() -> dict[str, list[dict]]:
    return {name: generate(name) for name in ENTITIES}


def dbt_build(data_dir: Path, work: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bool, dict[str, str]]:
    """Run `dbt build --target local` in-process against `data_dir`; return success and {node name: status}.

    In-process (dbtRunner) rather than a subprocess: dbt's import is the slow part, so it is paid once.
    """
    from dbt.cli.main import dbtRunner

    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("DBT_TARGET", "local")
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    target = work / "target"
    args = [
        "build", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--target", "local",
        "--target-path", str(target), "--log-path", str(work / "logs"), "--log-level-file", "none",
        "--no-partial-parse", "--quiet",
    ]  # fmt: skip
    result = dbtRunner().invoke(args)
    results_file = target / "run_results.json"
    assert results_file.exists(), f"dbt did not run: {result.exception}"
    results = json.loads(results_file.read_text())["results"]
    return result.success, {r["unique_id"].split(".")[2]: r["status"] for r in results}


def count(database: Path, relation: str) -> int:
    with duckdb.connect(str(database)) as con:  # same configuration as dbt's still-open connection
        return con.execute(f"select count(*) from {relation}").fetchone()[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One successful build over two deliveries of the same sample data (a re-delivery must not duplicate keys)."""
    work = tmp_path_factory.mktemp("dbt_build")
    data_dir = work / "data"
    tables = sample_tables()
    write_curated(data_dir, "2023-12-31", tables)
    write_curated(data_dir, DS, tables)
    with pytest.MonkeyPatch.context() as monkeypatch:
        success, statuses = dbt_build(data_dir, work, monkeypatch)
    return success, statuses, data_dir / "warehouse.duckdb", tables


def test_dbt_build_succeeds(built):
    success, statuses, _, _ = built
    assert success, statuses
    assert statuses, "dbt ran nothing"
    assert set(statuses.values()) <= {"success", "pass"}, statuses
    expected_models = {f"stg_{name}" for name in ENTITIES} | {f"dim_{dimension().name}", f"fct_{fact().name}"}
    assert expected_models <= set(statuses)


def test_marts_have_one_row_per_key(built):
    _, _, database, tables = built
    dim, fct = dimension(), fact()
    for name, rows in tables.items():
        assert count(database, f"stg_{name}") == len(rows)
    assert count(database, f"dim_{dim.name}") == len(tables[dim.name])
    assert count(database, f"fct_{fct.name}") == len(tables[fct.name])
    with duckdb.connect(str(database)) as con:
        total = con.execute(f"select sum({fct.name}_count) from dim_{dim.name}").fetchone()[0]
        orphans = con.execute(
            f"select count(*) from fct_{fct.name} f left join dim_{dim.name} d "
            f"on f.{fk_column()} = d.{dim.primary_key} where d.{dim.primary_key} is null"
        ).fetchone()[0]
    assert total == len(tables[fct.name])
    assert orphans == 0


def fk_column() -> str:
    dim = dimension()
    return next(c.name for c in fact().columns if c.references == f"{dim.name}.{dim.primary_key}")


def test_duplicate_primary_key_fails_the_unique_test(tmp_path, monkeypatch):
    dim = dimension()
    tables = sample_tables()
    tables[dim.name] = [*tables[dim.name], dict(tables[dim.name][0])]  # same key twice in one delivery
    write_curated(tmp_path / "data", DS, tables)
    success, statuses = dbt_build(tmp_path / "data", tmp_path, monkeypatch)
    assert not success
    unique_test = f"unique_stg_{dim.name}_{dim.primary_key}"
    assert statuses.get(unique_test) == "fail", statuses
    failed = {name for name, status in statuses.items() if status in {"fail", "error"}}
    # only uniqueness tests of that staging model fail (the copied row repeats its other unique columns too)
    assert all(name.startswith(f"unique_stg_{dim.name}_") for name in failed), failed


def test_dbt_jinja_survived_rendering():
    """The dbt files keep their own `{{ }}` Jinja: copier renders with its own delimiters and must leave it alone."""
    sql = {path.name: path.read_text() for path in (DBT_DIR / "models").rglob("*.sql")}
    assert sql
    for name, text in sql.items():
        assert "{{ ref(" in text or "{{ source(" in text, name
        assert not any(marker in text for marker in COPIER_MARKERS), name
    assert "{{ env_var('DATA_DIR', 'data') }}" in (DBT_DIR / "profiles.yml").read_text()


def test_prod_target_reads_only_environment_variables():
    profiles = (DBT_DIR / "profiles.yml").read_text()
    prod = profiles.split("    prod:", 1)[1]
    for line in prod.splitlines():
        key, _, value = line.strip().partition(":")
        if key in {"account", "user", "password", "host", "server", "project", "token", "client_secret"}:
            assert "env_var(" in value, line


def test_timestamps_are_typed(built):
    _, _, database, _ = built
    event_time = dimension().event_time
    with duckdb.connect(str(database)) as con:
        value = con.execute(f"select max({event_time}) from dim_{dimension().name}").fetchone()[0]
    assert isinstance(value, datetime)
