"""One file -> its tables, chosen by what the file is: a data sample, SQL DDL, an Avro or a JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

from dataforge.errors import DataError
from dataforge.quality.readers import SUFFIXES, kind_of
from dataforge.samples.avro import read_avro
from dataforge.samples.data import read_data
from dataforge.samples.ddl import read_ddl
from dataforge.samples.json_schema import looks_like_json_schema, read_json_schema
from dataforge.samples.model import SampleTable

SCHEMA_SUFFIXES = (".sql", ".ddl", ".avsc")
#: Schema files are small; the cap keeps a huge or endless file (/dev/zero) from filling memory.
MAX_SCHEMA_BYTES = 4 * 1024 * 1024
KINDS_HINT = (
    "Pass a data sample (.csv, .jsonl, .json, .parquet) or a schema: SQL DDL (.sql), Avro (.avsc) "
    "or JSON Schema (.json)."
)


def _text(path: Path) -> str:
    """The file as UTF-8 text (at most MAX_SCHEMA_BYTES), or a DataError saying why not."""
    kind_of_file(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SCHEMA_BYTES + 1)
    except OSError as error:
        raise DataError(
            f"Cannot read {path.name}: {error.strerror}.", hint="Check the file's permissions."
        ) from None
    if len(data) > MAX_SCHEMA_BYTES:
        raise DataError(
            f"{path.name} is larger than {MAX_SCHEMA_BYTES // 1024 // 1024} MiB for a schema file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{path.name} is not UTF-8 text.", hint="Re-encode it as UTF-8.") from None


def kind_of_file(path: Path) -> str:
    """The reader: ddl, avro or a data reader's kind; refuses missing, empty, folders and other suffixes."""
    suffix = path.suffix.lower()
    if suffix not in SCHEMA_SUFFIXES and suffix not in SUFFIXES:
        raise DataError(f"{path.name}: unsupported file type {suffix or '(none)'}.", hint=KINDS_HINT)
    if suffix in SCHEMA_SUFFIXES:
        if not path.is_file():
            raise DataError(f"{path.name} does not exist or is not a file.", hint=KINDS_HINT)
        if path.stat().st_size == 0:
            raise DataError(f"{path.name} is empty.", hint=KINDS_HINT)
        return "avro" if suffix == ".avsc" else "ddl"
    return kind_of(path)  # the quality readers' checks: exists, a file, not empty, not binary


def read_tables(path: Path) -> list[SampleTable]:
    """The tables one file describes (a DDL file may hold several); DataError when it cannot be used."""
    kind = kind_of_file(path)
    if kind == "ddl":
        return read_ddl(_text(path), path.name)
    if kind == "avro":
        try:
            schema = json.loads(_text(path))
        except ValueError:
            raise DataError(f"{path.name} is not valid JSON (an Avro schema is JSON).") from None
        return read_avro(schema, path.name)
    if kind == "json" and path.stat().st_size <= MAX_SCHEMA_BYTES:
        try:
            document = json.loads(_text(path))
        except (ValueError, DataError):
            document = None  # JSON lines, or not JSON at all: the data reader says what it is
        if looks_like_json_schema(document):
            return read_json_schema(document, path.name, path.name.split(".")[0])
    return [read_data(path)]
