"""A JSON Schema -> a table: an object's `properties`, `type`, `format`, `required`, `enum` and bounds."""

from __future__ import annotations

from typing import Any

from dataforge.catalog.model import ColumnType
from dataforge.errors import DataError
from dataforge.samples.model import SampleColumn, SampleTable

_TYPES: dict[str, ColumnType] = {
    "integer": "integer",
    "number": "decimal",
    "boolean": "boolean",
    "string": "string",
}
_FORMATS: dict[str, ColumnType] = {"date-time": "timestamp", "date": "date"}
_HINT = 'Pass a JSON Schema of an object: {"title": "orders", "type": "object", "properties": {...}}.'


def looks_like_json_schema(document: Any) -> bool:
    """An object with `properties` or `$schema` (a JSON data file is an array of rows or one row per line)."""
    return isinstance(document, dict) and (
        "$schema" in document or isinstance(document.get("properties"), dict)
    )


def _bound(spec: dict[str, Any], *keys: str) -> float | None:
    for key in keys:
        value = spec.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def _column(name: str, spec: Any, required: bool) -> SampleColumn:
    spec = spec if isinstance(spec, dict) else {}
    kinds = spec.get("type", "string")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    nullable = not required or "null" in kinds
    kind = next((k for k in kinds if k != "null"), "string")
    column_type = _FORMATS.get(str(spec.get("format")), _TYPES.get(str(kind), "string"))
    if kind != "string" and column_type in ("timestamp", "date"):
        column_type = _TYPES.get(str(kind), "string")  # a format on a non-string is ignored, as validators do
    enum = spec.get("enum")
    values = tuple(str(v) for v in enum if v is not None) if isinstance(enum, list) else ()
    numeric = column_type in ("integer", "decimal")
    return SampleColumn(
        name=name,
        type=column_type,
        nullable=nullable or (isinstance(enum, list) and None in enum),
        values=values if column_type == "string" else (),
        min=_bound(spec, "minimum", "exclusiveMinimum") if numeric else None,
        max=_bound(spec, "maximum", "exclusiveMaximum") if numeric else None,
        email=spec.get("format") == "email",
    )


def read_json_schema(schema: Any, source: str, default_name: str) -> list[SampleTable]:
    """The object (or an array's item object) as one table, named by its `title`, else by the file."""
    if isinstance(schema, dict) and schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        schema = {"title": schema.get("title"), **schema["items"]}
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict) or not properties:
        raise DataError(f"{source} is a JSON Schema without `properties`.", hint=_HINT)
    required = schema.get("required") if isinstance(schema.get("required"), list) else []
    columns = tuple(_column(str(n), spec, n in required) for n, spec in properties.items())
    title = schema.get("title")
    name = title if isinstance(title, str) and title.strip() else default_name
    return [SampleTable(name, source, columns, observed=False)]
