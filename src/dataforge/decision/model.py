"""Rules as data (condition, effect, priority, reason) and the decision they produce."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dataforge.decision.sizing import Sizing
from dataforge.facts import Facts

Pattern = Literal["batch", "lambda", "kappa", "lakehouse"]
PATTERNS: tuple[str, ...] = ("batch", "lambda", "kappa", "lakehouse")
CLOUDS: tuple[str, ...] = ("aws", "gcp", "azure")

#: Decision fields in the order the engine settles them; a rule may read any field settled earlier.
SET_FIELDS: tuple[str, ...] = (
    "pattern", "cloud", "deploy_cloud", "latency", "schedule", "table_format", "warehouse",
    "sources", "sinks", "load_mode", "ci_provider",
)  # fmt: skip
#: How each scheduled run reads its source: only its data interval, or whole tables.
LOAD_MODES: tuple[str, ...] = ("incremental", "full_refresh")
ADD_FIELDS: tuple[str, ...] = ("components",)
FIELD_ORDER: tuple[str, ...] = (*SET_FIELDS, *ADD_FIELDS, "warnings")

Scalar = str | int | float | bool


class Condition(BaseModel):
    """A test over the context (facts plus fields decided so far). Every listed test must hold.

    present/absent: the named values are non-empty / empty. equals: the value is one of those
    listed. contains: the list value shares an element with those listed. at_most/at_least: a
    number is within the bound (an absent number fails both). all/any/not combine conditions.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    all: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()
    not_: Condition | None = Field(default=None, alias="not")
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    equals: dict[str, tuple[Scalar, ...]] = {}
    contains: dict[str, tuple[str, ...]] = {}
    at_most: dict[str, float] = {}
    at_least: dict[str, float] = {}

    def names(self) -> set[str]:
        """Every context name this condition reads (for validating rules at load time)."""
        names = {*self.present, *self.absent, *self.equals, *self.contains, *self.at_most, *self.at_least}
        for child in (*self.all, *self.any, *([self.not_] if self.not_ else [])):
            names |= child.names()
        return names

    def holds(self, ctx: dict[str, Any]) -> bool:
        """Evaluate against a context."""
        return (
            all(_filled(ctx.get(n)) for n in self.present)
            and not any(_filled(ctx.get(n)) for n in self.absent)
            and all(ctx.get(n) in allowed for n, allowed in self.equals.items())
            and all(set(ctx.get(n) or ()) & set(wanted) for n, wanted in self.contains.items())
            and all(_number(ctx, n) is not None and _number(ctx, n) <= v for n, v in self.at_most.items())  # type: ignore[operator]
            and all(_number(ctx, n) is not None and _number(ctx, n) >= v for n, v in self.at_least.items())  # type: ignore[operator]
            and all(c.holds(ctx) for c in self.all)
            and (not self.any or any(c.holds(ctx) for c in self.any))
            and (self.not_ is None or not self.not_.holds(ctx))
        )


def _filled(value: object) -> bool:
    return value is not None and value != "" and value != [] and value != ()


def _number(ctx: dict[str, Any], name: str) -> float | None:
    value = ctx.get(name)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class Rule(BaseModel):
    """One rule: when the condition holds, it sets or adds one field (or warns), for a reason.

    Among rules that set the same field, the highest priority wins; the others are recorded as
    overruled. Values and reasons may refer to context names: ``"$sink_cloud"``, ``"{sources}"``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    priority: int = Field(ge=0, le=999)
    because: str
    when: Condition = Condition()
    set: dict[str, Any] = {}
    add: dict[str, tuple[str, ...]] = {}
    warn: bool = False
    assumption: bool = False

    @model_validator(mode="after")
    def _one_effect(self) -> Rule:
        effects = len(self.set) + len(self.add) + int(self.warn)
        if effects != 1:
            raise ValueError(f"rule {self.id} must set one field, add to one field, or warn")
        if self.set and next(iter(self.set)) not in SET_FIELDS:
            raise ValueError(f"rule {self.id} sets unknown field {next(iter(self.set))!r}")
        if self.add and next(iter(self.add)) not in ADD_FIELDS:
            raise ValueError(f"rule {self.id} adds to unknown field {next(iter(self.add))!r}")
        return self

    @property
    def field(self) -> str:
        """The decision field this rule affects."""
        if self.set:
            return next(iter(self.set))
        if self.add:
            return next(iter(self.add))
        return "warnings"


class Reason(BaseModel):
    """Why a value was chosen: the rule and its sentence."""

    model_config = ConfigDict(frozen=True)

    rule: str
    because: str


class Overruled(BaseModel):
    """A rule that fired but lost to a higher-priority rule (or an override) for the same field."""

    model_config = ConfigDict(frozen=True)

    rule: str
    field: str
    value: Any
    because: str
    lost_to: str


class Decision(BaseModel):
    """The plan: pattern, components and every choice with the rule that made it."""

    model_config = ConfigDict(frozen=True)

    pattern: Pattern
    sources: list[str]
    sinks: list[str]
    cloud: str | None
    latency: str
    schedule: str | None
    table_format: str | None
    components: list[str]
    reasons: list[Reason]
    assumptions: list[str]
    warnings: list[str]
    deploy_cloud: str
    warehouse: str
    load_mode: str  # one of LOAD_MODES; the reason says which phrase (or default) chose it
    ci_provider: str
    domain: str  # the sample domain (catalog/domains.toml), chosen by dataforge.decision.domain
    volume: str | None
    sizing: Sizing  # what the stated volume and latency size (dataforge.decision.sizing)
    overruled: list[Overruled]
    requirement: str
    facts: Facts

    def to_json_dict(self) -> dict[str, Any]:
        """The stable JSON shape of ``dataforge plan --json`` (documented in docs/cli.md)."""
        return self.model_dump(mode="json")
