"""Validate a data file or folder, local or in the object store, against its dataset's expectation suite
(GX Core 1.x, ephemeral context), chunk by chunk.

    python -m <package>.quality.validate --dataset <name> --data <file-folder-or-uri> [--suites <dir>]
                                          [--chunk-rows N]

`--data` is a local path or a URI (`file://`, `s3://`, `gs://`, `abfss://`; the cloud filesystem packages come with
the `prod` dependency group). Every row is validated, at most `--chunk-rows` rows at a time (default
$QUALITY_CHUNK_ROWS, else 100,000): see `loading` for the memory bound and `chunked` for how each expectation
is combined over the chunks.

Exit codes: 0 every expectation passed, 1 some expectation failed (the report names each failing column and
expectation with what was observed), 2 the input is unusable (missing, empty or unreadable, unknown dataset).
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from .chunked import validate_chunks
from .engine import _gx_suite, validate_frame
from .loading import chunk_rows, find_units, iter_batches
from .outcomes import BatchResult, Failure, report
from .suites import QualityInputError, load_suite

__all__ = ["BatchResult", "Failure", "_gx_suite", "main", "report", "validate_frame", "validate_path"]


def validate_path(
    dataset: str, data: str | Path, suites: str | Path | None = None, rows: int | None = None
) -> list[BatchResult]:
    """Validate the file or folder (or URI) `data` against the suite of `dataset`, `rows` rows at a time (default
    $QUALITY_CHUNK_ROWS); one result per unit (file or partition folder)."""
    suite = load_suite(dataset, suites)
    types = ((suite.get("meta") or {}).get("dataforge") or {}).get("column_types")  # suites of other datasets
    types = types if isinstance(types, dict) else None
    size = chunk_rows(rows)
    results = []
    for unit in find_units(data):
        reread = functools.partial(iter_batches, unit, dataset, types, size)  # reread(columns): those columns only
        results.append(validate_chunks(iter_batches(unit, dataset, types, size), suite, unit.label, reread))
    return results


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m " + __package__ + ".validate" if __package__ else None,
        description="Validate a data file or folder against its dataset's expectation suite.",
    )
    parser.add_argument("--dataset", required=True, help="dataset name (a suite <dataset>.json must exist)")
    parser.add_argument("--data", required=True, help="CSV/Parquet/JSON/JSONL file or folder, local or a URI")
    parser.add_argument("--suites", default=None, help="folder of suites (default: quality/expectations)")
    parser.add_argument("--chunk-rows", type=int, default=None, help="rows per chunk (default: $QUALITY_CHUNK_ROWS)")
    args = parser.parse_args(argv)
    try:
        results = validate_path(args.dataset, args.data, args.suites, args.chunk_rows)
    except QualityInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report(results))
    return 0 if all(r.success for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
