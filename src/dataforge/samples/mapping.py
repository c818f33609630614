"""Two table descriptions -> a dimension and a fact entity that references it (pure: no files, no output).

Each table gets a primary key (declared, else a unique non-null integer or text column, preferring `id` and
`<table>_id`) and an event time (a timestamp or date column, preferring `updated_at`, `created_at`, `*_at`).
The table with a column that references the other's key is the fact: a declared foreign key, or a column
named as the other table's key (`customer_id`, or `customer_id` for a key `id` of `customers`).

Values and bounds seen in data are examples, not business rules: they get `rule = "example"`, which dbt and
the quality gate report as warnings. Values and bounds a schema declares (an enum, a CHECK, a JSON Schema
`minimum`) are rules and block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from pydantic import TypeAdapter, ValidationError

from dataforge.answers.schema import EntitySpec, Label, check_entities
from dataforge.errors import DataError
from dataforge.samples.model import SampleColumn, SampleTable
from dataforge.samples.names import identifier, singular, table_name
from dataforge.samples.semantics import semantic_of

ANSWERS_HINT = "or give the entities yourself with --answers-file (see docs/samples.md)"
KEY_TYPES = ("integer", "string")
MAX_VALUES = 100
_EVENT_NAMES = ("updated_at", "modified_at", "last_modified", "created_at", "inserted_at")
_TIME_SUFFIX = re.compile(r"(_at|_time|_ts|timestamp|_date|_on)$")
_LABELS: TypeAdapter[tuple[str, ...]] = TypeAdapter(tuple[Label, ...])


@dataclass(frozen=True)
class Mapped:
    """The two entities, validated as answers, and what was adapted to get there."""

    entities: list[EntitySpec]
    notes: list[str]


def _normalised(table: SampleTable, notes: list[str]) -> SampleTable:
    """The table and its columns under identifier names; every change of name is noted."""
    name = identifier(table_name(table.name), "table", table.source)
    if name != table.name:
        notes.append(f"{table.source}: the table {table.name!r} is called {name!r} in the project.")
    columns: list[SampleColumn] = []
    seen: dict[str, str] = {}
    for column in table.columns:
        new = identifier(column.name, "column", table.source)
        if new in seen:
            raise DataError(
                f"{table.source}: the columns {seen[new]!r} and {column.name!r} both become {new!r}.",
                hint=f"Rename one of them in the file, {ANSWERS_HINT}.",
            )
        seen[new] = column.name
        if new != column.name:
            notes.append(f"{table.source}: the column {column.name!r} is called {new!r} in the project.")
        ref = column.references
        if ref is not None:
            ref = (
                identifier(table_name(ref[0]), "table", table.source),
                identifier(ref[1], "column", table.source),
            )
        columns.append(replace(column, name=new, references=ref))
    return replace(table, name=name, columns=tuple(columns))


def primary_key(table: SampleTable) -> SampleColumn:
    """The declared single-column key, else the best unique, non-null integer or text column."""
    declared = [c for c in table.columns if c.primary and c.type in KEY_TYPES]
    if len(declared) == 1:
        return declared[0]
    names = ("id", f"{table.name}_id", f"{singular(table.name)}_id")

    def can_be_key(c: SampleColumn) -> bool:
        if c.type not in KEY_TYPES or c.unique is False:
            return False
        if c.unique is None:  # the file cannot say (Avro, JSON Schema): only a key by its name
            return c.name in names and not c.nullable
        return not c.nullable

    candidates = [c for c in table.columns if can_be_key(c)]
    by_name = [c for name in names for c in candidates if c.name == name]
    keyish = [c for c in candidates if c.name.endswith(("_id", "_key", "_uuid", "_code", "_no"))]
    chosen = by_name or keyish
    if not chosen:
        raise DataError(
            f"{table.source}: the table {table.name!r} has no unique key column.",
            hint=f"Add a unique, non-null column such as {singular(table.name)}_id, {ANSWERS_HINT}.",
        )
    return chosen[0]


def event_time(table: SampleTable, role: str) -> SampleColumn:
    """The time a row is versioned by: non-null before nullable, timestamps before dates, then by name."""
    times = [c for c in table.columns if c.type in ("timestamp", "date")]
    if not times:
        raise DataError(
            f"{table.source}: the table {table.name!r} has no timestamp or date column.",
            hint=f"Add a column such as updated_at (when a row changed), {ANSWERS_HINT}.",
        )

    def rank(c: SampleColumn) -> tuple[int, int, int]:
        audit = c.name in _EVENT_NAMES
        if role == "fact":  # a fact's time is when its event happened (ordered_at), audit columns after
            by_name = 1 if audit else (0 if c.name.endswith("_at") else 2)
        else:
            by_name = (
                _EVENT_NAMES.index(c.name)
                if audit
                else len(_EVENT_NAMES) + (0 if _TIME_SUFFIX.search(c.name) else 1)
            )
        return (int(c.nullable), int(c.type == "date"), by_name)

    return min(times, key=rank)


def _references(
    fact: SampleTable, dim: SampleTable, dim_key: SampleColumn, fact_key: SampleColumn
) -> list[SampleColumn]:
    """Columns of `fact` that point at `dim`'s key: declared first, then by name."""
    declared = [c for c in fact.columns if c.references is not None and c.references[0] == dim.name]
    if declared:
        return declared
    names = {dim_key.name} if dim_key.name != "id" else {f"{singular(dim.name)}_id", f"{dim.name}_id"}
    return [c for c in fact.columns if c.name in names and c.name != fact_key.name and c.type in KEY_TYPES]


def _roles(
    first: SampleTable, second: SampleTable, keys: dict[str, SampleColumn]
) -> tuple[SampleTable, SampleTable, SampleColumn]:
    """(dimension, fact, the fact's reference column)."""
    one = _references(first, second, keys[second.name], keys[first.name])
    other = _references(second, first, keys[first.name], keys[second.name])
    if one and other:
        declared_one = any(c.references for c in one)
        declared_other = any(c.references for c in other)
        if declared_one == declared_other:
            raise DataError(
                f"{first.name} and {second.name} reference each other; which one is the fact?",
                hint=f"Keep the reference only in the fact table, {ANSWERS_HINT}.",
            )
        one, other = (one, []) if declared_one else ([], other)
    if one:
        return second, first, one[0]
    if other:
        return first, second, other[0]
    raise DataError(
        f"Neither {first.name} nor {second.name} has a column that references the other's key "
        f"({keys[first.name].name}, {keys[second.name].name}).",
        hint=f"Name a fact column after the dimension's key ({keys[second.name].name}), {ANSWERS_HINT}.",
    )


def _values(column: SampleColumn, table: SampleTable, notes: list[str]) -> tuple[str, ...]:
    """Values the answers accept as plain labels (at most 100); others are dropped with a note."""
    values = tuple(dict.fromkeys(column.values))
    if not values or column.type != "string":
        return ()
    try:
        _LABELS.validate_python(values)
    except ValidationError:
        notes.append(
            f"{table.source}: {table.name}.{column.name} keeps no accepted values (not plain labels)."
        )
        return ()
    if len(values) > MAX_VALUES:
        notes.append(
            f"{table.source}: {table.name}.{column.name} has over {MAX_VALUES} values; none are checked."
        )
        return ()
    return values


def _column(
    column: SampleColumn, table: SampleTable, key: str, ref: str | None, ref_type: str, notes: list[str]
) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": column.name, "type": column.type, "nullable": column.nullable}
    if column.name == key:
        return {**spec, "semantic": "id", "unique": True, "nullable": False}
    if ref is not None:
        if column.type != ref_type:
            notes.append(
                f"{table.name}.{column.name} takes the type of {ref} ({ref_type}), which it references."
            )
        return {**spec, "type": ref_type, "semantic": "ref", "references": ref}
    values = _values(column, table, notes)
    semantic = semantic_of(replace(column, values=values))
    spec.update(semantic=semantic, values=values)
    if semantic == "email":
        spec["format"] = "email"
    # The generator keeps only these unique: the key, e-mails (numbered) and free text (`<column>_<row>`).
    spec["unique"] = bool(column.unique) and (semantic == "email" or (semantic == "category" and not values))
    if semantic in ("amount", "quantity", "minutes") and (column.min is not None or column.max is not None):
        spec.update(min=column.min, max=column.max)
    if table.observed and (values or "min" in spec):
        spec["rule"] = "example"
    return spec


def _entity(
    table: SampleTable, role: str, key: SampleColumn, ref: tuple[str, str, str] | None, notes: list[str]
) -> dict[str, Any]:
    when = event_time(table, role)
    columns = []
    for column in table.columns:
        is_ref = ref is not None and column.name == ref[0]
        spec = _column(
            column, table, key.name, ref[1] if is_ref and ref else None, ref[2] if ref else "", notes
        )
        if column.name == when.name and spec["nullable"]:
            spec["nullable"] = False
            notes.append(
                f"{table.name}.{when.name} versions the rows, so the project treats it as never null."
            )
        columns.append(spec)
    return {
        "name": table.name,
        "role": role,
        "primary_key": key.name,
        "event_time": when.name,
        "columns": columns,
    }


def map_tables(tables: list[SampleTable]) -> Mapped:
    """Exactly two tables -> [dimension, fact] as validated answers; DataError with a hint otherwise."""
    if len(tables) != 2:
        listed = ", ".join(f"{t.name} ({t.source})" for t in tables) or "none"
        raise DataError(
            f"The samples describe {len(tables)} tables ({listed}); dataforge needs exactly two.",
            hint=f"Pass a dimension and a fact that references it, {ANSWERS_HINT}.",
        )
    notes: list[str] = []
    first, second = (_normalised(t, notes) for t in tables)
    if first.name == second.name:
        raise DataError(
            f"Both samples describe a table called {first.name!r} ({first.source}, {second.source}).",
            hint="Rename one of the files (a data sample's table is named after its file).",
        )
    keys = {t.name: primary_key(t) for t in (first, second)}
    dim, fact, fk = _roles(first, second, keys)
    dim_key = keys[dim.name]
    entities = [
        _entity(dim, "dimension", dim_key, None, notes),
        _entity(fact, "fact", keys[fact.name], (fk.name, f"{dim.name}.{dim_key.name}", dim_key.type), notes),
    ]
    try:
        specs = check_entities([EntitySpec.model_validate(e) for e in entities])
    except (ValidationError, ValueError) as error:
        first_error = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
        raise DataError(
            f"The entities derived from the samples are not valid answers: {first_error}.",
            hint=f"Adjust the files, {ANSWERS_HINT}.",
        ) from None
    return Mapped(entities=specs, notes=notes)
