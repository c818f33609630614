"""The load step for real on DuckDB: curated Parquet made from the sample data, merged with dlt on each key.

Each test writes curated partitions the way the Spark job does (`curated/<entity>/ingest_date=<ds>/`, typed from
`schema.py`) into a temporary DATA_DIR, runs `load` into `warehouse.duckdb` (schema `curated`) and queries it.
The production destination is only built, never connected to: no warehouse is needed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nightly_eventhubs_synapse.config import load_settings, partition_dir
from nightly_eventhubs_synapse.load import (
    DESTINATION,
    LoadError,
    arrow_schema,
    connection_variable,
    destination,
    load,
    main,
    partition_path,
    warehouse_credentials,
)
from nightly_eventhubs_synapse.sample_data import generate
from nightly_eventhubs_synapse.schema import ENTITIES, Entity, dimension

DS = "2024-01-01"
NEXT_DS = "2024-01-02"
CONNECTION = "AIRFLOW_CONN_NIGHTLY_EVENTHUBS_SYNAPSE_WAREHOUSE"


def typed(entity: Entity, rows: list[dict]) -> pa.Table:
    """Rows typed like the Spark job's output (decimals rounded to cents)."""
    data = {}
    for column in entity.columns:
        values = [row[column.name] for row in rows]
        if column.type == "decimal":
            values = [None if v is None else Decimal(str(v)).quantize(Decimal("0.01")) for v in values]
        data[column.name] = values
    return pa.table(data, schema=arrow_schema(entity))


def write_curated(data_dir: Path, ds: str, tables: dict[str, list[dict]], hour: str | None = None) -> None:
    """One curated partition per entity, like the Spark job (with the marker file Spark leaves)."""
    for name, rows in tables.items():
        partition = data_dir / "curated" / name / partition_dir(ds, hour)
        partition.mkdir(parents=True, exist_ok=True)
        pq.write_table(typed(ENTITIES[name], rows), partition / "part-00000.snappy.parquet")
        (partition.parent / "_SUCCESS").touch()


def query(data_dir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def row_counts(data_dir: Path) -> dict[str, int]:
    return {name: query(data_dir, f"select count(*) from curated.{name}")[0][0] for name in ENTITIES}


@pytest.fixture
def tables() -> dict[str, list[dict]]:
    return {name: generate(name, rows=40) for name in ENTITIES}


@pytest.fixture
def data_dir(local_env, monkeypatch) -> Path:
    monkeypatch.delenv("DBT_SOURCE_SCHEMA", raising=False)
    return local_env


def test_load_creates_one_typed_table_per_entity(data_dir, tables):
    write_curated(data_dir, DS, tables)
    assert load(DS) == {name: len(rows) for name, rows in tables.items()}
    assert row_counts(data_dir) == {name: len(rows) for name, rows in tables.items()}
    for name, entity in ENTITIES.items():
        columns = [row[0] for row in query(data_dir, f"describe curated.{name}")]
        assert columns[: len(entity.columns) + 1] == [*entity.column_names, "ingest_date"], columns
        assert query(data_dir, f"select distinct ingest_date from curated.{name}") == [(date.fromisoformat(DS),)]
        keys = query(data_dir, f"select count(distinct {entity.primary_key}) from curated.{name}")[0][0]
        assert keys == len(tables[name])


def test_a_rerun_is_idempotent(data_dir, tables):
    write_curated(data_dir, DS, tables)
    load(DS)
    first = row_counts(data_dir)
    load(DS)
    assert row_counts(data_dir) == first


def test_a_changed_row_is_merged_on_its_key(data_dir, tables):
    entity = dimension()
    write_curated(data_dir, DS, tables)
    load(DS)
    changed = dict(tables[entity.name][0])
    changed[entity.event_time] = changed[entity.event_time] + timedelta(days=1)
    key = changed[entity.primary_key]
    write_curated(data_dir, NEXT_DS, {entity.name: [changed]})  # a later delivery of one changed row
    assert load(NEXT_DS, [entity.name]) == {entity.name: 1}
    assert row_counts(data_dir)[entity.name] == len(tables[entity.name])  # updated, not appended
    (event_time, ingest_date), = query(
        data_dir,
        f"select {entity.event_time}, ingest_date from curated.{entity.name} where {entity.primary_key} = {key!r}",
    )  # fmt: skip
    assert event_time == changed[entity.event_time]
    assert ingest_date == date.fromisoformat(NEXT_DS)


def test_a_partition_that_repeats_a_key_is_refused(data_dir, tables):
    entity = dimension()
    tables[entity.name] = [*tables[entity.name], dict(tables[entity.name][0])]
    write_curated(data_dir, DS, tables)
    with pytest.raises(LoadError, match=entity.primary_key):
        load(DS)
    assert not (data_dir / "warehouse.duckdb").exists()  # nothing was loaded


def test_a_missing_partition_names_the_step_to_run(data_dir):
    with pytest.raises(LoadError, match="spark_transform"):
        load(DS)
    assert main(["--ds", DS]) == 1


def test_main_loads_one_ingest_date(data_dir, tables):
    write_curated(data_dir, DS, tables)
    assert main(["--ds", DS]) == 0
    assert row_counts(data_dir) == {name: len(rows) for name, rows in tables.items()}


def test_main_rejects_a_malformed_date(capsys):
    with pytest.raises(SystemExit):
        main(["--ds", "2024-13-01"])
    assert "--ds" in capsys.readouterr().err


def test_prod_reads_the_curated_bucket_and_loads_the_warehouse():
    # What a deployment sets (the storage account is read only on Azure, harmless elsewhere).
    environ = {
        "DATAFORGE_ENV": "prod",
        "CURATED_BUCKET": "example-curated",
        "AZURE_STORAGE_ACCOUNT": "examplestore",
        CONNECTION: "scheme://host/database",
    }
    settings = load_settings(environ)
    path = partition_path(settings, dimension().name, DS)
    assert path.startswith(settings.curated_root)
    assert "://" in path
    assert path.endswith(f"/{dimension().name}/ingest_date={DS}")
    assert destination(settings, environ).destination_name == DESTINATION


def test_credentials_come_only_from_the_environment():
    assert connection_variable({}) == CONNECTION
    assert warehouse_credentials({}) is None  # dlt resolves its own DESTINATION__* variables
    assert warehouse_credentials({CONNECTION: "scheme://host/database"}) == "scheme://host/database"
    custom = {"WAREHOUSE_CONN_ID": "shared_dwh", "AIRFLOW_CONN_SHARED_DWH": "scheme://other/database"}
    assert warehouse_credentials(custom) == "scheme://other/database"
    with pytest.raises(LoadError, match="URI"):
        warehouse_credentials({CONNECTION: '{"conn_type": "x"}'})


def test_an_airflow_task_asks_airflow_for_the_connection(monkeypatch):
    """As an Airflow task, the credentials come from Airflow's lookup: its secrets backend in production."""
    import airflow.sdk
    from airflow.exceptions import AirflowNotFoundException

    monkeypatch.delenv(CONNECTION, raising=False)
    monkeypatch.delenv("WAREHOUSE_CONN_ID", raising=False)
    assert warehouse_credentials() is None, "outside a task nothing is asked"
    asked = []

    def lookup(conn_id):
        asked.append(conn_id)
        if conn_id != "nightly_eventhubs_synapse_warehouse":
            raise AirflowNotFoundException(conn_id)
        return airflow.sdk.Connection(conn_id=conn_id, conn_type="postgres", host="db.internal", login="loader")

    monkeypatch.setattr(airflow.sdk, "get_current_context", dict)
    monkeypatch.setattr(airflow.sdk.Connection, "get", staticmethod(lookup))
    assert warehouse_credentials() == "postgres://loader@db.internal"
    monkeypatch.setenv("WAREHOUSE_CONN_ID", "missing_dwh")
    assert warehouse_credentials() is None, "an unknown connection leaves the credentials to dlt"
    assert asked == ["nightly_eventhubs_synapse_warehouse", "missing_dwh"]
