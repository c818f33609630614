"""dbt on DuckDB over curated data made from the sample data (no Spark): build, row counts, a failing key.

Each test writes curated files the way the Spark job does (`curated/<entity>/ingest_date=<ds>/part-*.parquet`,
typed from `schema.py`) into a temporary DATA_DIR, runs the pipeline's load step (`load`, dlt into
`warehouse.duckdb`, schema `curated`) and then its dbt step (`dbt_build`, the real `dbt build --target local`)
over the loaded tables, as `make run` does. The profile tests read `dbt/profiles.yml` only: no warehouse is needed.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from nightly_eventhubs_synapse.dbt_build import DbtBuildError, build_args, dbt_build, main
from nightly_eventhubs_synapse.load import LoadError, load
from nightly_eventhubs_synapse.sample_data import generate
from nightly_eventhubs_synapse.schema import ENTITIES, Entity, dimension, fact

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_DIR = PROJECT_ROOT / "dbt"
DS = "2024-01-01"
PROD_ADAPTER = "synapse"  # the warehouse's `dbt_profile.type` (dataforge catalogue)
PROD_PACKAGE = "dbt-synapse"
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


def load_local(data_dir: Path, ds: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Run the load step on DuckDB (`data_dir/warehouse.duckdb`) for one ingest date, as `make run` does."""
    monkeypatch.setenv("DATAFORGE_ENV", "local")
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.delenv("DBT_SOURCE_SCHEMA", raising=False)
    return load(ds)


def build_local(data_dir: Path, work: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Run the dbt step on the local target against `data_dir`; return {node name: status}.

    In-process (dbtRunner) rather than a subprocess: dbt's import is the slow part, so it is paid once.
    Raises DbtBuildError (with the statuses) when a node fails. Models tagged `streamed` read tables only a
    streaming job writes (the lambda serving view); tests/stream builds them over a real stream run.
    """
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("DBT_TARGET", "local")
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    extra = [
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--log-level-file", "none",
        "--no-partial-parse", "--quiet", "--exclude", "tag:streamed",
    ]  # fmt: skip
    return dbt_build("local", DS, root=PROJECT_ROOT, extra=extra)


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
        for ds in ("2023-12-31", DS):
            load_local(data_dir, ds, monkeypatch)
        statuses = build_local(data_dir, work, monkeypatch)
    return statuses, data_dir / "warehouse.duckdb", tables


def test_dbt_build_succeeds(built):
    statuses, _, _ = built
    assert statuses, "dbt ran nothing"
    assert set(statuses.values()) <= {"success", "pass"}, statuses
    expected_models = {f"stg_{name}" for name in ENTITIES} | {f"dim_{dimension().name}", f"fct_{fact().name}"}
    assert expected_models <= set(statuses)


def test_marts_have_one_row_per_key(built):
    _, database, tables = built
    dim, fct = dimension(), fact()
    for name, rows in tables.items():
        assert count(database, f"stg_{name}") == len(rows)
    assert count(database, f"dim_{dim.name}") == len(tables[dim.name])
    assert count(database, f"fct_{fct.name}") == len(tables[fct.name])
    with duckdb.connect(str(database)) as con:
        total = con.execute(f"select sum({fct.name}_count) from dim_{dim.name}").fetchone()[0]
        orphans = con.execute(
            f"select count(*) from fct_{fct.name} f left join dim_{dim.name} d "
            f"on f.{fk_column()} = d.{dim.primary_key} "
            f"where f.{fk_column()} is not null and d.{dim.primary_key} is null"
        ).fetchone()[0]
    # Facts with an empty (nullable) reference belong to no dimension row but stay in the fact mart.
    assert total == sum(row[fk_column()] is not None for row in tables[fct.name])
    assert orphans == 0


def fk_column() -> str:
    dim = dimension()
    return next(c.name for c in fact().columns if c.references == f"{dim.name}.{dim.primary_key}")


def test_duplicate_primary_key_fails_the_unique_test(tmp_path, monkeypatch):
    dim = dimension()
    tables = sample_tables()
    tables[dim.name] = [*tables[dim.name], dict(tables[dim.name][0])]  # same key twice in one delivery
    write_curated(tmp_path / "data", DS, tables)
    with pytest.raises(LoadError, match=dim.primary_key):  # the load refuses it (a merge would keep one row)
        load_local(tmp_path / "data", DS, monkeypatch)
    # a repeated key that reaches the source tables anyway (another writer, a manual fix) fails dbt's unique test
    write_curated(tmp_path / "data", DS, sample_tables())
    load_local(tmp_path / "data", DS, monkeypatch)
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb")) as con:
        con.execute(f"insert into curated.{dim.name} select * from curated.{dim.name} limit 1")
    with pytest.raises(DbtBuildError) as failure:
        build_local(tmp_path / "data", tmp_path, monkeypatch)
    unique_test = f"unique_stg_{dim.name}_{dim.primary_key}"
    assert failure.value.statuses.get(unique_test) == "fail", failure.value.statuses
    assert unique_test in str(failure.value)  # the error names the failing nodes
    # only uniqueness tests of that staging model fail (the copied row repeats its other unique columns too)
    assert all(name.startswith(f"unique_stg_{dim.name}_") for name in failure.value.failed), failure.value.failed


def test_only_example_rules_are_tested_with_severity_warn():
    """Values and bounds nobody stated (`rule="example"` in schema.py) warn; keys, nulls and references block."""
    staging = yaml.safe_load((DBT_DIR / "models" / "staging" / "_staging.yml").read_text())
    for model in staging["models"]:
        entity = ENTITIES.get(model["name"].removeprefix("stg_"))
        for column in model["columns"]:
            for test in column.get("data_tests", []):
                name, body = next(iter(test.items())) if isinstance(test, dict) else (test, {})
                severity = (body.get("config") or {}).get("severity", "error")
                ruled = name in ("accepted_values", "accepted_range")
                example = ruled and entity.column(column["name"]).rule == "example"
                assert severity == ("warn" if example else "error"), (model["name"], column["name"], name)


def test_build_args_point_dbt_at_the_project():
    args = build_args("prod", DS, PROJECT_ROOT)
    assert args[0] == "build"
    assert args[args.index("--project-dir") + 1] == args[args.index("--profiles-dir") + 1] == str(DBT_DIR)
    assert args[args.index("--target") + 1] == "prod"
    assert yaml.safe_load(args[args.index("--vars") + 1]) == {"ds": DS}


def test_main_rejects_a_malformed_date(capsys):
    with pytest.raises(SystemExit):
        main(["--ds", "2024-13-01"])
    assert "--ds" in capsys.readouterr().err


def test_dbt_jinja_survived_rendering():
    """The dbt files keep their own `{{ }}` Jinja: copier renders with its own delimiters and must leave it alone."""
    sql = {path.name: path.read_text() for path in (DBT_DIR / "models").rglob("*.sql")}
    assert sql
    for name, text in sql.items():
        assert "{{ ref(" in text or "{{ source(" in text, name
        assert not any(marker in text for marker in COPIER_MARKERS), name
    assert "{{ env_var('DATA_DIR', 'data') }}" in (DBT_DIR / "profiles.yml").read_text()


def prod_output() -> dict:
    """The `prod` output of profiles.yml, parsed (dbt's `{{ env_var(...) }}` strings stay unrendered)."""
    profiles = yaml.safe_load((DBT_DIR / "profiles.yml").read_text())
    return profiles["nightly_eventhubs_synapse"]["outputs"]["prod"]


def test_prod_output_uses_the_warehouse_adapter():
    prod = prod_output()
    assert prod["type"] == PROD_ADAPTER
    assert isinstance(prod["threads"], int)
    assert "DBT_SCHEMA" in str(prod.get("schema") or prod.get("dataset")), prod


def test_prod_target_reads_only_environment_variables():
    prod = prod_output()
    secrets = {"account", "user", "password", "host", "server", "project", "token", "client_id", "client_secret"}
    for key in secrets & prod.keys():
        assert "env_var(" in str(prod[key]), key


def test_profile_variables_are_in_env_example():
    used = set(re.findall(r"env_var\('([A-Z][A-Z0-9_]*)'", (DBT_DIR / "profiles.yml").read_text()))
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (PROJECT_ROOT / ".env.example").read_text(), re.MULTILINE))
    assert used, "profiles.yml reads no environment variable"
    assert used <= listed, sorted(used - listed)


def test_prod_group_installs_the_adapter():
    groups = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["dependency-groups"]
    names = [re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0] for requirement in groups["prod"]]
    assert PROD_PACKAGE in names, groups["prod"]


def test_timestamps_are_typed(built):
    _, database, _ = built
    event_time = dimension().event_time
    with duckdb.connect(str(database)) as con:
        value = con.execute(f"select max({event_time}) from dim_{dimension().name}").fetchone()[0]
    assert isinstance(value, datetime)
