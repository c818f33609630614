"""Profile -> proposed expectations, each with the reason it was proposed.

Margins make a suite describe the data's population rather than the one sample: numeric and date ranges are
widened, the null tolerance is derived from the observed null rate, and the row count is a band.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dataforge.errors import UsageError
from dataforge.quality.profile import FORMATS, ColumnProfile, TableProfile

TYPE_LISTS: dict[str, list[str]] = {  # pandas dtype names, as in the quality blueprint's suites
    "integer": ["int64", "int32", "Int64Dtype", "Int32Dtype"],
    "decimal": ["float64", "float32", "Float64Dtype"],
    "string": ["str", "StringDtype"],
    "timestamp": ["datetime64[ns]", "datetime64[us]", "datetime64[ms]", "datetime64[s]"],
    "date": ["datetime64[ns]", "datetime64[us]", "datetime64[ms]", "datetime64[s]"],
    "boolean": ["bool", "BooleanDtype"],
}
KEY_NAME = re.compile(r"(^id$|_id$|^id_|_key$|^key$|uuid|guid|code$|email|_no$|number$)")


@dataclass(frozen=True)
class Strictness:
    """How tight proposals are: `mostly` for value checks, margins for ranges, the row-count band."""

    name: str
    mostly: float
    range_margin: float
    null_slack: float
    rows_low: float
    rows_high: float


LEVELS = {
    "strict": Strictness("strict", 1.0, 0.02, 0.0, 0.5, 2.0),
    "balanced": Strictness("balanced", 1.0, 0.10, 0.01, 0.1, 10.0),
    "lenient": Strictness("lenient", 0.95, 0.25, 0.05, 0.0, 100.0),
}


def strictness(level: str = "balanced", mostly: float | None = None) -> Strictness:
    """The named level, with `mostly` overriding its value threshold."""
    if level not in LEVELS:
        raise UsageError(f"Unknown strictness {level!r}.", hint="Use --strict, --lenient or neither.")
    chosen = LEVELS[level]
    if mostly is None:
        return chosen
    if not 0 < mostly <= 1:
        raise UsageError(f"--mostly must be in (0, 1], got {mostly}.", hint="E.g. --mostly 0.98.")
    return Strictness(
        chosen.name, mostly, chosen.range_margin, chosen.null_slack, chosen.rows_low, chosen.rows_high
    )


@dataclass
class Proposal:
    """One proposed expectation (GX type and kwargs) and why."""

    type: str
    kwargs: dict[str, Any]
    why: str

    @property
    def column(self) -> str | None:
        """The column it checks (None for table-level expectations)."""
        column = self.kwargs.get("column")
        return str(column) if column is not None else None


@dataclass
class Proposed:
    """A whole proposal: the expectations, the column types the validator should read, notes."""

    expectations: list[Proposal]
    column_types: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _mostly(kwargs: dict[str, Any], mostly: float) -> dict[str, Any]:
    return {**kwargs, "mostly": mostly} if mostly < 1 else kwargs


def _floor3(value: float) -> float:
    return math.floor(value * 1000) / 1000


def _plain(value: float, integer: bool) -> float | int:
    return int(value) if integer else float(f"{value:.6g}")


def propose(profile: TableProfile, level: Strictness, exclude: set[str] | None = None) -> Proposed:
    """Propose a suite for a profiled sample."""
    skip = exclude or set()
    unknown = sorted(skip - set(profile.columns))
    if unknown:
        raise UsageError(
            f"--exclude names columns the sample does not have: {', '.join(unknown)}.",
            hint=f"Columns: {', '.join(profile.columns)}.",
        )
    n = profile.rows
    low = max(1, math.floor(n * level.rows_low))
    high = math.ceil(n * level.rows_high)
    out = [
        Proposal(
            "expect_table_columns_to_match_set",
            {"column_set": list(profile.columns), "exact_match": level.name != "lenient"},
            f"the sample has these {len(profile.columns)} columns",
        ),
        Proposal(
            "expect_table_row_count_to_be_between",
            {"min_value": low, "max_value": high},
            f"{n:,} rows in the sample; band x{level.rows_low:g}..x{level.rows_high:g}",
        ),
    ]
    proposed = Proposed(out)
    for name in profile.columns:
        column = profile.profiles.get(name)
        if column is None or name in skip:
            continue
        if column.kind == "unknown":
            proposed.notes.append(f"{name}: every value is null; no column expectations")
            continue
        _column(column, n, level, proposed)
    return proposed


def _column(c: ColumnProfile, n: int, level: Strictness, proposed: Proposed) -> None:
    out = proposed.expectations
    kind = c.kind
    if kind != "string":
        proposed.column_types[c.name] = kind
    out.append(
        Proposal(
            "expect_column_values_to_be_in_type_list",
            {"column": c.name, "type_list": TYPE_LISTS[kind]},
            f"all {c.non_null:,} non-null values read as {kind}",
        )
    )
    _nulls(c, n, level, out)
    key = _key(c, kind, out)
    if kind in ("integer", "decimal"):
        _numbers(c, kind, key, level, out)
    elif kind in ("date", "timestamp"):
        _times(c, level, out)
    elif kind == "string":
        _strings(c, level, key, out)


def _nulls(c: ColumnProfile, n: int, level: Strictness, out: list[Proposal]) -> None:
    if not c.nulls:
        out.append(
            Proposal("expect_column_values_to_not_be_null", {"column": c.name}, f"no nulls in {n:,} rows")
        )
        return
    rate = c.nulls / n
    allowed = min(1.0, rate * 1.5 + level.null_slack)
    mostly = _floor3(1 - allowed)
    if mostly < 0.5:
        return  # mostly null: nothing useful to require
    why = f"{rate:.1%} nulls observed; allows up to {allowed:.1%}"
    out.append(Proposal("expect_column_values_to_not_be_null", {"column": c.name, "mostly": mostly}, why))


def _key(c: ColumnProfile, kind: str, out: list[Proposal]) -> bool:
    if not c.is_unique or c.nulls or c.non_null < 2 or kind not in ("integer", "string"):
        return False
    named = bool(KEY_NAME.search(c.name.lower()))
    if kind == "string" and c.has_space and not named:
        return False  # free text (names, titles) is distinct by chance, not a key
    why = f"all {c.non_null:,} values distinct" + ("; candidate key" if named or kind == "integer" else "")
    out.append(Proposal("expect_column_values_to_be_unique", {"column": c.name}, why))
    return True


def _numbers(c: ColumnProfile, kind: str, key: bool, level: Strictness, out: list[Proposal]) -> None:
    assert c.num_min is not None
    assert c.num_max is not None
    lo_seen, hi_seen = c.num_min, c.num_max
    integer = kind == "integer"
    if key:  # keys grow: bound them below only
        lo = 0 if lo_seen >= 0 else lo_seen
        why = f"key values from {_plain(lo_seen, integer)}; new keys may be larger"
        kwargs: dict[str, Any] = {"column": c.name, "min_value": _plain(lo, integer), "max_value": None}
        out.append(Proposal("expect_column_values_to_be_between", kwargs, why))
        return
    span = (hi_seen - lo_seen) or abs(hi_seen) or 1.0
    lo, hi = lo_seen - span * level.range_margin, hi_seen + span * level.range_margin
    if lo_seen >= 0 > lo:
        lo = 0.0
    if integer:
        lo, hi = math.floor(lo), math.ceil(hi)
    seen = f"{_plain(lo_seen, integer)}..{_plain(hi_seen, integer)}"
    why = f"observed {seen}, widened by {level.range_margin:.0%}"
    kwargs = _mostly(
        {"column": c.name, "min_value": _plain(lo, integer), "max_value": _plain(hi, integer)}, level.mostly
    )
    out.append(Proposal("expect_column_values_to_be_between", kwargs, why))


def _times(c: ColumnProfile, level: Strictness, out: list[Proposal]) -> None:
    assert c.t_min is not None
    assert c.t_max is not None
    span = c.t_max - c.t_min
    lo = c.t_min - max(span * level.range_margin, timedelta(days=1))
    lo = lo.replace(hour=0, minute=0, second=0, microsecond=0)
    hi = c.t_max + max(span, timedelta(days=365))
    fmt = "%Y-%m-%d" if c.kind == "date" else "%Y-%m-%dT%H:%M:%S"
    why = f"observed {c.t_min:{fmt}}..{c.t_max:{fmt}}; later deliveries allowed until {hi:%Y-%m-%d}"
    kwargs = {"column": c.name, "min_value": _iso(lo), "max_value": _iso(hi)}
    out.append(Proposal("expect_column_values_to_be_between", _mostly(kwargs, level.mostly), why))


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _strings(c: ColumnProfile, level: Strictness, key: bool, out: list[Proposal]) -> None:
    categories = c.categories
    if categories is not None and not key and c.non_null >= 2 * len(categories) and len(categories) > 1:
        values = sorted(categories)
        why = f"{len(values)} distinct values in {c.non_null:,} rows"
        out.append(
            Proposal(
                "expect_column_values_to_be_in_set",
                _mostly({"column": c.name, "value_set": values}, level.mostly),
                why,
            )
        )
        return
    regex, why = _format(c, level)
    if regex:
        out.append(
            Proposal(
                "expect_column_values_to_match_regex",
                _mostly({"column": c.name, "regex": regex}, _format_mostly(c, level)),
                why,
            )
        )
    assert c.len_min is not None
    assert c.len_max is not None
    if c.len_min == c.len_max:
        lo, hi, why = c.len_min, c.len_max, f"every value has {c.len_min} characters"
    else:
        lo = max(1 if c.len_min else 0, math.floor(c.len_min * (1 - level.range_margin)))
        hi = math.ceil(c.len_max * (1 + level.range_margin)) + 1
        why = f"lengths {c.len_min}..{c.len_max}, widened"
    out.append(
        Proposal(
            "expect_column_value_lengths_to_be_between",
            {"column": c.name, "min_value": lo, "max_value": hi},
            why,
        )
    )


def _format_mostly(c: ColumnProfile, level: Strictness) -> float:
    best = max(c.formats.values(), default=0)
    ratio = best / c.non_null if c.non_null else 0
    return min(level.mostly, _floor3(ratio)) if best and c.formats and ratio < 1 else level.mostly


def _format(c: ColumnProfile, level: Strictness) -> tuple[str | None, str]:
    floor = min(level.mostly, 0.95)
    for name, matched in c.formats.items():
        if c.non_null and matched / c.non_null >= floor:
            return FORMATS[name][
                1
            ], f"{matched:,} of {c.non_null:,} values look like {name.replace('_', ' ')}s"
    shapes = c.shapes
    if shapes and len(shapes) == 1:
        (shape,) = shapes
        if len(shape) >= 2 and set(shape) - {"a"} and set(shape) - {"A", "a"}:
            return _shape_regex(shape), f"every value has the shape {shape!r}"
    return None, ""


def _shape_regex(shape: str) -> str:
    classes = {"A": "[A-Z]", "a": "[a-z]", "9": "[0-9]"}
    parts = []
    for match in re.finditer(r"(.)\1*", shape):
        char, size = match.group(1), len(match.group(0))
        token = classes.get(char, re.escape(char))
        parts.append(token if size == 1 else f"{token}{{{size}}}")
    return "^" + "".join(parts) + "$"
