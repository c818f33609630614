"""What Airflow checks and tidies around the running streaming job, through fsspec (a local folder or the bucket).

- `newest_commit`: how far the job has got. Spark writes `<checkpoint>/<query>/commits/<batch id>` when a
  micro-batch is done, so the newest such file's time is the job's last committed progress. A job that runs but
  receives nothing commits nothing: the age then measures the stream's silence as well as the job's health.
- `compact_day`: the closed day's small Parquet files of one entity (one or more per micro-batch) rewritten as one
  file, batch by batch (bounded memory), the new file written before the old ones are removed.
- `closed_day` / the day ledger: a day is closed once its end is `grace` behind; `<curated_root>/_closed/<day>.json`
  records that it was compacted and published, so the models run once per day.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..config import Settings
from ..quality.storage import Location, join, resolve

COMPACTED = "part-00000-compacted.parquet"
COMPACTED_DIR = "batch_id=compacted"  # beside the sink's batch_id=<id> folders: one layout for every day


def checkpoint_root(settings: Settings, environ: Mapping[str, str] | None = None) -> str:
    """Where the streaming job keeps its checkpoints: CHECKPOINT_ROOT, else `<curated_root>/_checkpoints`."""
    env = os.environ if environ is None else environ
    return env.get("CHECKPOINT_ROOT") or join(settings.curated_root, "_checkpoints")


@dataclass(frozen=True)
class Commit:
    """The newest committed micro-batch of one query."""

    query: str
    batch_id: int
    at: datetime


def newest_commit(root: str) -> Commit | None:
    """The most recent commit over every query under the checkpoint root (`<root>/<query>/commits/<id>`)."""
    where = resolve(root)
    newest: Commit | None = None
    for path in where.fs.glob(f"{where.path.rstrip('/')}/*/commits/*"):
        query, _, name = path.rstrip("/").split("/")[-3:]
        if not name.isdigit():  # Spark's own temporary files (.<id>.<uuid>.tmp) are no commit
            continue
        at = where.fs.modified(path)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        if newest is None or at > newest.at:
            newest = Commit(query, int(name), at)
    return newest


def progress_age(root: str, now: datetime | None = None) -> timedelta | None:
    """How long ago the newest micro-batch committed; None when nothing has committed yet."""
    commit = newest_commit(root)
    if commit is None:
        return None
    return (now or datetime.now(UTC)) - commit.at


def closed_day(run_after: datetime, grace: timedelta) -> str:
    """The newest day whose end is at least `grace` (the watermark and a margin) behind `run_after`."""
    moment = run_after if run_after.tzinfo else run_after.replace(tzinfo=UTC)
    return ((moment.astimezone(UTC) - grace).date() - timedelta(days=1)).isoformat()


def partition(settings: Settings, entity: str, day: str) -> str:
    """The curated partition of `entity` for `day`, where the sink writes and the quality gate reads."""
    return join(settings.curated_root, entity, f"ingest_date={date.fromisoformat(day)}")


def batch_files(fs: Any, folder: str) -> list[str]:
    """The data files of a partition: `<folder>/batch_id=<id>/*.parquet` as the sink writes them, skipping the
    marker and temporary files (names starting with `.` or `_`) Spark, pyarrow and the quality gate skip too."""
    found = fs.glob(f"{folder.rstrip('/')}/**/*.parquet")
    return sorted(f for f in found if not f.rsplit("/", 1)[-1].startswith((".", "_")))


def compact_day(location: str) -> int:
    """Rewrite the batch folders of one partition as one file, `batch_id=compacted/part-00000-compacted.parquet`;
    return how many files it replaced (0: nothing written since the last compaction).

    The file stays one folder below the date, as the sink's batches are, so a reader of the whole table (Spark's
    partition discovery) sees one layout across open and closed days. Run on a closed day only: the stream no longer
    writes there, so no file appears while this runs. A reader that lists the folder between the write and the
    removals sees rows twice, so the models run after it.
    """
    import pyarrow.parquet as pq

    where: Location = resolve(location)
    folder = where.path.rstrip("/")
    if not where.fs.exists(folder):
        return 0
    target = f"{folder}/{COMPACTED_DIR}/{COMPACTED}"
    files = [f for f in batch_files(where.fs, folder) if f.rstrip("/") != target]
    if not files:
        return 0  # nothing written since the last compaction
    sources = [*files]
    if where.fs.exists(target):  # compacted before, then a replayed late batch added files: fold them in
        staged = f"{folder}/_{COMPACTED}.previous"
        where.fs.mv(target, staged)
        sources.insert(0, staged)
    schema = pq.read_schema(sources[0], filesystem=where.fs)
    tmp = f"{folder}/_{COMPACTED}.tmp"  # '_' files are invisible to Spark, pyarrow and the quality gate
    # microsecond timestamps: what Spark, DuckDB and the warehouses read (pyarrow would keep nanoseconds)
    options = {"coerce_timestamps": "us", "allow_truncated_timestamps": True}
    with pq.ParquetWriter(tmp, schema, filesystem=where.fs, **options) as out:
        for source in sources:
            for batch in pq.ParquetFile(source, filesystem=where.fs).iter_batches():
                out.write_batch(batch.cast(schema))
    where.fs.makedirs(f"{folder}/{COMPACTED_DIR}", exist_ok=True)
    where.fs.mv(tmp, target)
    for source in sources:
        where.fs.rm(source)
    for batch_dir in {f.rsplit("/", 1)[0] for f in files} - {folder, f"{folder}/{COMPACTED_DIR}"}:
        where.fs.rm(batch_dir, recursive=True)  # the emptied batch folder, with Spark's .crc and _SUCCESS files
    return len(files)


def day_ledger(settings: Settings, day: str) -> str:
    """The record of a closed day: `<curated_root>/_closed/<day>.json`."""
    return join(settings.curated_root, "_closed", f"{date.fromisoformat(day)}.json")


def is_published(settings: Settings, day: str) -> bool:
    """True when the day has been compacted and published before."""
    where = resolve(day_ledger(settings, day))
    return bool(where.fs.exists(where.path))


def mark_published(settings: Settings, day: str, compacted: Mapping[str, int]) -> None:
    """Record that the day is closed: when, and how many files each entity's partition had."""
    where = resolve(day_ledger(settings, day))
    where.fs.makedirs(where.path.rsplit("/", 1)[0], exist_ok=True)
    record = {"day": day, "published_at": datetime.now(UTC).isoformat(), "compacted_files": dict(compacted)}
    with where.fs.open(where.path, "w") as handle:
        json.dump(record, handle, indent=2, sort_keys=True)
