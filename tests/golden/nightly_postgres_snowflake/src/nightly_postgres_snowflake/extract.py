"""Extract from PostgreSQL and land raw files (the first two steps of the pipeline).

Locally (`DATAFORGE_ENV=local`) the extract step writes deterministic sample data, so the whole pipeline runs
with no external system. In production it reads PostgreSQL and lands raw files in s3.
PostgreSQL itself is read by the Spark job directly (`transform/io.py`), so in production this
step only records the run.
Heavy or optional clients are imported inside the functions that use them, so this module imports anywhere.

    python -m nightly_postgres_snowflake.extract --ds 2024-01-01
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import sample_data
from .config import Settings, load_settings
from .schema import ENTITIES

log = logging.getLogger(__name__)


@dataclass
class ExtractResult:
    """What one run extracted and where it landed (JSON-serialisable through `as_dict`)."""

    ds: str
    mode: str
    extracted: dict[str, str] = field(default_factory=dict)
    landed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict, e.g. for an Airflow XCom."""
        return {"ds": self.ds, "mode": self.mode, "extracted": self.extracted, "landed": self.landed}


def raw_key(entity: str, ds: str, filename: str | None = None) -> str:
    """Relative key of a raw file: `<entity>/ingest_date=<ds>/<entity>.csv`."""
    date.fromisoformat(ds)
    return f"{entity}/ingest_date={ds}/{filename or entity + '.csv'}"


def landing_path(settings: Settings, entity: str, ds: str) -> Path:
    """Local scratch file an extracted entity is written to before landing."""
    return settings.landing_dir / f"ds={ds}" / f"{entity}.csv"


# --- pure helpers (unit-tested without network) -------------------------------------------------------------


def paginate(
    fetch: Callable[..., tuple[list[dict[str, Any]], str | None]], first_url: str, max_pages: int = 10_000
) -> Iterator[dict[str, Any]]:
    """Yield records page by page: `fetch(url)` returns `(records, next_url_or_None)`."""
    url: str | None = first_url
    pages = 0
    while url:
        pages += 1
        if pages > max_pages:
            raise RuntimeError(f"more than {max_pages} pages; is the API's next link looping?")
        records, url = fetch(url)
        yield from records


def with_retries(
    call: Callable[..., Any],
    retries: int = 4,
    backoff: float = 1.0,
    retry_on: tuple[type[BaseException], ...] = (OSError,),
    sleep: Callable[..., None] = time.sleep,
) -> Any:
    """Run `call`, retrying transient errors with exponential backoff (1s, 2s, 4s, ...)."""
    for attempt in range(retries + 1):
        try:
            return call()
        except retry_on as error:
            if attempt == retries:
                raise
            delay = backoff * (2**attempt)
            log.warning("attempt %d failed (%s); retrying in %.1fs", attempt + 1, error, delay)
            sleep(delay)
    raise AssertionError("unreachable")


def to_rows(entity: str, records: list[dict[str, Any]], mapping: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Keep only the entity's columns from source records (`mapping`: entity column -> source field)."""
    names = ENTITIES[entity].column_names
    mapping = mapping or {}
    return [{name: record.get(mapping.get(name, name)) for name in names} for record in records]


def extract_source(settings: Settings, ds: str) -> dict[str, Path]:
    """PostgreSQL is read by the Spark job itself (`transform/io.py`); only record the run."""
    log.info("%s is read directly by Spark for %s; extract records the run only", "postgres", ds)
    return {}


# --- the two pipeline steps ----------------------------------------------------------------------------------


def extract(ds: str, settings: Settings | None = None, seed: int = 42, rows: int | None = None) -> dict[str, str]:
    """Step 1: pull one day from the source into the local landing folder; return `{entity: file}`."""
    settings = settings or load_settings()
    date.fromisoformat(ds)
    if settings.is_prod:
        files = extract_source(settings, ds)
    else:
        folder = settings.landing_dir / f"ds={ds}"
        counts = {name: sample_data.default_rows(name) if rows is None else rows for name in ENTITIES}
        files = {
            name: sample_data.write_csv(
                folder / f"{name}.csv", name, sample_data.generate(name, counts[name], seed, ref_rows=counts)
            )
            for name in ENTITIES
        }
    return {name: str(path) for name, path in files.items()}


def upload(local: Path, uri: str) -> None:
    """Copy one local file to the object store (client libraries imported lazily)."""
    import boto3  # production dependency

    bucket, _, key = uri.removeprefix("s3://").partition("/")
    boto3.client("s3").upload_file(str(local), bucket, key)


def land_raw(files: dict[str, str], ds: str, settings: Settings | None = None) -> dict[str, str]:
    """Step 2: move extracted files into the raw zone at `<raw>/<entity>/ingest_date=<ds>/`; idempotent."""
    settings = settings or load_settings()
    landed: dict[str, str] = {}
    for name, source in files.items():
        entity = name.split(":")[0]
        path = Path(source)
        key = raw_key(entity, ds, path.name)
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


def run(ds: str, settings: Settings | None = None, seed: int = 42, rows: int | None = None) -> ExtractResult:
    """Extract and land one day."""
    settings = settings or load_settings()
    extracted = extract(ds, settings, seed=seed, rows=rows)
    landed = land_raw(extracted, ds, settings)
    return ExtractResult(ds=ds, mode=settings.env, extracted=extracted, landed=landed)


def main(argv: list[str] | None = None) -> int:
    """Command line: extract and land one ingest date."""
    parser = argparse.ArgumentParser(description="Extract one day from PostgreSQL and land it raw.")
    parser.add_argument("--ds", default=date.today().isoformat(), help="ingest date YYYY-MM-DD (default: today)")
    parser.add_argument("--seed", type=int, default=42, help="sample-data seed (local only)")
    parser.add_argument("--rows", type=int, default=None, help="sample rows per entity (local only)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    print(json.dumps(run(args.ds, seed=args.seed, rows=args.rows).as_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
