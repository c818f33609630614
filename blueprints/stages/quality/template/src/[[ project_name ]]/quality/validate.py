"""Validate a data file or folder against its dataset's expectation suite (GX Core 1.x, ephemeral context).

    python -m <package>.quality.validate --dataset <name> --data <file-or-folder> [--suites <dir>]

Exit codes: 0 every expectation passed, 1 some expectation failed (the report names each failing column and
expectation with what was observed), 2 the input is unusable (missing, empty or unreadable, unknown dataset).
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .loading import load_batches
from .suites import QualityInputError, load_suite

EXAMPLES = 5  # unexpected values shown per failing expectation


@dataclass(frozen=True)
class Failure:
    """One failed expectation: its type, the column it checks (None for table-level ones) and what was seen."""

    expectation: str
    column: str | None
    observed: str

    def describe(self) -> str:
        """One report line."""
        return f"{self.column or '<table>'}: {self.expectation}: {self.observed}"


@dataclass
class BatchResult:
    """The outcome of one batch: how many expectations ran and which failed."""

    dataset: str
    label: str
    rows: int
    evaluated: int
    failures: list[Failure] = field(default_factory=list)

    @property
    def success(self) -> bool:
        """True when every expectation passed."""
        return not self.failures


@functools.cache
def _batch_definition() -> Any:
    """An ephemeral GX context with one pandas DataFrame batch definition (built once per process)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("dataforge").add_dataframe_asset("frames")
    return asset.add_batch_definition_whole_dataframe("whole")


def _gx_suite(suite: dict[str, Any]) -> Any:
    import great_expectations as gx

    expectations = [
        {"type": e["type"], "kwargs": e.get("kwargs") or {}, "meta": e.get("meta") or {}} for e in suite["expectations"]
    ]
    return gx.ExpectationSuite(name=suite["name"], expectations=expectations, meta=suite.get("meta") or {})


def validate_frame(
    frame: pd.DataFrame,
    suite: dict[str, Any],
    label: str = "data",
    unconvertible: dict[str, tuple[str, list[Any]]] | None = None,
) -> BatchResult:
    """Run `suite` (GX JSON) on `frame` and collect the failures.

    `unconvertible` (from the loader) names columns left untyped and their offending values, so a failed
    type check reports those values rather than the whole column."""
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    outcome = batch.validate(_gx_suite(suite))
    failures = []
    for r in outcome.results:
        if r.success:
            continue
        kind, kwargs = r.expectation_config.type, r.expectation_config.kwargs
        column = kwargs.get("column")
        if kind == "expect_column_values_to_be_in_type_list" and column in (unconvertible or {}):
            type_, values = (unconvertible or {})[column]
            failures.append(
                Failure(kind, column, f"{len(values)} of {len(frame)} rows are not {type_}s; {_examples(values)}")
            )
        else:
            failures.append(_failure(kind, kwargs, r.result, r.exception_info))
    return BatchResult(suite["name"], label, len(frame), len(outcome.results), failures)


def validate_path(dataset: str, data: str | Path, suites: str | Path | None = None) -> list[BatchResult]:
    """Validate the file or folder `data` against the suite of `dataset`; one result per batch."""
    suite = load_suite(dataset, suites)
    types = ((suite.get("meta") or {}).get("dataforge") or {}).get("column_types")  # suites of other datasets
    batches = load_batches(data, dataset, types if isinstance(types, dict) else None)
    return [validate_frame(b.frame, suite, b.label, b.unconvertible) for b in batches]


def _failure(kind: str, kwargs: dict[str, Any], result: dict[str, Any], error: Any) -> Failure:
    column = kwargs.get("column")
    raised = _raised(error)
    if raised:
        return Failure(kind, column, f"could not be evaluated: {raised}")
    parts = []
    if "unexpected_count" in result:
        count, total = result.get("unexpected_count") or 0, result.get("element_count") or 0
        parts.append(f"{count} of {total} rows unexpected")
        examples = [v for v in result.get("partial_unexpected_list") or [] if not _is_null(v)]
        if examples:
            parts.append(_examples(examples))
    elif "observed_value" in result:
        parts.append(f"observed {result['observed_value']!r}")
        mismatched = (result.get("details") or {}).get("mismatched")
        if mismatched:
            parts.append(f"mismatched columns {mismatched}")
    expected = _expected(kwargs)
    if expected:
        parts.append(f"expected {expected}")
    return Failure(kind, column, "; ".join(parts) or "failed")


def _raised(error: Any) -> str:
    """The message of an exception GX caught while evaluating an expectation (empty when none)."""
    infos = error.values() if isinstance(error, dict) and "raised_exception" not in error else [error]
    for info in infos:
        if isinstance(info, dict) and info.get("raised_exception"):
            return str(info.get("exception_message") or "error").splitlines()[0]
    return ""


def _examples(values: list[Any]) -> str:
    """`e.g. 'x', 4` with up to EXAMPLES distinct values, numpy scalars shown as plain Python values."""
    distinct: list[Any] = []
    for value in values:
        plain = value.item() if hasattr(value, "item") and callable(value.item) else value
        if plain not in distinct:
            distinct.append(plain)
    return "e.g. " + ", ".join(repr(v) for v in distinct[:EXAMPLES])


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) in {"<NA>", "NaT", "nan"}


def _expected(kwargs: dict[str, Any]) -> str:
    if "value_set" in kwargs:
        return f"one of {list(kwargs['value_set'])}"
    if "regex" in kwargs:
        return f"to match {kwargs['regex']}"
    if "type_list" in kwargs:
        return f"a type in {list(kwargs['type_list'])}"
    if "column_set" in kwargs:
        return f"columns {list(kwargs['column_set'])}"
    if "min_value" in kwargs or "max_value" in kwargs:
        return f"between {kwargs.get('min_value')} and {kwargs.get('max_value')}"
    return ""


def report(results: list[BatchResult]) -> str:
    """A readable report: one header line per batch, then one line per failed expectation."""
    lines = []
    for r in results:
        if r.success:
            lines.append(f"PASSED {r.dataset} ({r.label}, {r.rows} rows): {r.evaluated} expectations")
            continue
        lines.append(
            f"FAILED {r.dataset} ({r.label}, {r.rows} rows): {len(r.failures)} of {r.evaluated} expectations failed"
        )
        lines.extend(f"  - {failure.describe()}" for failure in r.failures)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m " + __package__ + ".validate" if __package__ else None,
        description="Validate a data file or folder against its dataset's expectation suite.",
    )
    parser.add_argument("--dataset", required=True, help="dataset name (a suite <dataset>.json must exist)")
    parser.add_argument("--data", required=True, help="CSV/Parquet/JSON/JSONL file, or a folder of them")
    parser.add_argument("--suites", default=None, help="folder of suites (default: quality/expectations)")
    args = parser.parse_args(argv)
    try:
        results = validate_path(args.dataset, args.data, args.suites)
    except QualityInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report(results))
    return 0 if all(r.success for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
