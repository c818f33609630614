"""The neutral description of one table, whatever file it came from (data sample, DDL, Avro, JSON Schema)."""

from __future__ import annotations

from dataclasses import dataclass

from dataforge.catalog.model import ColumnType


@dataclass(frozen=True)
class SampleColumn:
    """One column: its catalogue type and what the file declares or shows about its values."""

    name: str
    type: ColumnType
    nullable: bool = True
    unique: bool | None = None  # None: the file does not say (Avro and JSON Schema have no uniqueness)
    primary: bool = False  # declared as the primary key
    values: tuple[str, ...] = ()  # accepted values: an enum of the schema, or the few values a sample shows
    min: float | None = None
    max: float | None = None
    email: bool = False  # declared (JSON Schema `format: email`) or seen as e-mail addresses
    references: tuple[str, str] | None = (
        None  # a declared foreign key: (table, column) as the file names them
    )


@dataclass(frozen=True)
class SampleTable:
    """One table. `observed`: its values and bounds were seen in data (an example), not declared (a rule)."""

    name: str
    source: str  # the file's name (never its path), for messages and the plan's reason
    columns: tuple[SampleColumn, ...]
    observed: bool
