"""Local event files, as a stream would deliver them: `DATA_DIR/events/<entity>/<ds>-<n>.jsonl`.

Each line is one payload (`value`). The day is split into `SLOTS` files that arrive in order, so the job's watermark
moves forward file by file; each file also carries what a real stream delivers: the same event twice (in one file
and across files), events out of order, late events within the watermark and, for the fact, beyond it, and
malformed records. Same date, same files (the values come from `sample_data`; keys are offset by the date so each
day brings new events). In production the events come from the stream and this step does nothing.

    python -m <package>.stream.events --ds 2024-01-01 [--rows 60]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..config import Settings, load_settings
from ..sample_data import generate
from ..schema import ENTITIES, Entity
from .settings import load_stream_settings

SLOTS = 3  # files per day; each covers a third of the day in event time
SPAN = timedelta(days=1) / SLOTS
DEFAULT_ROWS = 60  # fact events per day; the dimension gets a quarter of that


@dataclass
class EventPlan:
    """What the files of one date hold, so tests know which events are duplicates, late or malformed."""

    files: dict[str, list[list[str]]] = field(default_factory=dict)  # entity -> one list of lines per file
    valid: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)  # entity -> key -> row kept
    duplicates: dict[str, list[Any]] = field(default_factory=dict)
    late_within: dict[str, list[Any]] = field(default_factory=dict)
    late_beyond: dict[str, list[Any]] = field(default_factory=dict)
    malformed: dict[str, int] = field(default_factory=dict)


def payload(row: dict[str, Any]) -> str:
    """One event as a JSON line: timestamps as `YYYY-MM-DD HH:MM:SS`, dates ISO, numbers as numbers."""

    def text(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
        return value

    return json.dumps({name: text(value) for name, value in row.items()}, default=str)


def offset_keys(entity: Entity, rows: list[dict[str, Any]], base: int) -> None:
    """Make keys (and references to keys) unique per date: `base` added to integer keys, prefixed to text ones."""
    for column in entity.columns:
        if column.name != entity.primary_key and not column.references:
            continue
        for row in rows:
            value = row[column.name]
            if value is not None:
                row[column.name] = value + base if column.type == "integer" else f"{base}-{value}"


def malformed(entity: Entity, row: dict[str, Any]) -> list[str]:
    """Three records the job must dead-letter: not JSON, no key, an event time that is no time."""
    missing = {k: v for k, v in row.items() if k != entity.primary_key}
    bad_time = {**row, entity.event_time: "not-a-time"}
    return [payload(row)[:-7], payload(missing), payload(bad_time)]


def plan_events(ds: str, rows: int = DEFAULT_ROWS, watermark_seconds: int = 600, seed: int = 42) -> EventPlan:
    """The event files of `ds` (pure): see the module docstring for what they contain."""
    day = datetime.combine(date.fromisoformat(ds), datetime.min.time())
    base = (day.toordinal() % 10_000) * 1_000_000
    counts = {e.name: rows if e.role == "fact" else max(3, rows // 4) for e in ENTITIES.values()}
    plan = EventPlan()
    for entity in ENTITIES.values():
        # Seeded for reproducible local events, never used for anything secret.
        rng = random.Random(f"{seed}:{ds}:{entity.name}")  # nosec B311
        data = generate(entity.name, counts[entity.name], seed, ref_rows=counts)
        offset_keys(entity, data, base)
        files: list[list[dict[str, Any] | str]] = [[] for _ in range(SLOTS)]
        for index, row in enumerate(data):
            slot = index * SLOTS // len(data)
            row[entity.event_time] = (
                day + slot * SPAN + timedelta(seconds=rng.randint(0, int(SPAN.total_seconds()) - 120))
            )
            files[slot].append(row)
        key = entity.primary_key
        plan.valid[entity.name] = {row[key]: row for row in data}
        plan.duplicates[entity.name], plan.late_within[entity.name], plan.late_beyond[entity.name] = [], [], []
        extra = iter(generate(entity.name, len(data) + 2 * SLOTS, seed + 1, ref_rows=counts)[len(data) :])
        own = [list(rows_in_file) for rows_in_file in files]  # each file's events before the late ones join
        for slot, rows_in_file in enumerate(files):
            end = day + (slot + 1) * SPAN - timedelta(seconds=60)  # the file's newest event: the watermark's base
            newest = own[slot][-1]
            newest[entity.event_time] = end  # type: ignore[index]
            rows_in_file.append(newest)  # the same event twice in one file
            plan.duplicates[entity.name].append(newest[key])  # type: ignore[index]
            if slot + 1 < SLOTS:
                files[slot + 1].append(newest)  # ...and again in the next file, within the watermark
                within = next(extra)
                offset_keys(entity, [within], base)
                within[entity.event_time] = end - timedelta(seconds=watermark_seconds // 2)
                files[slot + 1].append(within)
                plan.late_within[entity.name].append(within[key])
                plan.valid[entity.name][within[key]] = within
                if entity.role == "fact":  # a late dimension row would orphan facts; a late fact is just dropped
                    beyond = next(extra)
                    offset_keys(entity, [beyond], base)
                    beyond[entity.event_time] = day + slot * SPAN
                    files[slot + 1].append(beyond)
                    plan.late_beyond[entity.name].append(beyond[key])
        plan.files[entity.name] = []
        plan.malformed[entity.name] = 0
        for rows_in_file in files:
            bad = malformed(entity, rows_in_file[0])  # type: ignore[arg-type]
            lines = [payload(r) if isinstance(r, dict) else r for r in rows_in_file] + bad
            rng.shuffle(lines)  # out of order within the file
            plan.files[entity.name].append(lines)
            plan.malformed[entity.name] += len(bad)
    return plan


def event_path(settings: Settings, entity: str, ds: str, n: int) -> Path:
    """`DATA_DIR/events/<entity>/<ds>-<n>.jsonl`, the folder the local job reads as a stream."""
    return settings.data_dir / "events" / entity / f"{ds}-{n}.jsonl"


def write_events(plan: EventPlan, settings: Settings, ds: str) -> list[Path]:
    """Write the files of `plan`; each appears whole (renamed from a hidden temporary file, which Spark skips),
    with modification times in file order, the order the file source takes them in."""
    written = []
    now = time.time()
    for entity, files in plan.files.items():
        for n, lines in enumerate(files):
            path = event_path(settings, entity, ds, n)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.replace(temporary, path)
            os.utime(path, (now + n, now + n))
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: write the local event files of one date (production: nothing, the stream delivers)."""
    parser = argparse.ArgumentParser(description="Write the local event files of one date.")
    parser.add_argument("--ds", default=date.today().isoformat(), help="event date YYYY-MM-DD (default: today)")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"fact events (default: {DEFAULT_ROWS})")
    args = parser.parse_args(argv)
    settings = load_settings()
    if settings.is_prod:
        print("production: events come from the stream; nothing to generate")
        return 0
    stream = load_stream_settings(settings)
    plan = plan_events(args.ds, args.rows, stream.watermark_seconds)
    for path in write_events(plan, settings, args.ds):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
