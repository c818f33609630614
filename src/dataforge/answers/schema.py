"""The one answers schema: which values each answer may take, derived from the catalogue.

pydantic validates answers against it, docs/blueprints.md lists it, and a test checks that every `choices`
list in every copier.yml is drawn from it. A technology slot (source reader, warehouse, cloud, CI provider)
also needs a part folder to generate; `dataforge.compose` refuses a choice that has none with a clear error.

Answers are data for the blueprints, whatever their source (a prompt, --set, an answers file, recorded
answers). Choices come from the catalogue; the schedule follows a strict cron/preset grammar; names of
entities and columns are plain identifiers and categorical values plain labels, so they are safe as they
stand in Python, SQL, YAML, JSON and file names. Only the free text (`requirement`, `project_title`) needs
escaping where it is rendered, and it is refused when it holds control characters.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr, model_validator

from dataforge.catalog import load_catalog
from dataforge.catalog.model import ColumnFormat, ColumnRule, ColumnType, Role, Semantic
from dataforge.errors import RequirementError
from dataforge.requirement import check_requirement

#: Answers a user may change with --set or an answers file; every other answer is derived from these.
SETTABLE = (
    "project_name",
    "project_title",
    "pattern",
    "cloud",
    "source",
    "sink",
    "warehouse",
    "schedule",
    "load_mode",
    "source_format",
    "latency",
    "table_format",
    "ci_provider",
    "domain",
    "entities",
)
#: File formats the files reader reads (blueprints/sources/files: SOURCE_FILES_FORMAT).
SOURCE_FORMATS = ("csv", "json", "parquet")
LATENCIES = ("realtime", "near_realtime", "batch")
LOAD_MODES = ("incremental", "full_refresh")  # the decision's values (dataforge.decision.model.LOAD_MODES)
PARTITION_GRAINS = ("day", "hour")
PATTERNS = ("batch", "kappa", "lambda", "lakehouse")


@cache
def choices() -> dict[str, tuple[str, ...]]:
    """Answer name -> the values it may take, from the catalogue."""
    catalog = load_catalog()
    techs = catalog.technologies

    def unique(values: list[str]) -> tuple[str, ...]:
        return tuple(sorted(set(values)))

    return {
        "pattern": PATTERNS,
        "latency": LATENCIES,
        "load_mode": LOAD_MODES,
        "source_format": SOURCE_FORMATS,
        "partition_grain": PARTITION_GRAINS,
        "cloud": unique([c.id for c in catalog.clouds]),
        "object_store": unique([c.object_store for c in catalog.clouds]),
        "spark_platform": unique([c.spark_platform for c in catalog.clouds]),
        "airflow_platform": unique([c.airflow_platform for c in catalog.clouds]),
        "source": unique([t.id for t in techs if t.is_data]),
        "sink": unique([t.id for t in techs if t.is_data]),
        "source_reader": unique([t.reader for t in techs if t.reader]),
        "stream_reader": ("", *unique([t.stream_reader for t in techs if t.stream_reader])),
        "warehouse": unique([t.id for t in techs if t.dbt_package] + [c.warehouse for c in catalog.clouds]),
        "table_format": ("", *unique([t.id for t in techs if t.kind == "table_format"])),
        "ci_provider": ("none", *unique([t.id for t in techs if t.kind == "ci"])),  # none: no CI files
        "domain": unique([d.id for d in catalog.domains]),
    }


#: What to do about a refused value, by answer (the rest: docs/blueprints.md).
HINTS = {
    "schedule": 'Use a cron expression of five fields such as "0 2 * * *", or a preset such as @daily.',
    "project_title": "Use one line of at most 100 characters, without control characters.",
    "entities": (
        "Give one dimension and one fact entity; names are lower-case identifiers, types and semantics "
        "come from docs/blueprints.md."
    ),
}


# -- schedule: a cron expression of five fields or one of Airflow's presets, nothing else -------------------

SCHEDULE_PRESETS = (
    "@once",
    "@continuous",
    "@hourly",
    "@daily",
    "@weekly",
    "@monthly",
    "@quarterly",
    "@yearly",
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# (field, lowest, highest, names): minute, hour, day of month, month, day of week (0 and 7 are Sunday)
_CRON_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),
)
_CRON_ITEM = re.compile(r"^(?:\*|(?P<low>\w+)(?:-(?P<high>\w+))?)(?:/(?P<step>\d+))?$")
_SCHEDULE_HINT = f'five cron fields such as "0 2 * * *", or one of {", ".join(SCHEDULE_PRESETS)}'


def _cron_number(token: str, low: int, high: int, names: tuple[str, ...]) -> int:
    if token.lower() in names:
        return names.index(token.lower()) + low
    if not token.isdigit() or not token.isascii() or not low <= int(token) <= high:
        raise ValueError(f"{token!r} is not between {low} and {high}")
    return int(token)


def check_schedule(value: str) -> str:
    """Return the schedule with single spaces, or raise ValueError: cron (five fields) or a preset."""
    if value in SCHEDULE_PRESETS:
        return value
    fields = value.split()
    if len(fields) != len(_CRON_FIELDS) or not value.isascii() or not value.isprintable():
        raise ValueError(f"must be {_SCHEDULE_HINT}")
    for text, (name, low, high, names) in zip(fields, _CRON_FIELDS, strict=True):
        for item in text.split(","):
            match = _CRON_ITEM.match(item)
            try:
                if not match:
                    raise ValueError(f"{item!r} is not a value, range or step")
                first = _cron_number(match["low"], low, high, names) if match["low"] else low
                last = _cron_number(match["high"], low, high, names) if match["high"] else first
                if last < first or (match["step"] is not None and not 1 <= int(match["step"]) <= high):
                    raise ValueError(f"{item!r} is not an increasing range with a step from 1 to {high}")
            except ValueError as error:
                raise ValueError(f"the {name} field of {value!r}: {error}") from None
    return " ".join(fields)


def schedule_grain(schedule: str) -> str:
    """`hour` when a (checked) schedule fires in every hour of the day, else `day` (presets included).

    An hour-grain run reads and rewrites exactly one hour, the hour its data interval starts in, so the
    grain is `hour` only when every interval lies within one hour: the hour field is `*` (or `*/1`, `0-23`).
    A schedule with gaps ("every 6 hours", "at 0 and 12", "hourly from 8 to 18") has longer intervals: it
    keeps the day grain, whose runs re-read the day so far and overwrite the day's partition (no hour lost).
    """
    if schedule == "@hourly":
        return "hour"
    if schedule.startswith("@"):
        return "day"
    fields = schedule.split()
    return "hour" if len(fields) >= 2 and fields[1] in ("*", "*/1", "0-23") else "day"


# -- free text: the requirement's own checks, and the title is one short line ------------------------------

TITLE_MAX_LENGTH = 100
# Bidirectional overrides reorder how source code reads ("Trojan source"); lone surrogates cannot be written.
_HIDDEN = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _hidden_characters(text: str) -> bool:
    return any(c in _HIDDEN or unicodedata.category(c) == "Cs" for c in text)


def check_requirement_answer(value: str) -> str:
    """The requirement as `dataforge.requirement` checks it (RequirementError), and no hidden characters."""
    text = check_requirement(value)
    if _hidden_characters(text):
        raise RequirementError("The requirement contains invisible direction or surrogate characters.")
    return text


def check_title(value: str) -> str:
    """The requirement's checks (no control characters, some words), on one line of at most 100 characters."""
    try:
        text = check_requirement(value)
    except RequirementError as error:
        raise ValueError(error.message.removeprefix("The requirement ").rstrip(".")) from None
    # str.splitlines also breaks at U+2028 and U+0085, which YAML 1.1 readers (PyYAML) take as line breaks.
    if text.splitlines() != [text] or "\t" in text or _hidden_characters(text):
        raise ValueError("must be one line of visible characters")
    if len(text) > TITLE_MAX_LENGTH:
        raise ValueError(f"is {len(text)} characters long; the limit is {TITLE_MAX_LENGTH}")
    return text


# -- entities: identifiers, catalogue value sets, and names that point at what exists ----------------------

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,39}")
# Words a generated project cannot use bare as a table or column name: SQL words reserved by the warehouses
# dataforge targets, Python keywords, and the partition column every curated table gets.
_SQL_RESERVED = (
    "all", "and", "any", "array", "as", "asc", "between", "both", "by", "case", "cast", "check",
    "collate", "column", "constraint", "create", "cross", "current_date", "current_time",
    "current_timestamp", "current_user", "default", "delete", "desc", "distinct", "drop", "else", "end",
    "except", "exists", "false", "fetch", "for", "foreign", "from", "full", "grant", "group", "having",
    "ilike", "in", "inner", "insert", "intersect", "interval", "into", "is", "join", "lateral",
    "leading", "left", "like", "limit", "natural", "not", "null", "of", "offset", "on", "only", "or",
    "order", "outer", "over", "partition", "primary", "qualify", "references", "right", "rows",
    "select", "session_user", "set", "some", "table", "then", "to", "trailing", "true", "union",
    "unique", "update", "user", "using", "values", "when", "where", "window", "with",
)  # fmt: skip
RESERVED_NAMES = frozenset(_SQL_RESERVED) | frozenset(keyword.kwlist) | {"ingest_date"}
_LABEL_PUNCTUATION = frozenset(" _.-:+@/&,()")


def _identifier(value: str) -> str:
    if not IDENTIFIER.fullmatch(value):
        raise ValueError(
            f"{value[:50]!r} is not a lower-case identifier (a letter, then letters, digits or _; at most 40)"
        )
    if value in RESERVED_NAMES:
        raise ValueError(f"{value!r} is reserved in SQL, Python or the pipeline; use e.g. {value}_name")
    return value


def _label(value: str) -> str:
    """A categorical value: safe inside SQL and YAML quotes, JSON and Python strings as it stands."""
    ok = all((c.isalnum() and ord(c) < 0x10000) or c in _LABEL_PUNCTUATION for c in value)
    if not ok or not 1 <= len(value) <= 64 or value != value.strip():
        shown = "".join(sorted(_LABEL_PUNCTUATION - {" "}))
        raise ValueError(f"{value[:50]!r} is not a plain label (1-64 letters, digits, spaces or {shown})")
    return value


Identifier = Annotated[StrictStr, AfterValidator(_identifier)]
Label = Annotated[StrictStr, AfterValidator(_label)]
Bound = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class ColumnSpec(BaseModel):
    """One column of an entity answer; same fields, in the same order, as the catalogue's `Column`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Identifier
    type: ColumnType
    semantic: Semantic
    nullable: StrictBool = False
    unique: StrictBool = False
    values: Annotated[tuple[Label, ...], Field(max_length=100)] = ()
    min: Bound | None = None
    max: Bound | None = None
    references: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")] | None = None
    format: ColumnFormat | None = None
    rule: ColumnRule = "required"

    @model_validator(mode="after")
    def _bounds_in_order(self) -> ColumnSpec:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"column {self.name!r} has min {self.min} above max {self.max}")
        return self


class EntitySpec(BaseModel):
    """One entity answer: a dimension or a fact, whose key and event time are columns of its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Identifier
    role: Role
    primary_key: StrictStr
    event_time: StrictStr
    columns: Annotated[tuple[ColumnSpec, ...], Field(min_length=1, max_length=100)]

    @model_validator(mode="after")
    def _names_point_at_columns(self) -> EntitySpec:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"entity {self.name!r} has the column {twice[0]!r} twice")
        for key in ("primary_key", "event_time"):
            if getattr(self, key) not in names:
                raise ValueError(f"{key} of {self.name!r} must name one of its columns ({', '.join(names)})")
        if next(c for c in self.columns if c.name == self.event_time).type not in ("timestamp", "date"):
            raise ValueError(f"event_time of {self.name!r} must name a timestamp or date column")
        return self


def check_entities(entities: list[EntitySpec]) -> list[EntitySpec]:
    """One dimension and one fact, with different names; every reference names an existing column."""
    roles = sorted(e.role for e in entities)
    if roles != ["dimension", "fact"]:
        raise ValueError("needs exactly one dimension and one fact entity")
    if entities[0].name == entities[1].name:
        raise ValueError(f"both entities are called {entities[0].name!r}")
    known = {f"{e.name}.{c.name}" for e in entities for c in e.columns}
    for entity in entities:
        for column in entity.columns:
            if column.references is not None and column.references not in known:
                raise ValueError(
                    f"{entity.name}.{column.name} references {column.references!r}, which is no column here"
                )
    return entities
