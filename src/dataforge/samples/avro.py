"""An Avro schema (`.avsc`, plain JSON) -> table descriptions: one per record at the top level."""

from __future__ import annotations

from typing import Any

from dataforge.catalog.model import ColumnType
from dataforge.errors import DataError
from dataforge.samples.model import SampleColumn, SampleTable

_PRIMITIVES: dict[str, ColumnType] = {
    "boolean": "boolean",
    "int": "integer",
    "long": "integer",
    "float": "decimal",
    "double": "decimal",
    "string": "string",
    "bytes": "string",
}
_LOGICAL: dict[str, ColumnType] = {
    "date": "date",
    "timestamp-millis": "timestamp",
    "timestamp-micros": "timestamp",
    "timestamp-nanos": "timestamp",
    "local-timestamp-millis": "timestamp",
    "local-timestamp-micros": "timestamp",
    "decimal": "decimal",
    "uuid": "string",
}


def _field(field: Any, source: str) -> SampleColumn:
    if not isinstance(field, dict) or not isinstance(field.get("name"), str) or "type" not in field:
        raise DataError(f"{source}: a field of the record has no name or type.", hint=_HINT)
    kind: Any = field["type"]
    nullable = False
    if isinstance(kind, list):  # a union: ["null", "string"] is a nullable string
        nullable = "null" in kind
        rest = [k for k in kind if k != "null"]
        kind = rest[0] if len(rest) == 1 else "string"  # a union of several types: kept as text
    values: tuple[str, ...] = ()
    if isinstance(kind, dict):
        if kind.get("type") == "enum" and isinstance(kind.get("symbols"), list):
            values = tuple(str(s) for s in kind["symbols"])
            column_type: ColumnType = "string"
        else:
            logical = kind.get("logicalType")
            base = kind.get("type")
            column_type = _LOGICAL.get(str(logical)) or _PRIMITIVES.get(str(base), "string")
    else:
        column_type = _PRIMITIVES.get(str(kind), "string")  # fixed, arrays, maps, records: kept as text
    return SampleColumn(name=field["name"], type=column_type, nullable=nullable, values=values)


_HINT = 'Pass an Avro record schema: {"type": "record", "name": "orders", "fields": [...]}.'


def read_avro(schema: Any, source: str) -> list[SampleTable]:
    """Each top-level record (a record, or a list of them) as a table named after the record."""
    records = schema if isinstance(schema, list) else [schema]
    tables = []
    for record in records:
        if not isinstance(record, dict) or record.get("type") != "record" or not record.get("name"):
            raise DataError(f"{source} is not an Avro record schema.", hint=_HINT)
        fields = record.get("fields")
        if not isinstance(fields, list) or not fields:
            raise DataError(f"{source}: the record {record['name']!r} has no fields.", hint=_HINT)
        columns = tuple(_field(f, source) for f in fields)
        tables.append(SampleTable(str(record["name"]), source, columns, observed=False))
    return tables
