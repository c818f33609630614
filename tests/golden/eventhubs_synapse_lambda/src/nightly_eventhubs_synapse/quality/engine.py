"""Great Expectations (GX Core 1.x) glue: one ephemeral context with a pandas DataFrame batch definition, suites
built from GX JSON, and the validation of one frame."""

from __future__ import annotations

import functools
import os
from dataclasses import replace
from typing import Any

import pandas as pd

from .outcomes import BatchResult, Failure, _examples, _failure, severity_of


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
            failure = Failure(kind, column, f"{len(values)} of {len(frame)} rows are not {type_}s; {_examples(values)}")
        else:
            failure = _failure(kind, kwargs, r.result, r.exception_info)
        failures.append(replace(failure, severity=severity_of(r.expectation_config.meta)))
    return BatchResult(suite["name"], label, len(frame), len(outcome.results), failures)
