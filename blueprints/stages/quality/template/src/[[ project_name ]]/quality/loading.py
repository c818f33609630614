"""Read data files into pandas and give known columns the types of their entity's schema.

Inputs: one CSV / Parquet / JSON / JSONL file, or a folder of them (e.g. Spark's Parquet partitions). A folder is
read as one batch per partition folder (`ingest_date=.../part-*.parquet`), because keys are unique per delivery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..schema import ENTITIES
from .suites import QualityInputError

READERS = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
TRUE_WORDS = {"true", "t", "yes", "y", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "0"}


@dataclass
class Batch:
    """One frame to validate: the rows of one file or of one partition folder."""

    label: str
    frame: pd.DataFrame
    files: list[Path] = field(default_factory=list)
    # column -> (schema type, the values that could not be read as that type): left unconverted
    unconvertible: dict[str, tuple[str, list[object]]] = field(default_factory=dict)


def data_files(path: Path) -> list[Path]:
    """Supported data files at `path` (a file, or every file under a folder; Spark markers are skipped)."""
    if path.is_file():
        return [path]
    return sorted(
        p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS and not p.name.startswith(("_", "."))
    )


def read_file(path: Path) -> pd.DataFrame:
    """Read one file by its suffix; raise `QualityInputError` when it is empty or unreadable."""
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise QualityInputError(f"{path}: unsupported file type", f"use one of {', '.join(sorted(READERS))}")
    if path.stat().st_size == 0:
        raise QualityInputError(f"{path} is empty", "check the upstream job that wrote it")
    try:
        if kind == "csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        if kind == "parquet":
            return pd.read_parquet(path)
        return pd.read_json(path, lines=kind == "jsonl", orient="records", dtype=False, convert_dates=False)
    except Exception as exc:  # every reader raises its own error types
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QualityInputError(f"cannot read {path}: {reason}", f"is it really a {kind} file?") from None


def load_batches(data: str | Path, dataset: str | None = None, types: dict[str, str] | None = None) -> list[Batch]:
    """Read `data` into batches (one per file folder), typed like `dataset` when it is a known entity, else
    by `types` (column -> schema type, e.g. from the suite's `meta.dataforge.column_types`)."""
    path = Path(data)
    if not path.exists():
        raise QualityInputError(f"{path} does not exist", "pass an existing file or folder with --data")
    files = data_files(path)
    if not files:
        raise QualityInputError(f"no data files under {path}", f"expected files ending in {', '.join(sorted(READERS))}")
    groups: dict[Path, list[Path]] = {}
    for file in files:
        groups.setdefault(file.parent, []).append(file)
    batches = []
    for folder, members in groups.items():
        frame = pd.concat([read_file(f) for f in members], ignore_index=True)
        label = str(members[0]) if path.is_file() else str(folder)
        if frame.empty:
            raise QualityInputError(f"{label} has no rows", "check the upstream job that wrote it")
        typed, unconvertible = coerce(frame, dataset, types)
        batches.append(Batch(label=label, frame=typed, files=members, unconvertible=unconvertible))
    return batches


def coerce(
    frame: pd.DataFrame, dataset: str | None, types: dict[str, str] | None = None
) -> tuple[pd.DataFrame, dict[str, tuple[str, list[object]]]]:
    """Convert the columns of a known entity (else those named in `types`) to their schema types; a column that
    does not convert cleanly is left as it is, so the suite's type expectation reports it, and its offending
    values are returned per column.
    Any dataset: Parquet decimals become floats and dates become datetimes, the pandas types the suites name."""
    out = frame.copy()
    for name in out.columns:
        values = out[name].dropna()
        if out[name].dtype == object and len(values):
            if all(isinstance(v, Decimal) for v in values):
                out[name] = pd.to_numeric(out[name]).astype("float64")
            elif all(isinstance(v, date) for v in values):
                out[name] = _to_datetime(out[name])
    unconvertible: dict[str, tuple[str, list[object]]] = {}
    entity = ENTITIES.get(dataset or "")
    specs = [(c.name, c.type) for c in entity.columns] if entity else list((types or {}).items())
    for name, type_ in specs:
        if name in out.columns:
            converted = convert(out[name], type_)
            if converted is not None:
                out[name] = converted
            elif type_ != "string":
                unconvertible[name] = (type_, bad_values(out[name], type_))
    return out, unconvertible


def bad_values(series: pd.Series, type_: str) -> list[object]:
    """The values of `series` that cannot be read as the schema type `type_`."""
    present = series.dropna()
    return [v for v in present if convert(pd.Series([v], dtype=object), type_) is None]


def convert(series: pd.Series, type_: str) -> pd.Series | None:
    """`series` as pandas' type for the schema type `type_`, or None when some value does not convert."""
    try:
        if type_ == "integer":
            return pd.to_numeric(series, errors="raise").astype("Int64")
        if type_ == "decimal":
            return pd.to_numeric(series, errors="raise").astype("float64")
        if type_ in ("timestamp", "date"):
            return _to_datetime(series)
        if type_ == "boolean":
            return _to_boolean(series)
    except (ValueError, TypeError, OverflowError):
        return None
    return None  # strings stay as read: a non-string value is the type expectation's to report


def _to_datetime(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series
    elif all(isinstance(v, date) for v in series.dropna()):
        values = pd.to_datetime(series, utc=True)
    else:
        values = pd.to_datetime(series, utc=True, format="ISO8601")
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    return values


def _to_boolean(series: pd.Series) -> pd.Series | None:
    if pd.api.types.is_bool_dtype(series):
        return series
    words = series.map(lambda v: v if pd.isna(v) else str(v).strip().lower())
    if not words.dropna().isin(TRUE_WORDS | FALSE_WORDS).all():
        return None
    return words.map(lambda w: pd.NA if pd.isna(w) else w in TRUE_WORDS).astype("boolean")
