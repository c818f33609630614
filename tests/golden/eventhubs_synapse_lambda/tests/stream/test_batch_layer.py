"""The lambda pattern's layers on local events: the batch layer counts what the speed layer could not, and the
serving view equals a full recomputation.

Two days of event files go through the real streaming job (which also archives every raw event); the batch layer
then recomputes the first day from the archive, and dbt builds the serving view on DuckDB. The expected windows
are recomputed here in plain Python from the raw event files (no Spark): every line that parses, one event per
key, counted per window, late events included.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.dataset as pads
import pytest

from nightly_eventhubs_synapse.batch_layer import archive, recompute
from nightly_eventhubs_synapse.config import Settings, load_settings
from nightly_eventhubs_synapse.dbt_build import dbt_build
from nightly_eventhubs_synapse.schema import fact
from nightly_eventhubs_synapse.stream import events, job
from nightly_eventhubs_synapse.stream.functions import measure
from nightly_eventhubs_synapse.stream.settings import StreamSettings, interval_seconds, load_stream_settings
from nightly_eventhubs_synapse.stream.sink import windows_table

DAYS = ("2024-01-01", "2024-01-02")
ROWS = 12  # fact events per day, as in conftest.py
FACT = fact()
MEASURE = measure(FACT)
SERVING = f"{windows_table(FACT)}_serving"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Layers:
    """A local DATA_DIR after the stream processed both days and the batch layer recomputed the first."""

    data_dir: Path
    settings: Settings
    stream: StreamSettings
    plans: dict[str, events.EventPlan]


def expected_windows(plans: dict[str, events.EventPlan], window_seconds: int) -> dict[str, tuple[int, Decimal | None]]:
    """A full batch recomputation in plain Python: window start -> (events, measure sum), from the raw lines."""
    seen: dict[str, dict] = {}
    for plan in plans.values():
        for lines in plan.files[FACT.name]:
            for line in lines:
                try:
                    record = json.loads(line)
                    when = datetime.fromisoformat(str(record[FACT.event_time]))
                except (ValueError, KeyError, TypeError):
                    continue  # not JSON, or no event time: the dead-letter output's
                if not isinstance(record, dict) or record.get(FACT.primary_key) is None:
                    continue
                seen.setdefault(str(record[FACT.primary_key]), {**record, "_when": when})
    size = timedelta(seconds=window_seconds)
    counts: Counter[str] = Counter()
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for record in seen.values():
        start = datetime(1970, 1, 1) + (record["_when"] - datetime(1970, 1, 1)) // size * size
        counts[str(start)] += 1
        if MEASURE and record.get(MEASURE) is not None:
            sums[str(start)] += Decimal(str(record[MEASURE])).quantize(Decimal("0.01"))
    return {start: (n, sums[start] if MEASURE else None) for start, n in counts.items()}


def serving_rows(data_dir: Path) -> dict[str, tuple[int, Decimal | None, str]]:
    """The serving view: window start -> (events, measure sum, layer)."""
    total = f"{MEASURE}_sum" if MEASURE else "null"
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:  # as dbt, whose connection may still be open
        rows = con.execute(f"select window_start, events, {total}, layer from {SERVING}").fetchall()
    return {str(start): (int(n), None if s is None else Decimal(str(s)), layer) for start, n, s, layer in rows}


def build_serving(data_dir: Path, work: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """`dbt build` of the serving view and its tests on the local target (DuckDB in `data_dir`)."""
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("DBT_TARGET", "local")
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    extra = [
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--log-level-file", "none",
        "--no-partial-parse", "--quiet", "--select", "tag:streamed",
    ]  # fmt: skip
    return dbt_build("local", DAYS[0], root=PROJECT_ROOT, extra=extra)


@pytest.fixture(scope="module")
def layers(spark, tmp_path_factory) -> Layers:
    """Both days streamed (speed layer and archive), the first recomputed (batch layer), the view built."""
    work = tmp_path_factory.mktemp("layers")
    data_dir = work / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATAFORGE_ENV", "local")
        patch.setenv("DATA_DIR", str(data_dir))
        patch.delenv("DBT_SOURCE_SCHEMA", raising=False)
        patch.delenv("ARCHIVE_ROOT", raising=False)
        settings = load_settings()
        stream = load_stream_settings(settings)
        plans = {}
        for ds in DAYS:
            plans[ds] = events.plan_events(ds, ROWS, stream.watermark_seconds)
            events.write_events(plans[ds], settings, ds)
            job.run(spark, settings)
        recompute.recompute(spark, settings, stream, DAYS[0])
        build_serving(data_dir, work, patch)
        yield Layers(data_dir, settings, stream, plans)


def of_day(rows: dict, ds: str) -> dict:
    return {start: value for start, value in rows.items() if start.startswith(ds)}


def test_the_archive_keeps_every_event_the_speed_layer_dropped_as_late(layers):
    """Events later than the watermark are not in the speed layer, and they are in the archive."""
    folder = layers.data_dir / "curated" / "_archive" / FACT.name
    archived = pads.dataset(folder, format="parquet", partitioning="hive").to_table().column("value").to_pylist()
    keys = {str(json.loads(v).get(FACT.primary_key)) for v in archived if v.startswith("{") and v.endswith("}")}
    late = {str(key) for plan in layers.plans.values() for key in plan.late_beyond[FACT.name]}
    assert late, "the event files hold no event later than the watermark"
    assert late <= keys


def test_a_recomputed_day_is_served_from_the_batch_layer_with_its_late_events(layers):
    """The first day comes from the batch layer and equals the plain-Python recomputation, late events included;
    the speed layer alone counted fewer events that day (so the merge is what makes the view complete)."""
    window = interval_seconds(layers.stream.window)
    expected = of_day(expected_windows({DAYS[0]: layers.plans[DAYS[0]]}, window), DAYS[0])
    served = of_day(serving_rows(layers.data_dir), DAYS[0])
    assert {layer for *_, layer in served.values()} == {"batch"}
    assert {start: (n, s) for start, (n, s, _) in served.items()} == expected
    with duckdb.connect(str(layers.data_dir / "warehouse.duckdb")) as con:
        speed = con.execute(f"select sum(events) from curated.{windows_table(FACT)} where ingest_date = ?", [DAYS[0]])
        speed_total = speed.fetchone()[0]
    late = len(layers.plans[DAYS[0]].late_beyond[FACT.name])
    assert speed_total + late == sum(n for n, _ in expected.values())


def test_a_day_not_recomputed_is_served_from_the_speed_layer(layers):
    """The second day has no batch result yet: the view serves the speed layer's windows for it."""
    served = of_day(serving_rows(layers.data_dir), DAYS[1])
    assert served
    assert {layer for *_, layer in served.values()} == {"speed"}
    with duckdb.connect(str(layers.data_dir / "warehouse.duckdb")) as con:
        speed = con.execute(f"select window_start, events from curated.{windows_table(FACT)}").fetchall()
    assert {start: n for start, (n, _, _) in served.items()} == of_day({str(s): n for s, n in speed}, DAYS[1])


def test_after_every_day_is_recomputed_the_view_equals_a_full_recomputation(layers, spark):
    """Recompute the second day too (and the first again: idempotent): every window equals the full
    recomputation of all the raw events, and a rerun changes no row."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATAFORGE_ENV", "local")
        patch.setenv("DATA_DIR", str(layers.data_dir))
        patch.delenv("DBT_SOURCE_SCHEMA", raising=False)
        for ds in (DAYS[1], DAYS[0]):
            recompute.recompute(spark, layers.settings, layers.stream, ds)
    served = serving_rows(layers.data_dir)
    expected = expected_windows(layers.plans, interval_seconds(layers.stream.window))
    assert {start: (n, s) for start, (n, s, _) in served.items()} == expected
    assert {layer for *_, layer in served.values()} == {"batch"}


def test_an_archived_batch_replayed_rewrites_the_same_files(layers, spark):
    """A micro-batch the archive query writes again (a restart replays the last batch) replaces its own folder:
    the same folders and the same rows afterwards."""
    folder = layers.data_dir / "curated" / "_archive" / FACT.name

    def state() -> tuple[list, list]:
        table = pads.dataset(folder, format="parquet", partitioning="hive").to_table()
        batch = sorted(str(p.parent.relative_to(folder)) for p in folder.rglob("*.parquet"))
        return batch, sorted(zip(table.column("value").to_pylist(), table.column("batch_id").to_pylist(), strict=True))

    before = state()
    first = min(p.parent for p in folder.rglob("*.parquet"))
    run, batch_id = first.parent.name.removeprefix("run="), int(first.name.removeprefix("batch_id="))
    replayed = spark.read.parquet(str(folder)).where(f"run = '{run}' and batch_id = {batch_id}")
    rows = replayed.select("value", "event_date").collect()  # read before the folder is rewritten
    assert rows
    again = spark.createDataFrame(rows, "value string, event_date date")
    archive.write_batch(again, batch_id, root=str(folder), run=run)
    assert state() == before
