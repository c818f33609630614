"""The load step: the curated Parquet of one ingest date into the warehouse, one table per entity, with dlt.

For each entity it reads the partition the Spark job wrote, `<curated root>/<entity>/ingest_date=<ds>/`
(`$DATA_DIR/curated` locally, the curated bucket in production), types it from `schema.py`, adds the
`ingest_date` column and merges it with dlt into the dataset `DBT_SOURCE_SCHEMA` (default `curated`) on the
entity's primary key. A rerun replaces the same rows, so the step is idempotent; a partition that repeats a key
is refused (a merge would silently keep one of the rows). dbt reads these tables as its sources, locally and
in production, so the same SQL runs on both.

Destination: locally DuckDB, `$DATA_DIR/warehouse.duckdb` (the file of dbt's `local` target); with
DATAFORGE_ENV=prod, the dlt destination `synapse` (Azure Synapse Analytics).
Credentials are never in files. They are the Airflow connection WAREHOUSE_CONN_ID, by default:

    nightly_eventhubs_synapse_warehouse

given as `AIRFLOW_CONN_<connection id in upper case>` (a URI; how tests and `make run` give it), or, when the
step runs as an Airflow task, looked up by Airflow: its secrets backend first (the cloud's secret store in
production, see `orchestration/secrets_backend.py`), then its metadata database. Without a connection, dlt
resolves the credentials from its own variables (`DESTINATION__<NAME>__CREDENTIALS__*`).

    python -m nightly_eventhubs_synapse.load --ds 2024-01-01 [--entity <name> ...]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .config import PROJECT, Settings, add_run_arguments, load_settings, partition_dir
from .schema import ENTITIES, Entity

log = logging.getLogger(__name__)

DESTINATION = "synapse"  # the warehouse's dlt destination (dataforge catalogue)
PIPELINE = f"{PROJECT}_load"
DEFAULT_DATASET = "curated"
ARROW_TYPES = {
    "integer": pa.int64(),
    "decimal": pa.decimal128(18, 2),
    "string": pa.string(),
    "timestamp": pa.timestamp("us"),  # UTC wall-clock time, as Spark writes it with the session in UTC
    "date": pa.date32(),
    "boolean": pa.bool_(),
}
DLT_TYPES: dict[str, dict[str, Any]] = {
    "integer": {"data_type": "bigint"},
    "decimal": {"data_type": "decimal", "precision": 18, "scale": 2},
    "string": {"data_type": "text"},
    "timestamp": {"data_type": "timestamp", "timezone": False},
    "date": {"data_type": "date"},
    "boolean": {"data_type": "bool"},
}


# dlt features the step turns off unless the environment sets them: usage telemetry, and probing Airflow
# Variables for dlt settings (one lookup per setting, slow; the credentials come from the connection URI).
DLT_OFF = ("RUNTIME__DLTHUB_TELEMETRY", "PROVIDERS__ENABLE_AIRFLOW_SECRETS")


class LoadError(RuntimeError):
    """Raised when a curated partition cannot be loaded: missing, unreadable, untyped or with repeated keys."""


def iso_date(text: str) -> str:
    """An ingest date `YYYY-MM-DD` (argparse type)."""
    date.fromisoformat(text)
    return text


def dlt_defaults() -> None:
    """Turn the `DLT_OFF` features off in the environment, where dlt reads them, unless already set."""
    for name in DLT_OFF:
        os.environ.setdefault(name, "false")


def dataset_name(environ: Mapping[str, str] | None = None) -> str:
    """The warehouse schema (dlt dataset) of the loaded tables: DBT_SOURCE_SCHEMA, where dbt's sources live."""
    env = os.environ if environ is None else environ
    return env.get("DBT_SOURCE_SCHEMA", "") or DEFAULT_DATASET


def connection_id(environ: Mapping[str, str] | None = None) -> str:
    """The Airflow connection id of the warehouse: WAREHOUSE_CONN_ID, by default `<project>_warehouse`."""
    env = os.environ if environ is None else environ
    return env.get("WAREHOUSE_CONN_ID", "") or f"{PROJECT}_warehouse"


def connection_variable(environ: Mapping[str, str] | None = None) -> str:
    """The variable holding the warehouse connection URI: `AIRFLOW_CONN_` + the connection id in upper case."""
    return "AIRFLOW_CONN_" + connection_id(environ).upper()


def warehouse_credentials(environ: Mapping[str, str] | None = None) -> str | None:
    """The warehouse connection URI, or None to let dlt resolve its own credential variables."""
    env = os.environ if environ is None else environ
    value = env.get(connection_variable(env), "").strip()
    if value.startswith("{"):
        raise LoadError(f"{connection_variable(env)} holds JSON: give the connection as a URI")
    if value or environ is not None:
        return value or None
    return airflow_connection_uri(connection_id(env))


def airflow_connection_uri(conn_id: str) -> str | None:
    """The URI of the Airflow connection `conn_id` when this step runs as an Airflow task, else None.

    Airflow looks it up through its secrets backend chain (the configured backend, the environment, the metadata
    database), so production keeps the credentials in the cloud's secret store.
    """
    try:
        from airflow.sdk import Connection, get_current_context

        get_current_context()
    except (ImportError, RuntimeError):  # not an Airflow task: `make run`, tests, a plain script
        return None
    from airflow.exceptions import AirflowNotFoundException

    try:
        return Connection.get(conn_id).get_uri()
    except AirflowNotFoundException:
        log.info("no Airflow connection %s: dlt resolves the warehouse credentials itself", conn_id)
        return None


def partition_path(settings: Settings, entity: str, ds: str, hour: str | None = None) -> str:
    """Where the Spark job wrote `entity` for ingest date `ds` (and `hour`): a local folder or an object-store URI."""
    return f"{settings.curated_root.rstrip('/')}/{entity}/{partition_dir(ds, hour)}"


def arrow_schema(entity: Entity) -> pa.Schema:
    """The Arrow types of the entity's columns, from `schema.py` (timestamps in UTC, without a time zone)."""
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable) for c in entity.columns])


def column_hints(entity: Entity, hour: str | None = None) -> dict[str, dict[str, Any]]:
    """dlt column hints: the warehouse column types come from `schema.py`, not from what a file happened to hold."""
    hints = {c.name: {**DLT_TYPES[c.type], "nullable": c.nullable} for c in entity.columns}
    hints[entity.primary_key]["nullable"] = False
    hints["ingest_date"] = {"data_type": "date", "nullable": False}
    if hour is not None:
        hints["ingest_hour"] = {"data_type": "bigint", "nullable": False}
    return hints


def read_partition(path: str, entity: Entity, ds: str, hour: str | None = None) -> pa.Table:
    """The rows of one curated partition, typed like the entity, with `ingest_date` (and `ingest_hour` for an
    hour) added (Spark keeps them in the folder names). Spark's marker files (`_SUCCESS`, `.crc`) are skipped."""
    import pyarrow.dataset as pads

    try:
        dataset = pads.dataset(path, format="parquet")
        if not dataset.files:
            raise FileNotFoundError(path)
        table = dataset.to_table(columns=entity.column_names)
    except FileNotFoundError:
        raise LoadError(f"no curated files for {entity.name} at {path}: run spark_transform for {ds} first") from None
    except (OSError, pa.ArrowInvalid) as exc:
        raise LoadError(f"cannot read {path}: {exc}") from exc
    try:
        table = table.cast(arrow_schema(entity))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise LoadError(f"{path} does not match the schema of {entity.name}: {exc}") from exc
    ingest_date = pa.array([date.fromisoformat(ds)] * table.num_rows, pa.date32())
    table = table.append_column(pa.field("ingest_date", pa.date32(), nullable=False), ingest_date)
    if hour is None:
        return table
    ingest_hour = pa.array([int(hour)] * table.num_rows, pa.int64())
    return table.append_column(pa.field("ingest_hour", pa.int64(), nullable=False), ingest_hour)


def repeated_keys(table: pa.Table, key: str) -> list[Any]:
    """Values of `key` that occur more than once in `table`, sorted (at most ten)."""
    counts = table.group_by(key).aggregate([(key, "count")])
    repeated = counts.filter(pc.greater(counts[f"{key}_count"], 1))[key].to_pylist()
    return sorted(repeated, key=str)[:10]


def destination(settings: Settings, environ: Mapping[str, str] | None = None) -> Any:
    """The dlt destination: DuckDB at `$DATA_DIR/warehouse.duckdb` locally, else the warehouse's destination
    with the URI from the environment (or, with none, the credentials dlt resolves from its own variables)."""
    import dlt
    from dlt.common.destination import Destination

    if not settings.is_prod:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return dlt.destinations.duckdb(str((settings.data_dir / "warehouse.duckdb").resolve()))
    return Destination.from_reference(DESTINATION, credentials=warehouse_credentials(environ))


def load(
    ds: str,
    entities: Iterable[str] | None = None,
    settings: Settings | None = None,
    environ: Mapping[str, str] | None = None,
    hour: str | None = None,
) -> dict[str, int]:
    """Merge the curated partition `ds` (its `hour` when given) of each entity into the warehouse; return
    {entity: rows loaded}.

    Raises `LoadError` before anything is loaded when a partition is missing, unreadable or repeats a key, and
    dlt's `PipelineStepFailed` when the warehouse refuses the load.
    """
    settings = settings or load_settings(environ)
    dlt_defaults()
    import dlt

    names = list(entities or ENTITIES)
    unknown = sorted(set(names) - set(ENTITIES))
    if unknown:
        raise LoadError(f"unknown entities {unknown}: choose from {sorted(ENTITIES)}")
    tables: dict[str, pa.Table] = {}
    for name in names:
        entity = ENTITIES[name]
        table = read_partition(partition_path(settings, name, ds, hour), entity, ds, hour)
        repeated = repeated_keys(table, entity.primary_key)
        if repeated:
            raise LoadError(f"{name} repeats {entity.primary_key} in ingest date {ds}: {repeated}")
        tables[name] = table
    resources = [
        dlt.resource(
            table,
            name=name,
            table_name=name,
            write_disposition="merge",
            primary_key=ENTITIES[name].primary_key,
            columns=column_hints(ENTITIES[name], hour),
        )
        for name, table in tables.items()
        if table.num_rows
    ]
    if resources:
        pipeline = dlt.pipeline(
            pipeline_name=PIPELINE,
            destination=destination(settings, environ),
            dataset_name=dataset_name(environ),
            pipelines_dir=str(Path(settings.data_dir) / ".dlt"),  # local state; dlt restores it from the warehouse
        )
        pipeline.run(resources)
    return {name: table.num_rows for name, table in tables.items()}


def main(argv: list[str] | None = None) -> int:
    """Command line: load one ingest date; returns the exit code (1 when the load fails)."""
    parser = argparse.ArgumentParser(description="Load the curated partition of one ingest date into the warehouse.")
    parser.add_argument("--ds", type=iso_date, default=date.today().isoformat(), help="ingest date YYYY-MM-DD")
    parser.add_argument(
        "--entity", action="append", choices=sorted(ENTITIES), help="load only this entity (repeatable; default: all)"
    )
    add_run_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    dlt_defaults()
    from dlt.pipeline.exceptions import PipelineStepFailed

    try:
        counts = load(args.ds, args.entity, hour=getattr(args, "hour", None))
    except (LoadError, PipelineStepFailed) as error:
        print(f"load failed for {args.ds}: {error}", file=sys.stderr)
        return 1
    settings = load_settings()
    target = DESTINATION if settings.is_prod else "duckdb"
    for name, rows in counts.items():
        log.info("loaded %s: %d row(s) of %s into %s.%s (%s)", args.ds, rows, name, dataset_name(), name, target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
