"""Typed models of the catalogue and the one function that loads it from the TOML files beside it."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

CloudId = Literal["aws", "gcp", "azure"]
Kind = Literal[
    "stream",
    "database",
    "object_store",
    "file_transfer",
    "api",
    "saas",
    "warehouse",
    "olap",
    "search",
    "table_format",
    "lakehouse_platform",
    "cloud",
    "cloud_service",
    "engine",
    "ci",
]

#: Kinds that can be a pipeline's source or sink; the rest only inform the plan.
DATA_KINDS: frozenset[str] = frozenset(get_args(Kind)) - {"cloud", "cloud_service", "engine", "ci"}
#: Kinds that are sinks when the sentence gives no direction.
SINK_KINDS: frozenset[str] = frozenset({"warehouse", "olap", "search", "table_format", "lakehouse_platform"})

#: The value sets of a column spec (domains.toml documents each); answers are checked against them too.
ColumnType = Literal["integer", "string", "decimal", "timestamp", "date", "boolean"]
Semantic = Literal[
    "id", "ref", "email", "person_name", "company_name", "country", "category",
    "amount", "quantity", "timestamp", "date", "flag", "sku", "minutes",
]  # fmt: skip
ColumnFormat = Literal["email", "sku"]
#: "example": the column's values/min/max are an invented business rule, checked as a warning only.
ColumnRule = Literal["required", "example"]
Role = Literal["dimension", "fact"]

_HERE = Path(__file__).parent


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class JdbcSpec(_Frozen):
    """How Spark reaches a relational database over JDBC."""

    driver: str
    url_template: str
    port: int
    maven: str


class Technology(_Frozen):
    """One technology dataforge recognises, with the spellings that name it."""

    id: str
    name: str
    kind: Kind
    cloud: CloudId | None = None
    synonyms: tuple[str, ...]
    cloud_synonyms: dict[str, CloudId] = Field(default_factory=dict)
    reader: str | None = None
    # How a streaming pattern's Spark Structured Streaming job reads it (blueprints/streams/<stream_reader>).
    stream_reader: str | None = None
    dbt_package: str | None = None
    jdbc: JdbcSpec | None = None

    @property
    def is_data(self) -> bool:
        """Whether it can be a source or a sink."""
        return self.kind in DATA_KINDS


class Intent(_Frozen):
    """Something a requirement asks for beyond technologies (CDC, backfill, medallion...)."""

    id: str
    description: str
    phrases: tuple[str, ...]


class CloudDefaults(_Frozen):
    """What dataforge uses on a cloud when the requirement leaves a component open."""

    id: CloudId
    object_store: str
    warehouse: str
    stream: str
    table_format: str
    spark_platform: str
    airflow_platform: str


class Column(_Frozen):
    """A column of a sample entity (see domains.toml for the meaning of each field)."""

    name: str
    type: ColumnType
    semantic: Semantic
    nullable: bool = False
    unique: bool = False
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    references: str | None = None
    format: ColumnFormat | None = None
    rule: ColumnRule = "required"


class Entity(_Frozen):
    """A table of a sample domain."""

    name: str
    role: Role
    primary_key: str
    event_time: str
    columns: tuple[Column, ...]


class Domain(_Frozen):
    """Entities a generated project models: what a requirement is about (`keywords`), else its source."""

    id: str
    description: str
    sources: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    #: The objects a named connector returns: chosen whenever the primary source is one of `sources`.
    connector: bool = False
    entity: tuple[Entity, ...]


class Catalog(_Frozen):
    """Everything dataforge knows, indexed for lookups."""

    technologies: tuple[Technology, ...]
    intents: tuple[Intent, ...]
    clouds: tuple[CloudDefaults, ...]
    domains: tuple[Domain, ...]
    #: Phrases that hold a domain keyword but say nothing about the data ("ACID transactions").
    not_domain_phrases: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _ids_are_unique(self) -> Catalog:
        for label, ids in (
            ("technology", [t.id for t in self.technologies]),
            ("intent", [i.id for i in self.intents]),
            ("domain", [d.id for d in self.domains]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {label} ids: {', '.join(dupes)}")
        return self

    def technology(self, tech_id: str) -> Technology:
        """Return the technology with this id (KeyError when unknown)."""
        for tech in self.technologies:
            if tech.id == tech_id:
                return tech
        raise KeyError(tech_id)

    def cloud(self, cloud_id: str) -> CloudDefaults:
        """Return the defaults of a cloud (KeyError when unknown)."""
        for cloud in self.clouds:
            if cloud.id == cloud_id:
                return cloud
        raise KeyError(cloud_id)

    def connector_domain(self, source_id: str) -> Domain | None:
        """Return the domain holding the objects the source's connector returns, if it has one."""
        return next((d for d in self.domains if d.connector and source_id in d.sources), None)

    def domain_for(self, source_id: str) -> Domain:
        """Return the sample domain that fits a source; the first domain when none lists it.

        The fallback of `dataforge.decision.domain.choose_domain` when no keyword names the domain.
        """
        for domain in self.domains:
            if source_id in domain.sources:
                return domain
        return self.domains[0]


def _read(name: str) -> dict[str, Any]:
    with (_HERE / name).open("rb") as handle:
        return tomllib.load(handle)


@cache
def load_catalog() -> Catalog:
    """Load and validate the catalogue once per process."""
    techs = _read("technologies.toml")
    domains = _read("domains.toml")
    return Catalog(
        technologies=tuple(Technology(**t) for t in techs["technology"]),
        intents=tuple(Intent(**i) for i in _read("intents.toml")["intent"]),
        clouds=tuple(CloudDefaults(**c) for c in techs["cloud"]),
        domains=tuple(Domain(**d) for d in domains["domain"]),
        not_domain_phrases=tuple(domains.get("not_domain_phrases", ())),
    )
