"""The streaming semantics, proven on local data with the real job (Spark Structured Streaming, available-now).

Each test names one promise of the job; they share the run of `stream_run` (conftest.py) and compare what the
event plan says with what landed in the curated zone, the warehouse (DuckDB) and the dead-letter output.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from nightly_eventhubs_synapse.schema import ENTITIES, fact
from nightly_eventhubs_synapse.stream import events
from nightly_eventhubs_synapse.stream.settings import interval_seconds
from nightly_eventhubs_synapse.stream.sink import LATE, windows_table

DS, NEXT_DS, ROWS = "2024-01-01", "2024-01-02", 12  # as in conftest.py
FACT = fact()
WINDOWS = windows_table(FACT)
ALL_TABLES = [*ENTITIES, WINDOWS]


def keys(rows: list[tuple], entity) -> list[str]:
    return [row[entity.column_names.index(entity.primary_key)] for row in rows]


def test_duplicates_are_removed(stream_run, read_curated):
    """An event sent twice (in one file, and again in the next within the watermark) lands once."""
    for name, entity in ENTITIES.items():
        landed = keys(read_curated(stream_run.data_dir / "curated", name), entity)
        repeated = [key for key, count in Counter(landed).items() if count > 1]
        assert not repeated, f"{name}: keys landed more than once: {repeated}"
        assert stream_run.plan.duplicates[name]
        assert sorted(landed) == sorted(str(key) for key in stream_run.plan.valid[name])


def test_late_events_within_the_watermark_count_and_beyond_it_are_dropped(stream_run, read_warehouse):
    """A late event within the watermark is in its window's count; one beyond the watermark is nowhere."""
    plan = stream_run.plan
    landed = set(keys(read_warehouse(stream_run.data_dir, FACT.name), FACT))
    assert plan.late_within[FACT.name]
    assert plan.late_beyond[FACT.name]
    assert {str(key) for key in plan.late_within[FACT.name]} <= landed
    assert not {str(key) for key in plan.late_beyond[FACT.name]} & landed
    size = timedelta(seconds=interval_seconds(stream_run.stream.window))
    day = datetime.fromisoformat(DS)
    expected = Counter(str(day + (row[FACT.event_time] - day) // size * size) for row in plan.valid[FACT.name].values())
    counted = {row[0]: int(row[2]) for row in read_warehouse(stream_run.data_dir, WINDOWS)}
    assert counted == dict(expected)


def test_malformed_records_go_to_the_dead_letter_output_with_reason_and_payload(stream_run, read_tables):
    """Records that do not parse are kept with why and their raw payload, and never reach the curated zone."""
    import json

    for name, entity in ENTITIES.items():
        lines = {line for file in stream_run.plan.files[name] for line in file}
        letters = [json.loads(line) for line in read_tables(stream_run.data_dir, [])[f"dead_letter:{name}"]]
        malformed = [letter for letter in letters if letter["reason"] != LATE]
        assert len(malformed) == stream_run.plan.malformed[name]
        assert {letter["reason"] for letter in malformed} == {
            "invalid JSON",
            f"missing {entity.primary_key}",
            f"{entity.event_time} is not a {entity.column(entity.event_time).type}",
        }
        assert all(letter["value"] in lines for letter in malformed)


def test_a_replayed_batch_leaves_the_sink_unchanged(spark, tmp_path, read_tables):
    """The same batch id written twice (once recorded in the ledger, once after losing the ledger entry, as after
    a crash between the write and the commit) leaves the curated files and the warehouse tables as they were."""
    from nightly_eventhubs_synapse.config import load_settings
    from nightly_eventhubs_synapse.stream import sink
    from nightly_eventhubs_synapse.stream.functions import parse, valid
    from nightly_eventhubs_synapse.stream.settings import load_stream_settings

    data_dir = tmp_path / "data"
    settings = load_settings({"DATAFORGE_ENV": "local", "DATA_DIR": str(data_dir)})
    stream = load_stream_settings(settings, {})
    rows = events.plan_events(DS, ROWS).valid[FACT.name].values()
    batch = valid(parse(spark.createDataFrame([(events.payload(row),) for row in rows], "value string"), FACT))

    def write() -> None:
        sink.write_batch(batch, 7, entity=FACT, settings=settings, stream=stream, query="replay")

    names = [FACT.name, WINDOWS]

    def parquet_files() -> list[str]:
        return sorted(p.name for p in (data_dir / "curated").rglob("*.parquet"))

    write()
    before, files = read_tables(data_dir, names), parquet_files()
    assert before[f"warehouse:{FACT.name}"]
    assert before[f"warehouse:{WINDOWS}"]
    write()
    assert read_tables(data_dir, names) == before
    assert parquet_files() == files
    for entry in (data_dir / "curated" / "_checkpoints" / "replay" / "sink_ledger").iterdir():
        entry.unlink()
    write()
    assert read_tables(data_dir, names) == before
    assert len(parquet_files()) == len(files)


def test_restart_from_the_checkpoint_processes_only_new_events(stream_run, spark, read_tables, read_curated):
    """New files after a stop are all the restarted job reads; what was processed before stays as it was."""
    before = read_tables(stream_run.data_dir, ALL_TABLES)
    plan = events.plan_events(NEXT_DS, ROWS, stream_run.stream.watermark_seconds)
    queries = stream_run.run(spark, NEXT_DS, plan)
    read = Counter()
    for query in queries:
        read[query.name] = sum(progress["numInputRows"] for progress in query.recentProgress)
    for name in ENTITIES:
        new_lines = sum(len(file) for file in plan.files[name])
        assert read[name] == new_lines
        assert read[f"{name}_dead_letter"] == new_lines
    after = read_tables(stream_run.data_dir, ALL_TABLES)
    for name, entity in ENTITIES.items():
        landed = keys(read_curated(stream_run.data_dir / "curated", name), entity)
        assert sorted(landed) == sorted(str(k) for k in [*stream_run.plan.valid[name], *plan.valid[name]])
        assert set(before[f"warehouse:{name}"]) <= set(after[f"warehouse:{name}"])
    first_day = [row for row in after[f"warehouse:{WINDOWS}"] if row[0].startswith(DS)]
    assert first_day == [row for row in before[f"warehouse:{WINDOWS}"] if row[0].startswith(DS)]
    assert sum(int(row[2]) for row in after[f"warehouse:{WINDOWS}"]) == len(stream_run.plan.valid[FACT.name]) + len(
        plan.valid[FACT.name]
    )


def test_running_the_pipeline_twice_leaves_the_same_rows(stream_run, spark, read_tables):
    """The events of a date generated again and the job run again: every local table holds the same rows."""
    before = read_tables(stream_run.data_dir, ALL_TABLES)
    stream_run.run(spark, DS)
    assert read_tables(stream_run.data_dir, ALL_TABLES) == before
