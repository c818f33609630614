"""Stage 2: facts -> decision. Evaluates the rules (data) field by field, keeping a full trace."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dataforge.catalog import Catalog, load_catalog
from dataforge.compose.pattern import pattern_components
from dataforge.decision.context import add_cloud_defaults, facts_context, known_names
from dataforge.decision.domain import choose_domain
from dataforge.decision.model import ADD_FIELDS, FIELD_ORDER, Decision, Overruled, Reason, Rule
from dataforge.decision.sizing import SizingBasis, size
from dataforge.facts import Facts

_RULES_FILE = Path(__file__).with_name("rules.toml")


def load_rules(path: Path = _RULES_FILE) -> tuple[Rule, ...]:
    """Load rules and check that every name they read or refer to exists."""
    with path.open("rb") as handle:
        rules = tuple(Rule(**raw) for raw in tomllib.load(handle)["rule"])
    names = known_names()
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate rule ids in {path.name}")
    for rule in rules:
        unknown = (rule.when.names() | _referenced(rule)) - names
        if unknown:
            raise ValueError(f"rule {rule.id} refers to unknown names: {', '.join(sorted(unknown))}")
    return rules


@cache
def default_rules() -> tuple[Rule, ...]:
    """The built-in rules, loaded once per process."""
    return load_rules()


def _referenced(rule: Rule) -> set[str]:
    values = [*rule.set.values(), *(v for vs in rule.add.values() for v in vs)]
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    refs = {v[1:] for v in flat if isinstance(v, str) and v.startswith("$")}
    fields = {f for _, f, _, _ in string.Formatter().parse(rule.because) if f}
    return refs | fields


def _resolve(value: Any, ctx: Mapping[str, Any]) -> Any:
    if isinstance(value, list):
        resolved = [_resolve(v, ctx) for v in value]
        flat = [x for r in resolved for x in (r if isinstance(r, list) else [r])]
        return [x for i, x in enumerate(flat) if x and x not in flat[:i]] or None
    if isinstance(value, str) and value.startswith("$"):
        return ctx.get(value[1:]) or None
    return value


class _Readable(dict[str, Any]):
    """Formats context values for reasons: lists joined, nothing shown as "none"."""

    def __missing__(self, key: str) -> str:
        return "none"

    def __getitem__(self, key: str) -> Any:
        value = super().get(key)
        if value is None or value == []:
            return "none"
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


def _explain(rule: Rule, ctx: Mapping[str, Any]) -> str:
    return rule.because.format_map(_Readable(ctx))


@dataclass
class _Trace:
    reasons: list[Reason] = field(default_factory=list)
    overruled: list[Overruled] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def decide(
    facts: Facts,
    overrides: Mapping[str, str] | None = None,
    rules: Sequence[Rule] | None = None,
    catalog: Catalog | None = None,
) -> Decision:
    """Settle every decision field in order; user overrides win and appear in the trace."""
    catalog = catalog or load_catalog()
    rules = default_rules() if rules is None else rules
    overrides = dict(overrides or {})
    ctx = facts_context(facts, catalog)
    trace = _Trace()
    for name in FIELD_ORDER:
        # Stable sort: among equal priorities the rule written first wins.
        group = sorted((r for r in rules if r.field == name), key=lambda r: -r.priority)
        if name == "warnings":
            trace.warnings += [_explain(r, ctx) for r in group if r.when.holds(ctx)]
        elif name == "components":
            ctx[name] = _compose(ctx["pattern"], trace) + [
                c for c in _add(group, ctx, trace) if c not in pattern_components(ctx["pattern"])
            ]
            if ctx["ci_provider"] == "none":  # `--ci none`: the ci slot stays empty (dataforge.compose)
                ctx[name] = [c for c in ctx[name] if c != "ci"]
        elif name in ADD_FIELDS:
            ctx[name] = _add(group, ctx, trace)
        else:
            ctx[name] = _settle(name, group, ctx, overrides.get(name), trace)
        if name == "deploy_cloud":
            add_cloud_defaults(ctx, catalog)
    for correction in facts.corrections:
        trace.warnings.insert(
            0, f'Read "{correction.written}" as "{correction.read_as}" ({correction.technology}).'
        )
    domain, domain_reason = choose_domain(facts.requirement, next(iter(ctx["sources"] or []), None), catalog)
    trace.reasons.append(domain_reason)
    sizing = size(SizingBasis.of(facts), ctx["warehouse"])
    trace.reasons += [Reason(rule=r.rule, because=r.because) for r in sizing.reasons]
    trace.warnings += list(sizing.warnings)  # a query load the warehouse cannot run, with the hint
    return Decision(
        pattern=ctx["pattern"],
        sources=ctx["sources"],
        sinks=ctx["sinks"],
        cloud=ctx["cloud"],
        latency=ctx["latency"],
        schedule=ctx["schedule"],
        table_format=ctx["table_format"],
        components=ctx["components"],
        reasons=trace.reasons,
        assumptions=trace.assumptions,
        warnings=trace.warnings,
        deploy_cloud=ctx["deploy_cloud"],
        warehouse=ctx["warehouse"],
        load_mode=ctx["load_mode"],
        ci_provider=ctx["ci_provider"],
        domain=domain,
        volume=facts.volume_class,
        sizing=sizing,
        overruled=trace.overruled,
        requirement=facts.requirement,
        facts=facts,
    )


#: The command-line option of a decision field a user may override, where it is not `--<field>`.
_OPTIONS = {"ci_provider": "--ci"}


def _settle(name: str, group: list[Rule], ctx: dict[str, Any], override: str | None, trace: _Trace) -> Any:
    winner_id: str | None = None
    value: Any = None
    if override is not None:
        winner_id, value = f"override.{name}", override
        option = _OPTIONS.get(name, "--" + name.replace("_", "-"))
        trace.reasons.append(Reason(rule=winner_id, because=f"You asked for {option} {override}."))
    for rule in group:
        if not rule.when.holds(ctx):
            continue
        candidate = _resolve(rule.set[name], ctx)
        if candidate is None:
            continue  # it refers to something the requirement did not give
        if winner_id is None:
            winner_id, value = rule.id, candidate
            ctx[name] = value  # so the reason can name the value it chose
            because = _explain(rule, ctx)
            trace.reasons.append(Reason(rule=rule.id, because=because))
            if rule.assumption:
                trace.assumptions.append(because)
        elif candidate != value:
            trace.overruled.append(
                Overruled(
                    rule=rule.id, field=name, value=candidate, because=_explain(rule, ctx), lost_to=winner_id
                )
            )
    return value


def _add(group: list[Rule], ctx: dict[str, Any], trace: _Trace) -> list[str]:
    collected: list[str] = []
    for rule in group:
        if rule.when.holds(ctx):
            collected += [
                v for v in _resolve(list(next(iter(rule.add.values()))), ctx) or [] if v not in collected
            ]
            trace.reasons.append(Reason(rule=rule.id, because=_explain(rule, ctx)))
    return collected


def _compose(pattern: str, trace: _Trace) -> list[str]:
    """The pattern's own components, from its manifest, with the manifest named as the reason."""
    components = pattern_components(pattern)
    if components:
        trace.reasons.append(
            Reason(
                rule=f"composition.{pattern}",
                because=f"A {pattern} project is composed of: {', '.join(components)} "
                f"(blueprints/patterns/{pattern}.toml).",
            )
        )
    return components
