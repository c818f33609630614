"""One streaming pass over a sample: per-column statistics in bounded memory.

Per column it keeps counters, min/max, a capped table of distinct values (categories), capped shape and format
counters, and 64-bit hashes for the uniqueness check (8 bytes a value, sorted in chunks; see `KeyTracker`).
"""

from __future__ import annotations

import heapq
import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from dataforge.errors import DataError
from dataforge.quality.readers import Row, read_rows

CATEGORY_CAP = 20
SHAPE_CAP = 3
EXAMPLES = 3
CHUNK = 1 << 18
MAX_KEY_VALUES = 50_000_000
TYPES = ("boolean", "integer", "decimal", "date", "timestamp")
BOOL_WORDS = {"true", "false", "t", "f", "yes", "no", "y", "n"}
FORMATS: dict[str, tuple[Callable[[str], bool], str]] = {
    "email": (lambda s: "@" in s, r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"),
    "uuid": (
        lambda s: len(s) == 36,
        r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    ),
    "url": (lambda s: s.startswith(("http:", "https:")), r"^https?://[^\s/$.?#][^\s]*$"),
    "ipv4": (
        lambda s: s.count(".") == 3,
        r"^(?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$",
    ),
    "iso_date": (lambda s: len(s) == 10, r"^\d{4}-\d{2}-\d{2}$"),
    "iso_timestamp": (
        lambda s: len(s) >= 16,
        r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$",
    ),
}
_COMPILED = {name: re.compile(regex) for name, (_, regex) in FORMATS.items()}
_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "A" * 26 + "a" * 26 + "9" * 10
)
Progress = Callable[[int, int, int], None]


class KeyTracker:
    """Exact duplicate detection over 64-bit hashes: chunks are sorted and checked, then merged at the end."""

    def __init__(self) -> None:
        self.chunk: list[int] = []
        self.runs: list[array[int]] = []
        self.size = 0
        self.duplicate = False

    def add(self, text: str) -> None:
        """Record one value."""
        self.chunk.append(hash(text))
        self.size += 1
        if len(self.chunk) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        self.chunk.sort()
        if any(a == b for a, b in zip(self.chunk, self.chunk[1:], strict=False)):
            self.duplicate = True
        self.runs.append(array("q", self.chunk))
        self.chunk = []

    def unique(self) -> bool:
        """True when no value was seen twice (exact up to 64-bit hash collisions)."""
        if self.chunk:
            self._flush()
        if self.duplicate:
            return False
        previous: int | None = None
        for value in heapq.merge(*self.runs):
            if value == previous:
                return False
            previous = value
        return True


@dataclass
class ColumnProfile:
    """What one pass saw in one column."""

    name: str
    count: int = 0
    nulls: int = 0
    types: set[str] = field(default_factory=lambda: set(TYPES))
    num_min: float | None = None
    num_max: float | None = None
    t_min: datetime | None = None
    t_max: datetime | None = None
    len_min: int | None = None
    len_max: int | None = None
    categories: dict[str, int] | None = field(default_factory=dict)
    shapes: dict[str, int] | None = field(default_factory=dict)
    formats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORMATS, 0))
    has_space: bool = False
    leading_zero: bool = False
    keys: KeyTracker | None = field(default_factory=KeyTracker)
    examples: list[str] = field(default_factory=list)
    is_unique: bool | None = None

    @property
    def non_null(self) -> int:
        """Values that are not null."""
        return self.count - self.nulls

    @property
    def kind(self) -> str:
        """The narrowest type every non-null value fits, else string ("unknown" if all null)."""
        if not self.non_null:
            return "unknown"
        return next((t for t in TYPES if t in self.types), "string")

    def add(self, value: Any) -> None:
        """Account for one value."""
        self.count += 1
        if value is None or (isinstance(value, float) and value != value):
            self.nulls += 1
            return
        text = self._typed(value)
        self._text(text)

    def _typed(self, value: Any) -> str:
        types = self.types
        if isinstance(value, str):
            text = value
            if types:
                self._infer(text)
            return text
        if isinstance(value, bool):
            types &= {"boolean"}
            return "true" if value else "false"
        if isinstance(value, int | float | Decimal):
            types &= {"integer", "decimal"} if isinstance(value, int) else {"decimal"}
            self._number(float(value))
            return str(value)
        if isinstance(value, datetime):
            types &= {"timestamp"}
            self._time(value)
            return value.isoformat()
        if isinstance(value, date):
            types &= {"date", "timestamp"}
            self._time(datetime(value.year, value.month, value.day))
            return value.isoformat()
        types.clear()
        return str(value)

    def _infer(self, text: str) -> None:
        types = self.types
        if "boolean" in types and text.lower() not in BOOL_WORDS:
            types.discard("boolean")
        if "integer" in types or "decimal" in types:
            self._parse_number(text)
        if "date" in types or "timestamp" in types:
            self._parse_time(text)

    def _parse_number(self, text: str) -> None:
        types = self.types
        if "integer" in types:
            try:
                number: float = int(text)
            except ValueError:
                types.discard("integer")
            else:
                if len(text) > 1 and text[0] == "0":
                    self.leading_zero = True
                    types.discard("integer")
                    types.discard("decimal")
                    return
                self._number(number)
                return
        try:
            number = float(text)
        except ValueError:
            types.discard("decimal")
            return
        if number != number or number in (float("inf"), float("-inf")):
            types.discard("decimal")
            return
        self._number(number)

    def _parse_time(self, text: str) -> None:
        types = self.types
        try:
            if len(text) == 10 and "date" in types:
                parsed = datetime.fromisoformat(text)
            else:
                types.discard("date")
                if len(text) < 16:
                    raise ValueError(text)
                parsed = datetime.fromisoformat(text)
        except ValueError:
            types.discard("date")
            types.discard("timestamp")
            return
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        self._time(parsed)

    def _number(self, number: float) -> None:
        if self.num_min is None or number < self.num_min:
            self.num_min = number
        if self.num_max is None or number > self.num_max:
            self.num_max = number

    def _time(self, moment: datetime) -> None:
        if self.t_min is None or moment < self.t_min:
            self.t_min = moment
        if self.t_max is None or moment > self.t_max:
            self.t_max = moment

    def _text(self, text: str) -> None:
        size = len(text)
        if self.len_min is None or size < self.len_min:
            self.len_min = size
        if self.len_max is None or size > self.len_max:
            self.len_max = size
        if not self.has_space and " " in text:
            self.has_space = True
        categories = self.categories
        if categories is not None:
            seen = categories.get(text, 0)
            if seen and self.keys is not None:
                self.keys = None  # a repeated value: not a key
            categories[text] = seen + 1
            if len(categories) > CATEGORY_CAP:
                self.categories = None
        if len(self.examples) < EXAMPLES and text not in self.examples:
            self.examples.append(text)
        if self.shapes is not None:
            shape = text.translate(_SHAPE)
            self.shapes[shape] = self.shapes.get(shape, 0) + 1
            if len(self.shapes) > SHAPE_CAP:
                self.shapes = None
        for name in list(self.formats):
            quick, _ = FORMATS[name]
            if quick(text) and _COMPILED[name].match(text):
                self.formats[name] += 1
            elif self.non_null - self.formats[name] > max(10, self.non_null // 20):
                del self.formats[name]  # too many misses to ever be proposed: stop checking
        if self.keys is not None:
            if self.keys.duplicate or self.keys.size >= MAX_KEY_VALUES:
                self.keys = None  # not a key (or too many values to tell): free the hashes
            else:
                self.keys.add(text)

    def finish(self) -> None:
        """Settle uniqueness (after the last value)."""
        self.is_unique = bool(self.keys is not None and self.non_null and self.keys.unique())
        self.keys = None


@dataclass
class TableProfile:
    """The profile of one sample."""

    source: str
    rows: int
    columns: list[str]
    profiles: dict[str, ColumnProfile]


def profile_rows(
    source: str,
    columns: list[str],
    rows: Iterator[tuple[Row, int]],
    exclude: set[str] | None = None,
    progress: Progress | None = None,
    total_bytes: int = 0,
    every: int = 100_000,
) -> TableProfile:
    """Profile rows (column -> value) in one pass; `exclude` columns are listed but not profiled."""
    skip = exclude or set()
    order = list(columns)
    profiles = {c: ColumnProfile(c) for c in columns if c not in skip}
    count = 0
    for row, done in rows:
        count += 1
        if len(row) != len(order) or any(k not in profiles and k not in skip for k in row):
            for key in row:
                if key not in profiles and key not in skip:
                    order.append(key)
                    profiles[key] = ColumnProfile(key, count=count - 1, nulls=count - 1)
        for name, column in profiles.items():
            column.add(row.get(name))
        if progress is not None and count % every == 0:
            progress(count, done, total_bytes)
    if count == 0:
        raise DataError(
            f"{source} has a header but no data rows.", hint="Pass a sample with at least one row."
        )
    for column in profiles.values():
        column.finish()
    return TableProfile(source=source, rows=count, columns=order, profiles=profiles)


def profile_file(
    path: Path, exclude: set[str] | None = None, progress: Progress | None = None
) -> TableProfile:
    """Profile one CSV / JSON lines / JSON / Parquet sample."""
    columns, rows = read_rows(path)
    return profile_rows(path.name, columns, rows, exclude, progress, path.stat().st_size)
