"""Does a data file pass an existing expectation? Answered from its profile, without GX.

Used when a suite proposed from a file is merged into a suite that was already there (derived from the
project's schema, or written or edited by the user): an expectation the file fails must not survive the merge
silently, or the suite would reject the very file it was built from. Regex checks need the values, so they are
answered by one more pass over the file, for the patterns that need it only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from dataforge.quality.profile import ColumnProfile, TableProfile
from dataforge.quality.propose import TYPE_LISTS
from dataforge.quality.readers import read_rows

PASSES = ""  # the verdict for an expectation the file passes; a failure is its reason; None: cannot tell
Verdict = str | None
Pattern = tuple[str, str]  # (column, regex)


def columns_of(expectation: dict[str, Any]) -> list[str]:
    """The columns an expectation reads (none for table-level expectations)."""
    kwargs = expectation.get("kwargs") or {}
    found: list[str] = []
    for name in ("column", "column_A", "column_B"):
        if isinstance(kwargs.get(name), str):
            found.append(kwargs[name])
    listed = kwargs.get("column_list")
    if isinstance(listed, list):
        found += [str(c) for c in listed]
    return found


def patterns_to_check(expectations: Iterable[dict[str, Any]], columns: set[str]) -> set[Pattern]:
    """The (column, regex) pairs of regex expectations on columns the file has."""
    out = set()
    for e in expectations:
        kwargs = e.get("kwargs") or {}
        if e.get("type") == "expect_column_values_to_match_regex" and kwargs.get("column") in columns:
            out.add((str(kwargs["column"]), str(kwargs.get("regex", ""))))
    return out


def count_misses(path: Path, patterns: set[Pattern]) -> dict[Pattern, int]:
    """How many non-null values of each column do not match its pattern (GX searches, like `re.search`)."""
    misses = dict.fromkeys(patterns, 0)
    if not patterns:
        return misses
    compiled = {p: re.compile(p[1]) for p in patterns}
    _, rows = read_rows(path)
    for row, _done in rows:
        for pattern, regex in compiled.items():
            value = row.get(pattern[0])
            if value is not None and not regex.search(str(value)):
                misses[pattern] += 1
    return misses


def verdict(expectation: dict[str, Any], profile: TableProfile, misses: dict[Pattern, int]) -> Verdict:
    """PASSES, the reason the file fails the expectation, or None when the profile cannot tell."""
    kind = str(expectation.get("type"))
    kwargs = expectation.get("kwargs") or {}
    if kind == "expect_table_columns_to_match_set":
        return _column_set(kwargs, profile.columns)
    if kind == "expect_table_row_count_to_be_between":
        inside = _inside(profile.rows, kwargs.get("min_value"), kwargs.get("max_value"))
        return PASSES if inside else f"the file has {profile.rows:,} rows"
    if kind == "expect_column_to_exist":
        return PASSES if kwargs.get("column") in profile.columns else None
    column = profile.profiles.get(str(kwargs.get("column")))
    if column is None:
        return None  # excluded from profiling, or not a single-column expectation
    mostly = float(kwargs.get("mostly", 1) or 1)
    if kind == "expect_column_values_to_match_regex":
        missed = misses.get((column.name, str(kwargs.get("regex", ""))))
        if missed is None:
            return None
        return _share(missed, column.non_null, mostly, "do not match the pattern")
    check = _COLUMN_CHECKS.get(kind)
    return check(column, kwargs, mostly, profile.rows) if check else None


def _column_set(kwargs: dict[str, Any], columns: list[str]) -> Verdict:
    wanted = {str(c) for c in kwargs.get("column_set") or []}
    have = set(columns)
    missing, extra = sorted(wanted - have), sorted(have - wanted)
    if kwargs.get("exact_match", True) is not False and (missing or extra):
        return _listing(missing, extra)
    return _listing(missing, []) if missing else PASSES


def _listing(missing: list[str], extra: list[str]) -> str:
    parts = [f"the file lacks {', '.join(missing)}"] if missing else []
    parts += [f"the file also has {', '.join(extra)}"] if extra else []
    return "; ".join(parts)


def _share(bad: int, of: int, mostly: float, what: str) -> Verdict:
    if bad <= of * (1 - mostly) + 1e-9:
        return PASSES
    return f"{bad:,} of {of:,} values {what}"


def _inside(value: float | datetime, low: Any, high: Any) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _type_list(c: ColumnProfile, kwargs: dict[str, Any], mostly: float, rows: int) -> Verdict:
    if c.kind == "unknown":
        return None
    if set(TYPE_LISTS[c.kind]) & {str(t) for t in kwargs.get("type_list") or []}:
        return PASSES
    return f"the file's values read as {c.kind}"


def _not_null(c: ColumnProfile, kwargs: dict[str, Any], mostly: float, rows: int) -> Verdict:
    return _share(c.nulls, rows, mostly, "are null")


def _unique(c: ColumnProfile, kwargs: dict[str, Any], mostly: float, rows: int) -> Verdict:
    if c.is_unique or not c.non_null:
        return PASSES
    return "values repeat in the file" if mostly >= 1 else None


def _between(c: ColumnProfile, kwargs: dict[str, Any], mostly: float, rows: int) -> Verdict:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if c.kind in ("integer", "decimal") and c.num_min is not None and c.num_max is not None:
        seen: tuple[Any, Any] = (c.num_min, c.num_max)
        if not all(isinstance(b, int | float) or b is None for b in (low, high)):
            return None
    elif c.kind in ("date", "timestamp") and c.t_min is not None and c.t_max is not None:
        seen = (c.t_min, c.t_max)
        try:
            low, high = (None if b is None else datetime.fromisoformat(str(b)) for b in (low, high))
        except ValueError:
            return None
        if any(b is not None and b.tzinfo is not None for b in (low, high)):
            return None  # the profile keeps naive UTC times: comparing would guess
    else:
        return None
    if _inside(seen[0], low, high) and _inside(seen[1], low, high):
        return PASSES
    return f"the file's values range over {seen[0]}..{seen[1]}" if mostly >= 1 else None


def _in_set(c: ColumnProfile, kwargs: dict[str, Any], mostly: float, rows: int) -> Verdict:
    if c.categories is None:
        return None  # too many distinct values were seen to list them
    allowed = {str(v) for v in kwargs.get("value_set") or []}
    outside = {v: n for v, n in c.categories.items() if v not in allowed}
    verdict = _share(sum(outside.values()), c.non_null, mostly, "are outside the set")
    return verdict and f"{verdict}, e.g. {sorted(outside)[:3]}"


def _lengths(c: ColumnProfile, kwargs: dict[str, Any], mostly: float, rows: int) -> Verdict:
    if c.len_min is None or c.len_max is None:
        return PASSES
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if _inside(c.len_min, low, high) and _inside(c.len_max, low, high):
        return PASSES
    return f"the file's values have {c.len_min}..{c.len_max} characters" if mostly >= 1 else None


_COLUMN_CHECKS = {
    "expect_column_values_to_be_in_type_list": _type_list,
    "expect_column_values_to_not_be_null": _not_null,
    "expect_column_values_to_be_unique": _unique,
    "expect_column_values_to_be_between": _between,
    "expect_column_values_to_be_in_set": _in_set,
    "expect_column_value_lengths_to_be_between": _lengths,
}
