"""What the watch DAG reads and tidies, on a local folder: progress, closed days, compaction, the day ledger."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq

from nightly_eventhubs_synapse.config import load_settings
from nightly_eventhubs_synapse.orchestration import stream_watch


def commit(root, query: str, batch_id: int, at: datetime) -> None:
    path = root / query / "commits" / str(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('v1\n{"nextBatchWatermarkMs":0}')
    os.utime(path, (at.timestamp(), at.timestamp()))


def test_progress_is_the_newest_commit_of_any_query(tmp_path):
    now = datetime(2024, 1, 2, 12, 0, tzinfo=UTC)
    assert stream_watch.progress_age(str(tmp_path), now) is None
    commit(tmp_path, "visitors", 7, now - timedelta(minutes=50))
    commit(tmp_path, "page_views", 3, now - timedelta(minutes=4))
    (tmp_path / "page_views" / "commits" / ".4.tmp").write_text("")  # Spark's half-written file is no commit
    newest = stream_watch.newest_commit(str(tmp_path))
    assert (newest.query, newest.batch_id) == ("page_views", 3)
    assert abs(stream_watch.progress_age(str(tmp_path), now) - timedelta(minutes=4)) < timedelta(seconds=1)


def test_a_day_closes_after_the_grace_period():
    grace = timedelta(minutes=60)
    assert stream_watch.closed_day(datetime(2024, 1, 2, 0, 30, tzinfo=UTC), grace) == "2023-12-31"
    assert stream_watch.closed_day(datetime(2024, 1, 2, 1, 0, tzinfo=UTC), grace) == "2024-01-01"
    assert stream_watch.closed_day(datetime(2024, 1, 2, 23, 59), grace) == "2024-01-01"


def files_under(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_compaction_keeps_every_row_in_one_file(tmp_path):
    part = tmp_path / "page_views" / "ingest_date=2024-01-01"
    stamp = pa.array([datetime(2024, 1, 1, 10, i) for i in range(3)], pa.timestamp("us"))
    for batch in range(3):  # the sink's layout: one folder per micro-batch, with Spark's marker files
        folder = part / f"batch_id={batch}"
        folder.mkdir(parents=True)
        table = pa.table({"event_id": [batch * 10 + i for i in range(3)], "viewed_at": stamp})
        pq.write_table(table, folder / "part-00000-batch.snappy.parquet")
        (folder / ".part-00000-batch.snappy.parquet.crc").write_bytes(b"crc")
    assert stream_watch.compact_day(str(part)) == 3
    compacted = f"{stream_watch.COMPACTED_DIR}/{stream_watch.COMPACTED}"
    assert files_under(part) == [compacted]
    rows = pq.read_table(part / compacted)
    assert sorted(rows["event_id"].to_pylist()) == [0, 1, 2, 10, 11, 12, 20, 21, 22]
    assert stream_watch.compact_day(str(part)) == 0, "a compacted day is left alone"
    late = part / "batch_id=9"
    late.mkdir()
    pq.write_table(pa.table({"event_id": [99], "viewed_at": stamp[:1]}), late / "part-00000-late.parquet")
    assert stream_watch.compact_day(str(part)) == 1, "files written after a compaction are folded in"
    assert files_under(part) == [compacted]
    assert pq.read_table(part / compacted).num_rows == 10
    assert stream_watch.compact_day(str(tmp_path / "missing")) == 0


def test_a_compacted_day_reads_beside_an_open_day_in_spark(tmp_path, spark):
    """Spark's partition discovery needs one folder depth across days: a compacted day keeps the batch level."""
    table = tmp_path / "page_views"
    stamp = pa.array([datetime(2024, 1, 1, 10, i) for i in range(3)], pa.timestamp("us"))
    for day in ("2024-01-01", "2024-01-02"):
        folder = table / f"ingest_date={day}" / "batch_id=0"
        folder.mkdir(parents=True)
        pq.write_table(pa.table({"event_id": [1, 2, 3], "viewed_at": stamp}), folder / "part-00000.parquet")
    stream_watch.compact_day(str(table / "ingest_date=2024-01-01"))
    assert spark.read.parquet(str(table)).count() == 6


def test_a_day_is_published_once(tmp_path):
    settings = load_settings({"DATA_DIR": str(tmp_path)})
    assert not stream_watch.is_published(settings, "2024-01-01")
    stream_watch.mark_published(settings, "2024-01-01", {"page_views": 3})
    assert stream_watch.is_published(settings, "2024-01-01")
    assert not stream_watch.is_published(settings, "2024-01-02")
