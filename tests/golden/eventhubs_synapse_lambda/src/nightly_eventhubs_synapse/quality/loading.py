"""Read data files chunk by chunk into pandas and give known columns the types of their entity's schema.

Inputs: one CSV / Parquet / JSON / JSONL file, or a folder of them (e.g. Spark's Parquet partitions), on the local
disk or in an object store (see `storage`). A folder is read as one unit per partition folder
(`ingest_date=.../part-*.parquet`), because keys are unique per delivery.

Memory bound: a unit is never loaded whole. It is read in chunks of at most `chunk_rows` rows
(`QUALITY_CHUNK_ROWS`, default 100,000): Parquet through a `pyarrow.dataset` scanner over the fsspec filesystem
(one record batch of read-ahead), CSV and JSON lines through pandas' chunked readers. At any time about two chunks
are held (the one being validated and the rows read past it), plus Arrow's buffer of the Parquet row group
being decoded. The exception is a JSON array file (`.json`), which cannot be split and is read whole: use JSON
lines for large files.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from ..schema import ENTITIES
from .storage import Location, resolve
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
CHUNK_ENV = "QUALITY_CHUNK_ROWS"
DEFAULT_CHUNK_ROWS = 100_000
WHOLE = 2**31 - 1  # the largest batch Arrow's scanner takes: `load_batches` reads each unit as one frame


@dataclass
class Batch:
    """One frame to validate: the rows of one chunk (or all rows) of one file or partition folder."""

    label: str
    frame: pd.DataFrame
    files: list[str] = field(default_factory=list)
    # column -> (schema type, the values that could not be read as that type): left unconverted
    unconvertible: dict[str, tuple[str, list[object]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Unit:
    """The files validated together: one file, or the data files of one folder (a partition)."""

    label: str
    location: Location
    files: tuple[str, ...]


def chunk_rows(explicit: int | None = None) -> int:
    """Rows per chunk: `explicit`, else $QUALITY_CHUNK_ROWS, else 100,000."""
    value: Any = explicit if explicit is not None else os.environ.get(CHUNK_ENV) or DEFAULT_CHUNK_ROWS
    try:
        rows = int(value)
    except ValueError:
        rows = 0
    if rows < 1:
        raise QualityInputError(f"{CHUNK_ENV} must be a positive number of rows, not {value!r}", "e.g. 100000")
    return rows


def find_units(data: str | Path) -> list[Unit]:
    """The units to validate at `data` (a file or folder, local or a URI), with empty files refused up front."""
    root = resolve(data)
    fs = root.fs
    if not fs.exists(root.path):
        raise QualityInputError(f"{root.uri} does not exist", "pass an existing file or folder with --data")
    if fs.isfile(root.path):
        infos = {root.path: fs.info(root.path)}
    else:
        found = fs.find(root.path, detail=True)
        infos = {
            path: info
            for path, info in sorted(found.items())
            if info.get("type") != "directory"
            and _suffix(path) in READERS
            and not posixpath.basename(path).startswith(("_", "."))
        }
    if not infos:
        raise QualityInputError(
            f"no data files under {root.uri}", f"expected files ending in {', '.join(sorted(READERS))}"
        )
    groups: dict[str, list[str]] = {}
    for path, info in infos.items():
        if _suffix(path) not in READERS:
            raise QualityInputError(f"{root.uri}: unsupported file type", f"use one of {', '.join(sorted(READERS))}")
        if not info.get("size"):
            raise QualityInputError(f"{root.child(path).uri} is empty", "check the upstream job that wrote it")
        groups.setdefault(posixpath.dirname(path), []).append(path)
    single = len(infos) == 1 and fs.isfile(root.path)
    return [
        Unit(root.uri if single else root.child(folder).uri, root.child(folder), tuple(members))
        for folder, members in groups.items()
    ]


def iter_batches(
    unit: Unit,
    dataset: str | None = None,
    types: dict[str, str] | None = None,
    rows: int | None = None,
    columns: list[str] | None = None,
) -> Iterator[Batch]:
    """Yield the unit's rows as typed batches of at most `rows` rows (default `chunk_rows()`); only `columns`
    when given. Raise `QualityInputError` when a file cannot be read or the unit has no rows."""
    size = chunk_rows(rows)
    total = 0
    for frame in _rebatch(_frames(unit, size, columns), size):
        total += len(frame)
        typed, unconvertible = coerce(frame, dataset, types)
        yield Batch(unit.label, typed, list(unit.files), unconvertible)
    if total == 0:
        raise QualityInputError(f"{unit.label} has no rows", "check the upstream job that wrote it")


def load_batches(data: str | Path, dataset: str | None = None, types: dict[str, str] | None = None) -> list[Batch]:
    """Read `data` whole, one batch per unit (small samples and tests; the validator streams `iter_batches`)."""
    batches = []
    for unit in find_units(data):
        chunks = list(iter_batches(unit, dataset, types, rows=WHOLE))
        batches.append(chunks[0])
    return batches


def _suffix(path: str) -> str:
    return posixpath.splitext(path)[1].lower()


def _frames(unit: Unit, size: int, columns: list[str] | None) -> Iterator[pd.DataFrame]:
    """The unit's rows as pandas frames of at most `size` rows, file after file (Parquet files as one dataset)."""
    fs = unit.location.fs
    parquet = [f for f in unit.files if READERS[_suffix(f)] == "parquet"]
    if parquet:
        yield from _guarded(unit, parquet, "parquet", lambda: _parquet_frames(fs, parquet, size, columns))
    for path in unit.files:
        kind = READERS[_suffix(path)]
        if kind != "parquet":
            yield from _guarded(unit, [path], kind, lambda p=path, k=kind: _text_frames(fs, p, k, size, columns))


def _guarded(unit: Unit, files: list[str], kind: str, make: Any) -> Iterator[pd.DataFrame]:
    """Run the reader `make()`, turning any read error into `QualityInputError` naming the file."""
    try:
        yield from make()
    except QualityInputError:
        raise
    except Exception as exc:  # every reader raises its own error types
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        name = unit.location.child(files[0]).uri if len(files) == 1 else unit.label
        raise QualityInputError(f"cannot read {name}: {reason}", f"is it really a {kind} file?") from None


def _parquet_frames(fs: Any, files: list[str], size: int, columns: list[str] | None) -> Iterator[pd.DataFrame]:
    """Parquet files as one `pyarrow.dataset` over the fsspec filesystem, scanned `size` rows at a time."""
    import pyarrow.dataset as pads

    dataset = pads.dataset(files, filesystem=fs, format="parquet")
    wanted = [c for c in columns if c in dataset.schema.names] if columns is not None else None
    scanner = dataset.scanner(columns=wanted, batch_size=size, batch_readahead=1, fragment_readahead=1)
    for record_batch in scanner.to_batches():
        if record_batch.num_rows:
            yield record_batch.to_pandas()


def _text_frames(fs: Any, path: str, kind: str, size: int, columns: list[str] | None) -> Iterator[pd.DataFrame]:
    """CSV (every column read as a string) and JSON lines in chunks of `size` rows; a JSON array whole."""
    with fs.open(path, "rb") as handle:
        chunks: Iterable[pd.DataFrame]
        if kind == "csv":
            chunks = pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""], chunksize=size)
        elif kind == "jsonl":
            chunks = pd.read_json(
                handle, lines=True, orient="records", dtype=False, convert_dates=False, chunksize=size
            )
        else:
            chunks = [pd.read_json(handle, orient="records", dtype=False, convert_dates=False)]
        for chunk in chunks:
            yield chunk if columns is None else chunk[[c for c in columns if c in chunk.columns]]


def _rebatch(frames: Iterable[pd.DataFrame], size: int) -> Iterator[pd.DataFrame]:
    """Re-cut frames of any length into frames of exactly `size` rows (the last may be shorter); holds less than
    two chunks at a time."""
    held: list[pd.DataFrame] = []
    count = 0
    for frame in frames:
        if not len(frame):
            continue
        if not held and len(frame) == size:
            yield frame.reset_index(drop=True)
            continue
        held.append(frame)
        count += len(frame)
        while count >= size:
            joined = pd.concat(held, ignore_index=True) if len(held) > 1 else held[0].reset_index(drop=True)
            yield joined.iloc[:size].reset_index(drop=True)
            rest = joined.iloc[size:]
            held, count = ([rest], len(rest)) if len(rest) else ([], 0)
    if held:
        yield pd.concat(held, ignore_index=True) if len(held) > 1 else held[0].reset_index(drop=True)


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
    # A suite proposed from a data file names the types its profile read: they win over the entity's schema.
    entity_specs = [(c.name, c.type) for c in entity.columns] if entity else []
    specs = list(types.items()) if types is not None else entity_specs
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
