"""What the streaming tests share: one local run of the job (Spark Structured Streaming starts slowly) and
`tables`, which reads every local table back (curated Parquet, warehouse DuckDB, dead letters) as sorted rows
without the load bookkeeping columns, so two states compare with `==`.

`stream_run` writes the event files of one date into a temporary DATA_DIR and processes them once, available-now,
on the session `spark` fixture; the helpers are handed to the tests as fixtures (`read_tables`, `read_curated`,
`read_warehouse`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.dataset as pads
import pytest

from nightly_eventhubs_synapse.config import Settings, load_settings
from nightly_eventhubs_synapse.stream import events, job
from nightly_eventhubs_synapse.stream.settings import StreamSettings, load_stream_settings

DS = "2024-01-01"
ROWS = 12  # fact events per date: enough for every kind of event, few enough to stay fast


@dataclass
class StreamRun:
    """A local DATA_DIR after the first run, and the plan of the events it held."""

    data_dir: Path
    settings: Settings
    stream: StreamSettings
    plan: events.EventPlan

    def run(self, spark, ds: str, plan: events.EventPlan | None = None) -> list:
        """Write the event files of `ds` and run the job again; returns its stopped queries."""
        plan = plan or events.plan_events(ds, ROWS, self.stream.watermark_seconds)
        events.write_events(plan, self.settings, ds)
        return job.run(spark, self.settings)


def curated_rows(root: Path, name: str) -> list[tuple]:
    """Every row of a curated table (all dates, all batches), sorted; the batch folder is not data."""
    folder = root / name
    if not folder.exists():
        return []
    table = pads.dataset(folder, format="parquet", partitioning="hive").to_table()
    columns = [c for c in table.column_names if c != "batch_id"]
    return sorted(tuple(str(v) for v in row.values()) for row in table.select(columns).to_pylist())


def warehouse_rows(data_dir: Path, name: str) -> list[tuple]:
    """Every row of a warehouse table, sorted, without dlt's load columns (`_dlt_*`)."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        columns = [c[0] for c in con.sql(f"DESCRIBE curated.{name}").fetchall() if not c[0].startswith("_dlt")]
        rows = con.sql(f"SELECT {', '.join(columns)} FROM curated.{name}").fetchall()
    return sorted(tuple(str(v) for v in row) for row in rows)


def tables(data_dir: Path, names: list[str]) -> dict[str, list[tuple]]:
    """Curated and warehouse rows of `names`, plus the dead-letter records, keyed `<zone>:<name>`."""
    curated = data_dir / "curated"
    state = {}
    for name in names:
        state[f"curated:{name}"] = curated_rows(curated, name)
        state[f"warehouse:{name}"] = warehouse_rows(data_dir, name)
    for entity_dir in sorted((curated / "_dead_letter").glob("*")):
        files = sorted(entity_dir.rglob("*.json"))
        state[f"dead_letter:{entity_dir.name}"] = sorted(line for f in files for line in f.read_text().splitlines())
    return state


@pytest.fixture(scope="module")
def stream_run(spark, tmp_path_factory) -> StreamRun:
    """The event files of DS processed once by the streaming job in a temporary DATA_DIR."""
    data_dir = tmp_path_factory.mktemp("stream") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATAFORGE_ENV", "local")
        patch.setenv("DATA_DIR", str(data_dir))
        patch.delenv("DBT_SOURCE_SCHEMA", raising=False)
        settings = load_settings()
        stream = load_stream_settings(settings)
        result = StreamRun(data_dir, settings, stream, events.plan_events(DS, ROWS, stream.watermark_seconds))
        result.run(spark, DS, result.plan)
        yield result


@pytest.fixture
def read_tables():
    """`tables(data_dir, names)`: every local table's rows."""
    return tables


@pytest.fixture
def read_curated():
    """`curated_rows(curated_root, name)`: one curated table's rows."""
    return curated_rows


@pytest.fixture
def read_warehouse():
    """`warehouse_rows(data_dir, name)`: one warehouse table's rows."""
    return warehouse_rows
