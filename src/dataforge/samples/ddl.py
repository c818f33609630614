"""SQL DDL -> table descriptions: each `CREATE TABLE`, parsed with sqlglot in the first dialect that reads it.

Columns, types, NOT NULL, PRIMARY KEY, UNIQUE, REFERENCES / FOREIGN KEY (inline, in the table, or in a later
`ALTER TABLE ... ADD`), MySQL `ENUM(...)` and `CHECK (col IN (...))` values, `CHECK` bounds. Other statements
(indexes, grants, comments) are ignored.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field, replace
from typing import Any

from dataforge.catalog.model import ColumnType
from dataforge.errors import DataError
from dataforge.samples.model import SampleColumn, SampleTable
from dataforge.samples.names import table_name

# Tried in this order; the generic dialect reads most DDL, the others their own quoting and types.
DIALECTS = (None, "postgres", "mysql", "tsql", "snowflake", "bigquery", "oracle", "duckdb", "databricks")
_INTEGER = {"TINYINT", "SMALLINT", "MEDIUMINT", "INT", "BIGINT", "INT128", "INT256", "SERIAL", "SMALLSERIAL"}
_INTEGER |= {"BIGSERIAL", "UTINYINT", "USMALLINT", "UMEDIUMINT", "UINT", "UBIGINT", "UINT128", "UINT256"}
_DECIMAL = {"DECIMAL", "DECIMAL32", "DECIMAL64", "DECIMAL128", "DECIMAL256", "BIGDECIMAL", "UDECIMAL"}
_DECIMAL |= {"FLOAT", "DOUBLE", "UDOUBLE", "MONEY", "SMALLMONEY", "NUMBER"}
_TIMESTAMP = {"DATETIME", "DATETIME2", "DATETIME64", "SMALLDATETIME", "TIMESTAMP", "TIMESTAMPTZ"}
_TIMESTAMP |= {"TIMESTAMPLTZ", "TIMESTAMPNTZ", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"}
_HINT = "Pass a .sql file of CREATE TABLE statements (any common dialect), or a data sample."


def _column_type(name: str) -> ColumnType:
    if name in _INTEGER:
        return "integer"
    if name in _DECIMAL:
        return "decimal"
    if name in _TIMESTAMP:
        return "timestamp"
    if name in ("DATE", "DATE32"):
        return "date"
    if name in ("BOOLEAN", "BIT"):
        return "boolean"
    return "string"  # text, uuid, json, enums, arrays and anything else a dialect adds


@dataclass
class _Table:
    """A table while its statements are read (ALTER TABLE may add keys later)."""

    name: str
    columns: dict[str, SampleColumn] = field(default_factory=dict)


def _parse(text: str, source: str) -> list[Any]:
    """The statements in the dialect that reads the most CREATE TABLEs (the first that reads all of them)."""
    sqlglot: Any = importlib.import_module("sqlglot")
    errors: Any = importlib.import_module("sqlglot.errors")
    exp: Any = importlib.import_module("sqlglot.expressions")
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # a dialect that falls back to a Command would say so on stderr
    best: tuple[int, list[Any]] = (0, [])
    first_error = ""
    try:
        for dialect in DIALECTS:
            try:
                statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
            except errors.SqlglotError as error:
                first_error = first_error or str(error).splitlines()[0]
                continue
            creates = sum(1 for s in statements if _is_create_table(s))
            unread = sum(1 for s in statements if isinstance(s, exp.Command))
            if creates and not unread:
                return statements
            if creates > best[0]:
                best = (creates, statements)
    finally:
        logger.setLevel(level)
    if best[0]:
        return best[1]
    reason = f": {first_error[:120]}" if first_error else ""
    raise DataError(f"{source} has no CREATE TABLE statement dataforge can read{reason}.", hint=_HINT)


def _is_create_table(statement: Any) -> bool:
    exp: Any = importlib.import_module("sqlglot.expressions")
    return (
        isinstance(statement, exp.Create)
        and str(statement.args.get("kind", "")).upper() == "TABLE"
        and isinstance(statement.this, exp.Schema)
    )


def _literal_values(node: Any) -> tuple[str, ...]:
    exp: Any = importlib.import_module("sqlglot.expressions")
    return tuple(str(e.this) for e in node.expressions if isinstance(e, exp.Literal) and e.is_string)


def _check(column: SampleColumn, condition: Any) -> SampleColumn:
    """Values from `col IN ('a', 'b')`, bounds from `col >= 0`, `col BETWEEN 0 AND 9` (and ANDs of those)."""
    exp: Any = importlib.import_module("sqlglot.expressions")
    if isinstance(condition, exp.And):
        return _check(_check(column, condition.this), condition.expression)
    if isinstance(condition, exp.In) and (values := _literal_values(condition)):
        return replace(column, values=values)
    if isinstance(condition, exp.Between):
        low, high = condition.args.get("low"), condition.args.get("high")
        return replace(column, min=_number(low), max=_number(high))
    bound = _number(condition.expression) if isinstance(condition, exp.Binary) else None
    if bound is not None and isinstance(condition, exp.GTE | exp.GT):
        return replace(column, min=bound)
    if bound is not None and isinstance(condition, exp.LTE | exp.LT):
        return replace(column, max=bound)
    return column


def _number(node: Any) -> float | None:
    exp: Any = importlib.import_module("sqlglot.expressions")
    if isinstance(node, exp.Neg) and _number(node.this) is not None:
        return -(_number(node.this) or 0.0)
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return float(node.this)
        except ValueError:
            return None
    return None


def _reference(node: Any) -> tuple[str, str] | None:
    """(table, column) of a REFERENCES clause naming one column."""
    target = node.this  # Schema(this=Table, expressions=[columns])
    columns = getattr(target, "expressions", None) or []
    if len(columns) != 1:
        return None
    return table_name(target.this.sql()), columns[0].name


def _column_def(node: Any) -> SampleColumn:
    exp: Any = importlib.import_module("sqlglot.expressions")
    kind = node.args.get("kind")
    type_name = kind.this.name if kind is not None else "TEXT"
    if type_name == "USERDEFINED":  # a type the dialect does not know (SERIAL in generic SQL): go by its name
        type_name = kind.sql().split("(")[0].strip().upper()
    column = SampleColumn(name=node.name, type=_column_type(type_name))
    if type_name == "ENUM" and kind is not None:
        column = replace(column, values=_literal_values(kind))
    for constraint in node.constraints:
        spec = constraint.args.get("kind")
        if isinstance(spec, exp.NotNullColumnConstraint) and not spec.args.get("allow_null"):
            column = replace(column, nullable=False)
        elif isinstance(spec, exp.PrimaryKeyColumnConstraint):
            column = replace(column, primary=True, unique=True, nullable=False)
        elif isinstance(spec, exp.UniqueColumnConstraint):
            column = replace(column, unique=True)
        elif isinstance(spec, exp.Reference):
            column = replace(column, references=_reference(spec))
        elif isinstance(spec, exp.CheckColumnConstraint):
            column = _check(column, spec.this)
    return column


def _table_constraint(table: _Table, node: Any) -> None:
    """PRIMARY KEY (a), UNIQUE (a), FOREIGN KEY (a) REFERENCES t (b), possibly inside CONSTRAINT name ...."""
    exp: Any = importlib.import_module("sqlglot.expressions")
    if isinstance(node, exp.Constraint | exp.AddConstraint):
        for inner in node.expressions:
            _table_constraint(table, inner)
        return
    names: list[str] = []
    change: dict[str, Any] = {}
    if isinstance(node, exp.PrimaryKey):
        names, change = (
            [e.name for e in node.expressions],
            {"primary": True, "unique": True, "nullable": False},
        )
    elif isinstance(node, exp.UniqueColumnConstraint) and isinstance(node.this, exp.Schema):
        names, change = [e.name for e in node.this.expressions], {"unique": True}
    elif isinstance(node, exp.ForeignKey) and node.args.get("reference") is not None:
        names, change = [e.name for e in node.expressions], {"references": _reference(node.args["reference"])}
    if len(names) == 1 and names[0] in table.columns:  # keys of several columns identify no single column
        table.columns[names[0]] = replace(table.columns[names[0]], **change)


def read_ddl(text: str, source: str) -> list[SampleTable]:
    """Every CREATE TABLE of the file, with keys added by later ALTER TABLE statements."""
    exp: Any = importlib.import_module("sqlglot.expressions")
    tables: dict[str, _Table] = {}
    for statement in _parse(text, source):
        if _is_create_table(statement):
            table = _Table(table_name(statement.this.this.sql()))
            for node in statement.this.expressions:
                if isinstance(node, exp.ColumnDef):
                    table.columns[node.name] = _column_def(node)
            for node in statement.this.expressions:
                if not isinstance(node, exp.ColumnDef):
                    _table_constraint(table, node)
            tables[table.name] = table
        elif isinstance(statement, exp.Alter) and statement.this is not None:
            altered = tables.get(table_name(statement.this.sql()))
            for action in statement.args.get("actions") or []:
                if altered is not None:
                    _table_constraint(altered, action)
    return [SampleTable(t.name, source, tuple(t.columns.values()), observed=False) for t in tables.values()]
