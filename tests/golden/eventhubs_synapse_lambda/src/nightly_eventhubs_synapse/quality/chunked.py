"""Validate one unit (a file or a partition) chunk by chunk: every row is checked, memory stays bounded.

The loader hands over chunks of at most `QUALITY_CHUNK_ROWS` rows; each expectation of the suite is combined
over the chunks according to what it needs:

- row-wise expectations (GX column map, multicolumn map and column pair map expectations: not null, in set,
  between, regex, type list, value lengths...): run by GX on every chunk; unexpected rows and examples are
  added up, and `mostly` is applied to the totals.
- uniqueness (`expect_column_values_to_be_unique`, `expect_compound_columns_to_be_unique`): across the chunks,
  from a 64-bit hash of each non-null key. This is the one cost that grows with the partition: 8 bytes per row
  for each such expectation (10 million rows: 80 MB). When hashes repeat, a second pass over the key columns
  only collects the duplicated values for the report.
- row count (`expect_table_row_count_to_be_between`, `..._to_equal`): on the total number of rows.
- table shape (column set, ordered list, column count, column exists): on every chunk, reported once.
- any other expectation (aggregates such as a column's mean or maximum, increasing or decreasing values) is
  exact when the unit fits in one chunk; over several chunks it is reported as failed ("not evaluated") rather
  than passed on part of the data: raise QUALITY_CHUNK_ROWS for that dataset or state the rule row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .engine import _batch_definition, _gx_suite
from .loading import CHUNK_ENV, Batch
from .outcomes import EXAMPLES, BatchResult, Failure, _examples, _failure, _is_null, _raised, severity_of

ROW_COUNT = {"expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"}
UNIQUE = {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}
SHAPE = {
    "expect_table_columns_to_match_set",
    "expect_table_columns_to_match_ordered_list",
    "expect_table_column_count_to_equal",
    "expect_table_column_count_to_be_between",
    "expect_column_to_exist",
}
ACROSS_ROWS = {"expect_column_values_to_be_increasing", "expect_column_values_to_be_decreasing"}
INDEX = "dataforge_index"  # meta key that maps a GX result back to its expectation


def kind_of(expectation_type: str) -> str:
    """How an expectation is combined over chunks: `count`, `unique`, `shape`, `rows` or `whole`."""
    if expectation_type in ROW_COUNT:
        return "count"
    if expectation_type in UNIQUE:
        return "unique"
    if expectation_type in SHAPE:
        return "shape"
    if expectation_type in ACROSS_ROWS:
        return "whole"
    try:
        from great_expectations.expectations.expectation import (
            ColumnMapExpectation,
            ColumnPairMapExpectation,
            MulticolumnMapExpectation,
        )
        from great_expectations.expectations.registry import get_expectation_impl

        impl = get_expectation_impl(expectation_type)
    except Exception:  # an unknown type: GX reports it when the suite is built
        return "whole"
    row_wise = ColumnMapExpectation | MulticolumnMapExpectation | ColumnPairMapExpectation
    return "rows" if issubclass(impl, row_wise) else "whole"


@dataclass
class Tally:
    """One expectation's outcome so far, added up over the chunks seen."""

    type: str
    kwargs: dict[str, Any]
    kind: str
    failed: bool = False
    first: Failure | None = None  # the first failure GX reported, for results without counts
    error: str = ""
    counted: bool = False
    unexpected: int = 0
    elements: int = 0
    nonmissing: int = 0
    examples: list[Any] = field(default_factory=list)
    untyped: int = 0  # values the loader could not convert to the column's schema type
    untyped_type: str = ""
    untyped_examples: list[Any] = field(default_factory=list)

    @property
    def column(self) -> str | None:
        """The column checked, or the columns of a compound key."""
        column = self.kwargs.get("column")
        return column or (", ".join(self.kwargs["column_list"]) if self.kwargs.get("column_list") else None)

    def add(self, result: Any, batch: Batch) -> None:
        """Add one chunk's GX result."""
        raised = _raised(result.exception_info)
        if raised:
            self.error = self.error or raised
            return
        details = result.result or {}
        if not result.success:
            self.failed = True
            if self.first is None:
                self.first = _failure(self.type, self.kwargs, details, None)
            column = self.kwargs.get("column")
            if self.type == "expect_column_values_to_be_in_type_list" and column in batch.unconvertible:
                self.untyped_type, values = batch.unconvertible[column]
                self.untyped += len(values)
                self.untyped_examples.extend(values[:EXAMPLES])
        if "unexpected_count" in details:
            self.counted = True
            elements = details.get("element_count") or 0
            self.unexpected += details.get("unexpected_count") or 0
            self.elements += elements
            self.nonmissing += elements - (details.get("missing_count") or 0)
            if len(self.examples) < EXAMPLES * 4:
                self.examples.extend(v for v in details.get("partial_unexpected_list") or [] if not _is_null(v))

    def outcome(self, rows: int, chunks: int) -> Failure | None:
        """The combined failure (None when the expectation passed over every chunk)."""
        if self.error:
            return Failure(self.type, self.column, f"could not be evaluated: {self.error}")
        if self.kind == "whole" and chunks > 1:
            return Failure(
                self.type,
                self.column,
                f"not evaluated: it needs the whole column and the data came in {chunks} chunks "
                f"(raise {CHUNK_ENV} above {rows} or state the rule row by row)",
            )
        mostly = self.kwargs.get("mostly")
        if self.counted and isinstance(mostly, int | float) and mostly < 1:
            passed = not self.nonmissing or 1 - self.unexpected / self.nonmissing >= mostly
        else:
            passed = not self.failed
        if passed:
            return None
        if self.untyped:
            return Failure(
                self.type,
                self.column,
                f"{self.untyped} of {rows} rows are not {self.untyped_type}s; {_examples(self.untyped_examples)}",
            )
        if self.counted:
            counts = {
                "unexpected_count": self.unexpected,
                "element_count": self.elements,
                "partial_unexpected_list": self.examples,
            }
            return _failure(self.type, self.kwargs, counts, None)
        return self.first or Failure(self.type, self.column, "failed")


class Keys:
    """The hashes of one uniqueness expectation's keys over every chunk (8 bytes per non-null key)."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.hashes: list[np.ndarray] = []
        self.missing = ""

    def add(self, frame: pd.DataFrame) -> None:
        """Hash the keys of one chunk."""
        absent = [c for c in self.columns if c not in frame.columns]
        if absent:
            self.missing = self.missing or absent[0]
            return
        self.hashes.append(key_hashes(frame, self.columns)[1])

    def repeated(self) -> tuple[np.ndarray, int, int]:
        """(the hashes seen more than once, rows holding them, non-null keys)."""
        if not self.hashes:
            return np.array([], dtype=np.uint64), 0, 0
        values, counts = np.unique(np.concatenate(self.hashes), return_counts=True)
        self.hashes = []
        return values[counts > 1], int(counts[counts > 1].sum()), int(counts.sum())


def key_hashes(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(mask of the rows with a key, 64-bit hash of each such key). Like GX, a single-column key ignores nulls
    and a compound key ignores rows whose columns are all null. Numbers hash by value whatever their dtype, so a
    chunk read as float (because of a null) still matches an integer chunk."""
    keys = frame[columns]
    present = keys.notna().any(axis=1).to_numpy()
    canonical = pd.DataFrame({c: _canonical(keys[c][present]) for c in columns})
    return present, pd.util.hash_pandas_object(canonical, index=False).to_numpy()


def _canonical(series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        if pd.api.types.is_datetime64_any_dtype(series):
            if getattr(series.dt, "tz", None) is not None:
                series = series.dt.tz_convert("UTC").dt.tz_localize(None)
            return series.astype("datetime64[ns]")
        return series.astype(str).where(series.notna(), "\x00")
    if pd.api.types.is_integer_dtype(series):
        return series.astype("Int64")
    values = series.astype("float64")
    present = values.dropna()
    if bool((present % 1 == 0).all()) and (present.abs() < 2**53).all():
        return values.astype("Int64")  # 3.0 hashes like 3
    return values


def validate_chunks(
    batches: Iterable[Batch],
    suite: dict[str, Any],
    label: str,
    reread: Callable[[list[str]], Iterator[Batch]],
) -> BatchResult:
    """Run `suite` (GX JSON) over the chunks `batches` of one unit and combine the outcomes; `reread(columns)`
    reads the unit again (those columns only) when duplicated keys need examples."""
    expectations = suite["expectations"]
    tallies = [Tally(e["type"], e.get("kwargs") or {}, kind_of(e["type"])) for e in expectations]
    keys = {i: Keys(_key_columns(t.kwargs)) for i, t in enumerate(tallies) if t.kind == "unique"}
    first_suite = _chunk_suite(suite, tallies, {"shape", "rows", "whole"})
    later_suite = _chunk_suite(suite, tallies, {"shape", "rows"})
    rows = chunks = 0
    for batch in batches:
        gx_suite = first_suite if chunks == 0 else later_suite
        chunks += 1
        rows += len(batch.frame)
        for index in keys:
            keys[index].add(batch.frame)
        if gx_suite is None:
            continue
        outcome = _batch_definition().get_batch(batch_parameters={"dataframe": batch.frame}).validate(gx_suite)
        for result in outcome.results:
            tallies[int(result.expectation_config.meta[INDEX])].add(result, batch)
    failures: dict[int, Failure] = {}
    for index, tally in enumerate(tallies):
        if tally.kind == "count":
            failure = _row_count(tally, rows)
        elif tally.kind == "unique":
            failure = _uniqueness(tally, keys[index], rows)
        else:
            failure = tally.outcome(rows, chunks)
        if failure:
            failures[index] = failure
    _add_duplicate_examples(failures, tallies, keys, reread)
    found = [replace(f, severity=severity_of(expectations[i].get("meta"))) for i, f in failures.items()]
    return BatchResult(suite["name"], label, rows, len(expectations), found, chunks)


def _chunk_suite(suite: dict[str, Any], tallies: list[Tally], kinds: set[str]) -> Any:
    """The GX suite of the expectations run by GX on a chunk (each tagged with its index), or None if empty."""
    chosen = [
        {**e, "meta": {**(e.get("meta") or {}), INDEX: i}}
        for i, (e, t) in enumerate(zip(suite["expectations"], tallies, strict=True))
        if t.kind in kinds
    ]
    return _gx_suite({**suite, "expectations": chosen}) if chosen else None


def _key_columns(kwargs: dict[str, Any]) -> list[str]:
    return [kwargs["column"]] if kwargs.get("column") else list(kwargs.get("column_list") or [])


def _row_count(tally: Tally, rows: int) -> Failure | None:
    kwargs = tally.kwargs
    if tally.type == "expect_table_row_count_to_equal":
        passed = rows == kwargs.get("value")
    else:
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        above = low is None or (rows > low if kwargs.get("strict_min") else rows >= low)
        below = high is None or (rows < high if kwargs.get("strict_max") else rows <= high)
        passed = above and below
    return None if passed else _failure(tally.type, kwargs, {"observed_value": rows}, None)


def _uniqueness(tally: Tally, keys: Keys, rows: int) -> Failure | None:
    if keys.missing:
        return Failure(tally.type, tally.column, f"could not be evaluated: column {keys.missing!r} is not in the data")
    repeated, unexpected, nonmissing = keys.repeated()
    keys.hashes = [repeated]  # kept for the examples pass
    mostly = tally.kwargs.get("mostly")
    if isinstance(mostly, int | float) and mostly < 1:
        passed = not nonmissing or 1 - unexpected / nonmissing >= mostly
    else:
        passed = unexpected == 0
    if passed:
        return None
    tally.counted, tally.unexpected, tally.elements = True, unexpected, rows
    return Failure(tally.type, tally.column, "")  # described once the examples are known


def _add_duplicate_examples(
    failures: dict[int, Failure],
    tallies: list[Tally],
    keys: dict[int, Keys],
    reread: Callable[[list[str]], Iterator[Batch]],
) -> None:
    """Read the key columns again and fill in the duplicated values of each failed uniqueness expectation."""
    pending = {i: keys[i] for i in keys if i in failures and not failures[i].observed}
    if not pending:
        return
    examples: dict[int, list[Any]] = {i: [] for i in pending}
    columns = sorted({c for k in pending.values() for c in k.columns})
    for batch in reread(columns):
        for index, key in pending.items():
            if len(examples[index]) >= EXAMPLES:
                continue
            present, hashes = key_hashes(batch.frame, key.columns)
            hit = np.isin(hashes, key.hashes[0])
            values = batch.frame[key.columns][present][hit]
            for row in values.itertuples(index=False):
                value = row[0] if len(key.columns) == 1 else tuple(row)
                if value not in examples[index]:
                    examples[index].append(value)
        if all(len(found) >= EXAMPLES for found in examples.values()):
            break
    for index in pending:
        tally = tallies[index]
        counts = {
            "unexpected_count": tally.unexpected,
            "element_count": tally.elements,
            "partial_unexpected_list": examples[index],
        }
        failures[index] = _failure(tally.type, tally.kwargs, counts, None)
        if tally.column and not failures[index].column:
            failures[index] = Failure(tally.type, tally.column, failures[index].observed)
