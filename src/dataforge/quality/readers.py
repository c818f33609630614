"""Streaming row readers for samples: CSV and JSON lines with the stdlib, Parquet with pyarrow when installed.

Each reader yields ``(row, bytes_read)``: a row is a dict of column -> value (``None`` for null), and
``bytes_read`` lets the caller show progress. Memory stays bounded for CSV, JSON lines and Parquet (one row or
one record batch at a time); a ``.json`` array is parsed whole (stdlib json has no streaming parser).
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dataforge.errors import DataError

Row = dict[str, Any]
SUFFIXES = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_SNIFF_BYTES = 8192


def kind_of(path: Path) -> str:
    """The reader for ``path``; refuses missing, empty, non-file and unsupported inputs with a DataError."""
    if not path.exists():
        raise DataError(
            f"{path} does not exist.", hint="Pass the path of a sample file, e.g. samples/customers.csv."
        )
    if not path.is_file():
        raise DataError(f"{path} is not a file.", hint="Pass one sample file, not a folder.")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DataError(f"{path.name}: unsupported file type {path.suffix or '(none)'}.")
    if path.stat().st_size == 0:
        raise DataError(
            f"{path} is empty.", hint="Pass a sample with a header row and at least one data row."
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as error:
        raise DataError(
            f"Cannot read {path}: {error.strerror}.", hint="Check the file's permissions."
        ) from None
    if kind != "parquet" and b"\x00" in head:
        raise DataError(f"{path} is binary, not {kind} text.")
    return kind


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[Row, int]]]:
    """The column names (in file order; for JSON, as first seen in the first rows) and a row iterator."""
    kind = kind_of(path)
    if kind == "csv":
        return _csv(path)
    if kind == "parquet":
        return _parquet(path)
    return _json(path, lines=kind == "jsonl")


class _Lines:
    """UTF-8 text lines of a binary file, counting the bytes read (csv.reader accepts any line iterator)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = path.open("rb")
        self.done = 0

    def __iter__(self) -> Iterator[str]:
        for number, raw in enumerate(self.handle):
            self.done += len(raw)
            try:
                yield raw.decode("utf-8-sig" if number == 0 else "utf-8")
            except UnicodeDecodeError:
                raise DataError(f"{self.path} is not UTF-8 text.", hint="Re-encode it as UTF-8.") from None


def _csv(path: Path) -> tuple[list[str], Iterator[tuple[Row, int]]]:
    with path.open("rb") as handle:
        sample = handle.read(_SNIFF_BYTES).decode("utf-8-sig", errors="replace")
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    lines = _Lines(path)
    reader = csv.reader(iter(lines), dialect)
    try:
        header = [h.strip() for h in next(reader, None) or []]
    except (DataError, csv.Error):
        lines.handle.close()
        raise DataError(
            f"{path} is not UTF-8 CSV text.", hint="Re-encode it as UTF-8, or pass a Parquet file."
        ) from None
    if not header or any(not h for h in header) or len(set(header)) != len(header):
        lines.handle.close()
        raise DataError(f"{path} has no usable header row (names must be present and distinct).")
    return header, _csv_rows(path, lines, reader, header)


def _csv_rows(path: Path, lines: _Lines, reader: Any, header: list[str]) -> Iterator[tuple[Row, int]]:
    width = len(header)
    with lines.handle:
        try:
            for fields in reader:
                if not fields:
                    continue
                if len(fields) != width:
                    raise DataError(
                        f"{path} is not tabular: line {reader.line_num} has {len(fields)} fields, "
                        f"the header {width}.",
                        hint="Check the delimiter and quoting, or pass a .parquet/.jsonl file.",
                    )
                yield {h: (v if v != "" else None) for h, v in zip(header, fields, strict=True)}, lines.done
        except csv.Error as error:
            raise DataError(f"{path} is not valid CSV: {error}.") from None


def _json(path: Path, lines: bool) -> tuple[list[str], Iterator[tuple[Row, int]]]:
    if not lines:
        try:
            loaded = json.loads(path.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            lines = True  # many ".json" exports are JSON lines
        else:
            if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
                raise DataError(f"{path} is not tabular: expected a JSON array of objects or JSON lines.")
            size = path.stat().st_size
            columns = _columns(loaded[:1000])
            return columns, ((_flat(r, columns), size) for r in loaded)
    first = [row for row, _ in _jsonl(path, limit=1000)]
    columns = _columns(first)
    return columns, ((_flat(row, columns), done) for row, done in _jsonl(path))


def _jsonl(path: Path, limit: int | None = None) -> Iterator[tuple[Row, int]]:
    done = 0
    seen = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            done += len(raw)
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                raise DataError(f"{path} is not JSON lines: line {number} is not valid JSON.") from None
            if not isinstance(row, dict):
                raise DataError(f"{path} is not tabular: line {number} is not a JSON object.")
            yield row, done
            seen += 1
            if limit is not None and seen >= limit:
                return


def _columns(rows: list[Row]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(str(k) for k in row))
    return list(columns)


def _flat(row: Row, columns: list[str]) -> Row:
    """The row over the known columns; nested values become JSON text; keys not in the header are kept too."""
    out = {c: row.get(c) for c in columns}
    for key, value in row.items():
        out[str(key)] = json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value
    return out


def _parquet(path: Path) -> tuple[list[str], Iterator[tuple[Row, int]]]:
    try:
        pq: Any = importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise DataError(
            "Reading Parquet samples needs pyarrow, which is not installed.",
            hint="Run `pip install pyarrow` (or pass a .csv/.jsonl sample).",
        ) from None
    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises several error types for damaged files
        raise DataError(f"{path} is not a readable Parquet file: {str(error).splitlines()[0]}.") from None
    columns = list(parquet.schema_arrow.names)
    total = path.stat().st_size
    rows_total = max(parquet.metadata.num_rows, 1)

    def rows() -> Iterator[tuple[Row, int]]:
        done = 0
        for batch in parquet.iter_batches(batch_size=10_000):
            for row in batch.to_pylist():
                done += 1
                yield row, total * done // rows_total

    return columns, rows()
