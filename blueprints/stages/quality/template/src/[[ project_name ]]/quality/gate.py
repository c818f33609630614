"""The quality gate: validate every curated dataset of one ingest date before dbt reads it.

Called by the Airflow DAG, and from a shell (exit code 0 passed, 1 failed):

    run_quality_gate(data_dir, ds)  # raises QualityGateError (the report) when any dataset fails
    python -m <package>.quality.gate --ds YYYY-MM-DD [--data-dir data] [--dataset NAME ...]

Use `python -m`, not `python -c "..."`: with PySpark installed, importing Great Expectations from a
`python -c` program makes PySpark's Spark Connect check exit the process with status 0 before any validation.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..schema import ENTITIES
from .suites import QualityInputError, discover
from .validate import report, validate_path


class QualityGateError(RuntimeError):
    """Raised by `run_quality_gate` when a dataset fails its suite or has no usable data; the message is
    the full report."""


def curated_partition(data_dir: str | Path, dataset: str, ds: str) -> Path:
    """Where the Spark job writes `dataset` for `ds`: `<data_dir>/curated/<dataset>/ingest_date=<ds>/`."""
    return Path(data_dir) / "curated" / dataset / f"ingest_date={ds}"


def default_datasets(data_dir: str | Path, suites_dir: str | Path | None = None) -> list[str]:
    """Every entity, plus every other suite whose dataset has a curated folder."""
    extra = [name for name in discover(suites_dir) if name not in ENTITIES]
    return [*ENTITIES, *(name for name in extra if (Path(data_dir) / "curated" / name).is_dir())]


def run_quality_gate(
    data_dir: str | Path,
    ds: str,
    datasets: list[str] | None = None,
    suites_dir: str | Path | None = None,
) -> None:
    """Validate the curated partition of `ds` of each dataset (default: all); raise `QualityGateError` with
    the report when any fails. The report is printed either way."""
    names = list(datasets) if datasets else default_datasets(data_dir, suites_dir)
    sections, failed = [], []
    for name in names:
        partition = curated_partition(data_dir, name, ds)
        try:
            results = validate_path(name, partition, suites_dir)
        except QualityInputError as exc:
            sections.append(f"FAILED {name}: {exc}")
            failed.append(name)
            continue
        sections.append(report(results))
        if not all(r.success for r in results):
            failed.append(name)
    summary = f"quality gate for {ds}: {len(names) - len(failed)} of {len(names)} datasets passed"
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
    parser.add_argument("--data-dir", default=os.environ.get("DATA_DIR", "data"), help="data root (default: $DATA_DIR)")
    parser.add_argument("--dataset", action="append", help="dataset to check (repeatable; default: all)")
    parser.add_argument("--suites", default=None, help="folder of suites (default: quality/expectations)")
    args = parser.parse_args(argv)
    try:
        run_quality_gate(args.data_dir, args.ds, args.dataset, args.suites)
    except QualityGateError:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
