"""A data sample (CSV, JSON lines, JSON, Parquet) -> a table description, through the quality profiler.

Only what the profile knows leaves here: types, nulls, uniqueness, e-mail format, bounds and, for columns of a
few repeated values, those values. Rows, examples and shapes stay behind.
"""

from __future__ import annotations

from pathlib import Path

from dataforge.catalog.model import ColumnType
from dataforge.quality.profile import ColumnProfile, profile_file
from dataforge.quality.propose import KEY_NAME
from dataforge.samples.model import SampleColumn, SampleTable

_TYPES: dict[str, ColumnType] = {
    "boolean": "boolean",
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
    "timestamp": "timestamp",
    "string": "string",
    "unknown": "string",  # every value null: nothing to go by
}
# Columns whose values identify people or things: never proposed as accepted values, even when few repeat.
_PERSONAL = ("name", "email", "phone", "address", "street", "city", "zip", "postcode", "iban", "card")


def _values(profile: ColumnProfile) -> tuple[str, ...]:
    """A categorical's values: few distinct ones, each seen on average twice (as the quality proposer)."""
    categories = profile.categories
    if categories is None or profile.kind != "string" or len(categories) < 2:
        return ()
    if profile.non_null < 2 * len(categories) or KEY_NAME.search(profile.name.lower()):
        return ()
    if any(word in profile.name.lower() for word in _PERSONAL):
        return ()
    return tuple(sorted(categories))


def _column(profile: ColumnProfile) -> SampleColumn:
    kind = _TYPES[profile.kind]
    numeric = kind in ("integer", "decimal")
    return SampleColumn(
        name=profile.name,
        type=kind,
        nullable=profile.nulls > 0 or profile.non_null == 0,
        unique=bool(profile.is_unique) and profile.nulls == 0,
        values=_values(profile),
        min=profile.num_min if numeric else None,
        max=profile.num_max if numeric else None,
        email=kind == "string" and profile.non_null > 0 and profile.formats.get("email") == profile.non_null,
    )


def read_data(path: Path) -> SampleTable:
    """Profile the sample in one streaming pass (DataError when it cannot be read) and describe it."""
    profile = profile_file(path)
    columns = tuple(_column(profile.profiles[name]) for name in profile.columns)
    return SampleTable(name=path.name.split(".")[0], source=path.name, columns=columns, observed=True)
