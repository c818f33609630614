"""The quality gate: validate every curated dataset of one ingest date before dbt reads it.

It reads the curated zone that the project's settings name (`config.load_settings().curated_root`): `data/curated`
under `DATA_DIR` locally, the curated bucket in production (`s3://`, `gs://` or `abfss://`, opened with fsspec;
the filesystem package is in the `prod` dependency group). Each partition is streamed in chunks of at most
`QUALITY_CHUNK_ROWS` rows and every row is validated, so the worker never holds a whole partition (memory bound:
see `loading`; how expectations are combined over chunks: see `chunked`).

Called by the Airflow DAG and `make run`, or from a shell (exit code 0 passed, 1 failed, 2 unusable settings).
Expectations marked `meta.severity: warning` (example rules nobody stated) are reported and never fail the gate:

    run_quality_gate(ds)  # raises QualityGateError (the report) when any dataset fails
    python -m <package>.quality.gate --ds YYYY-MM-DD [--curated-root URI] [--dataset NAME ...] [--chunk-rows N]
    (`--hour HH` too, required, in a project partitioned by hour)

Use `python -m`, not `python -c "..."`: with PySpark installed, importing Great Expectations from a
`python -c` program makes PySpark's Spark Connect check exit the process with status 0 before any validation.
"""

from __future__ import annotations

import argparse
import posixpath
import sys
from pathlib import Path

from ..config import ConfigError, add_run_arguments, load_settings, partition_dir
from ..schema import ENTITIES
from .loading import chunk_rows
from .storage import join, resolve
from .suites import QualityInputError, discover
from .validate import report, validate_path

PARTITION = "ingest_date"  # the Spark job partitions curated tables by ingest date (and hour: `partition_dir`)


class QualityGateError(RuntimeError):
    """Raised by `run_quality_gate` when a dataset fails its suite or has no usable data; the message is
    the full report."""


def curated_root(explicit: str | Path | None = None) -> str:
    """`explicit`, else the curated zone of the current settings (`DATAFORGE_ENV`, `DATA_DIR`, `CURATED_BUCKET`...)."""
    return str(explicit) if explicit else load_settings().curated_root


def curated_partition(root: str | Path, dataset: str, ds: str, hour: str | None = None) -> str:
    """Where the Spark job writes `dataset` for `ds`: `<curated root>/<dataset>/ingest_date=<ds>/` (path or URI),
    `.../ingest_hour=<HH>/` below it for one hour of an hour-grain project."""
    return join(root, dataset, *partition_dir(ds, hour).split("/"))


def default_datasets(root: str | Path, suites_dir: str | Path | None = None) -> list[str]:
    """Every entity, plus every other suite whose dataset has a folder in the curated zone."""
    extra = [name for name in discover(suites_dir) if name not in ENTITIES]
    if not extra:
        return list(ENTITIES)
    location = resolve(root)
    return [*ENTITIES, *(name for name in extra if location.fs.isdir(posixpath.join(location.path, name)))]


def run_quality_gate(
    ds: str,
    *,
    root: str | Path | None = None,
    datasets: list[str] | None = None,
    suites_dir: str | Path | None = None,
    rows: int | None = None,
    hour: str | None = None,
) -> None:
    """Validate the curated partition of `ds` of each dataset (default: all) under `root` (default: the settings'
    curated zone), `rows` rows at a time (default: $QUALITY_CHUNK_ROWS); raise `QualityGateError` with the report
    when any fails. The report is printed either way."""
    zone = curated_root(root)
    size = chunk_rows(rows)
    names = list(datasets) if datasets else default_datasets(zone, suites_dir)
    sections, failed, warnings = [], [], 0
    for name in names:
        partition = curated_partition(zone, name, ds, hour)
        try:
            results = validate_path(name, partition, suites_dir, size)
        except QualityInputError as exc:
            sections.append(f"FAILED {name}: {exc}")
            failed.append(name)
            continue
        sections.append(report(results))
        warnings += sum(len(r.warnings) for r in results)
        if not all(r.success for r in results):
            failed.append(name)
    run_label = ds if hour is None else f"{ds} hour {hour}"
    summary = f"quality gate for {run_label} on {zone}: {len(names) - len(failed)} of {len(names)} datasets passed"
    if warnings:  # example rules nobody stated (meta.severity: warning): reported, never failing the gate
        summary += f"; {warnings} warnings"
    if failed:
        summary += f"; failed: {', '.join(failed)}"
    text = "\n".join([*sections, summary])
    print(text)
    if failed:
        raise QualityGateError(text)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description="Validate every curated dataset of one ingest date.")
    parser.add_argument("--ds", required=True, help="ingest date YYYY-MM-DD")
    parser.add_argument("--curated-root", default=None, help="curated zone, path or URI (default: from the settings)")
    parser.add_argument("--dataset", action="append", help="dataset to check (repeatable; default: all)")
    parser.add_argument("--suites", default=None, help="folder of suites (default: quality/expectations)")
    parser.add_argument("--chunk-rows", type=int, default=None, help="rows per chunk (default: $QUALITY_CHUNK_ROWS)")
    add_run_arguments(parser)
    args = parser.parse_args(argv)
    try:
        run_quality_gate(
            args.ds,
            root=args.curated_root,
            datasets=args.dataset,
            suites_dir=args.suites,
            rows=args.chunk_rows,
            hour=getattr(args, "hour", None),
        )
    except QualityGateError:
        return 1
    except (ConfigError, QualityInputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
