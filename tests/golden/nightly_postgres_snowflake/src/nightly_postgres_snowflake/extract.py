"""Extract one day from PostgreSQL and land it raw (the first two steps of the pipeline).

Locally (`DATAFORGE_ENV=local`) the extract step writes deterministic sample data, so the whole pipeline runs
with no external system. In production it calls the source reader, `source.extract_source`, which either downloads
the day into the landing folder or returns None when the Spark job reads the source itself (`source.read_source`);
extract never needs to know which. The land step copies the landing folder into the raw zone (s3 in
production), partitioned by ingest date. Both steps are idempotent: a rerun rewrites the same files.

    python -m nightly_postgres_snowflake.extract --ds 2024-01-01                 # both steps
    python -m nightly_postgres_snowflake.extract --only extract --ds 2024-01-01  # into data/landing/ds=<ds>/
    python -m nightly_postgres_snowflake.extract --only land --ds 2024-01-01     # landing folder -> raw zone

Run as two steps (as the Airflow DAG does), both must see the same landing folder (`DATA_DIR`).
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import sample_data, source
from .config import Settings, add_run_arguments, load_settings, partition_dir
from .extract_helpers import landing_folder, landing_path
from .object_store import upload
from .schema import ENTITIES

log = logging.getLogger(__name__)
STEPS = ("extract", "land")


@dataclass
class ExtractResult:
    """What one run extracted and where it landed (JSON-serialisable through `as_dict`)."""

    ds: str
    mode: str
    hour: str | None = None
    extracted: dict[str, str] = field(default_factory=dict)
    landed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict, e.g. for an Airflow XCom."""
        hour = {} if self.hour is None else {"hour": self.hour}
        return {"ds": self.ds, **hour, "mode": self.mode, "extracted": self.extracted, "landed": self.landed}


def raw_key(entity: str, ds: str, filename: str | None = None, hour: str | None = None) -> str:
    """Relative key of a raw file: `<entity>/ingest_date=<ds>/<entity>.csv` (`.../ingest_hour=<HH>/...` for an hour)."""
    date.fromisoformat(ds)
    return f"{entity}/{partition_dir(ds, hour)}/{filename or entity + '.csv'}"


def sample_files(
    settings: Settings, ds: str, seed: int = 42, rows: int | None = None, hour: str | None = None
) -> dict[str, Path]:
    """Local source: write deterministic sample data for every entity into the landing folder."""
    counts = {name: sample_data.default_rows(name) if rows is None else rows for name in ENTITIES}
    return {
        name: sample_data.write_csv(
            landing_path(settings, name, ds, hour=hour),
            name,
            sample_data.generate(name, counts[name], seed, ref_rows=counts),
        )
        for name in ENTITIES
    }


def landed_files(settings: Settings, ds: str, hour: str | None = None) -> dict[str, str]:
    """The files waiting in the landing folder for `ds`: `{entity: file}`, or `{entity:name: file}` when several."""
    files: dict[str, str] = {}
    for entity in ENTITIES:
        folder = landing_folder(settings, ds, hour) / entity
        paths = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        for path in paths:
            files[entity if len(paths) == 1 else f"{entity}:{path.name}"] = str(path)
    return files


# --- the two pipeline steps ----------------------------------------------------------------------------------


def extract(
    ds: str, settings: Settings | None = None, seed: int = 42, rows: int | None = None, hour: str | None = None
) -> dict[str, str]:
    """Step 1: pull one day (or one `hour`) from the source into the local landing folder; return `{entity: file}`."""
    settings = settings or load_settings()
    date.fromisoformat(ds)
    shutil.rmtree(landing_folder(settings, ds, hour), ignore_errors=True)  # a rerun starts from an empty folder
    if not settings.is_prod:
        files: dict[str, Path] | None = sample_files(settings, ds, seed=seed, rows=rows, hour=hour)
    else:
        files = source.extract_source(settings, ds, hour)
        if files is None:
            log.info("the Spark job reads the source directly for %s; nothing to extract", ds)
            files = {}
    return {name: str(path) for name, path in files.items()}


def land_raw(
    files: dict[str, str], ds: str, settings: Settings | None = None, hour: str | None = None
) -> dict[str, str]:
    """Step 2: copy extracted files into the raw zone at `<raw>/<entity>/<partition_dir(ds, hour)>/`; idempotent."""
    settings = settings or load_settings()
    landed: dict[str, str] = {}
    for name, source_file in files.items():
        entity = name.split(":")[0]
        path = Path(source_file)
        key = raw_key(entity, ds, path.name, hour)
        if settings.is_prod:
            target = f"{settings.raw_root}/{key}"
            upload(path, target)
        else:
            target_path = Path(settings.raw_root) / key
            target_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target_path)
            target = str(target_path)
        landed[name] = target
    log.info("landed %d raw file(s) for %s", len(landed), ds)
    return landed


def run(
    ds: str,
    settings: Settings | None = None,
    seed: int = 42,
    rows: int | None = None,
    only: str | None = None,
    hour: str | None = None,
) -> ExtractResult:
    """Extract and land one day (or one `hour`); `only="extract"` or `only="land"` runs one of the two steps."""
    if only is not None and only not in STEPS:
        raise ValueError(f"only must be one of {STEPS}, not {only!r}")
    date.fromisoformat(ds)
    settings = settings or load_settings()
    result = ExtractResult(ds=ds, mode=settings.env, hour=hour)
    if only in (None, "extract"):
        result.extracted = extract(ds, settings, seed=seed, rows=rows, hour=hour)
    if only in (None, "land"):
        files = result.extracted if only is None else landed_files(settings, ds, hour)
        if not files and not settings.is_prod:
            log.warning("nothing to land for %s: run `--only extract --ds %s` first", ds, ds)
        result.landed = land_raw(files, ds, settings, hour)
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line: extract and land one ingest date (or one of the two steps with `--only`)."""
    parser = argparse.ArgumentParser(description="Extract one day from PostgreSQL and land it raw.")
    parser.add_argument("--ds", default=date.today().isoformat(), help="ingest date YYYY-MM-DD (default: today)")
    parser.add_argument("--seed", type=int, default=42, help="sample-data seed (local only)")
    parser.add_argument("--rows", type=int, default=None, help="sample rows per entity (local only)")
    parser.add_argument(
        "--only",
        choices=STEPS,
        default=None,
        help="extract: write the landing files; land: land what the landing folder holds (default: both)",
    )
    add_run_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    result = run(args.ds, seed=args.seed, rows=args.rows, only=args.only, hour=getattr(args, "hour", None))
    print(json.dumps(result.as_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
