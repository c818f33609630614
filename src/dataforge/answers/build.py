"""The answers model (validated at the boundary to the templates) and how a decision fills it.

Answers are of two sorts: the choices (SETTABLE in `dataforge.answers.schema`: name, pattern, cloud, source,
sink, warehouse, ...), which a user may override, and everything derived from them through the catalogue
(display names, the source's reader and JDBC details, the cloud's object store and engines). Overrides change
choices only; the derived answers are then resolved again, so they can never disagree with the choices.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from dataforge import __version__
from dataforge.answers.schema import (
    HINTS,
    SETTABLE,
    SOURCE_FORMATS,
    EntitySpec,
    check_entities,
    check_requirement_answer,
    check_schedule,
    check_title,
    choices,
    schedule_grain,
)
from dataforge.catalog import Catalog, load_catalog
from dataforge.compose import Composition
from dataforge.decision import Decision
from dataforge.decision.sizing import SizingBasis, size
from dataforge.errors import UsageError


class ProjectAnswers(BaseModel):
    """What every blueprint receives. Field meanings: docs/blueprints.md; value checks: `answers.schema`.

    Every answer is checked here, whichever way it arrived, so a template can rely on its type and form.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    project_name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,62}$")
    project_slug: str = Field(pattern=r"^[a-z][a-z0-9-]{1,62}$")
    project_title: Annotated[str, AfterValidator(check_title)]
    requirement: Annotated[str, AfterValidator(check_requirement_answer)]
    dataforge_version: str
    pattern: str
    cloud: str
    cloud_stated: bool
    source: str
    source_name: str
    source_kind: str
    source_reader: str
    stream_reader: str = ""  # "" when the source is no stream (a streaming pattern then refuses it)
    source_jdbc: dict[str, Any]
    sink: str
    sink_name: str
    warehouse: str
    warehouse_name: str
    object_store: str
    spark_platform: str
    airflow_platform: str
    schedule: Annotated[str, AfterValidator(check_schedule)]
    load_mode: str
    source_format: str = "csv"
    partition_grain: str
    latency: str
    table_format: str
    components: list[str]
    ci_provider: str
    domain: str
    entities_origin: str = ""  # where the entities came from ("the `x` sample domain"): README, schema.py
    entities: Annotated[list[EntitySpec], AfterValidator(check_entities)]
    reasons: list[dict[str, str]]
    assumptions: list[str]
    warnings: list[str]
    # Sizing (dataforge.decision.sizing): the stated numbers, and what follows from them and the warehouse.
    # Defaults are an unsized project's values, so answers recorded before sizing existed still load.
    sizing_basis: SizingBasis = SizingBasis()
    spark_conf: dict[str, str] = {}  # production Spark properties; empty: the platform's defaults
    spark_max_vcpu: int = 32
    spark_max_memory_gb: int = 128
    spark_max_nodes: int = 10
    warehouse_size: str | int = ""
    sizing_lines: list[str] = []

    @model_validator(mode="after")
    def _in_schema(self) -> ProjectAnswers:
        for name, allowed in choices().items():
            value = getattr(self, name)
            if value not in allowed:
                shown = ", ".join(repr(v) for v in allowed[:12]) + (", ..." if len(allowed) > 12 else "")
                raise ValueError(f"{name} must be one of {shown}, not {value!r}")
        return self


def _derived(chosen: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """Every answer that follows from the choices through the catalogue."""
    source = catalog.technology(chosen["source"])
    sink = catalog.technology(chosen["sink"])
    warehouse = catalog.technology(chosen["warehouse"])
    cloud = catalog.cloud(chosen["cloud"])
    sizing = size(SizingBasis.model_validate(chosen.get("sizing_basis") or {}), chosen["warehouse"])
    return {
        "spark_conf": sizing.spark_conf,
        "spark_max_vcpu": sizing.max_vcpu,
        "spark_max_memory_gb": sizing.max_memory_gb,
        "spark_max_nodes": sizing.max_nodes,
        "warehouse_size": sizing.warehouse_size,
        "sizing_lines": list(sizing.lines),
        "project_slug": chosen["project_name"].replace("_", "-"),
        "dataforge_version": __version__,
        "source_name": source.name,
        "source_kind": source.kind,
        "source_reader": source.reader or "files",
        "stream_reader": source.stream_reader or "",
        "source_jdbc": source.jdbc.model_dump() if source.jdbc else {},
        "sink_name": sink.name,
        "warehouse_name": warehouse.name,
        "object_store": cloud.object_store,
        "spark_platform": cloud.spark_platform,
        "airflow_platform": cloud.airflow_platform,
        # The batch steps partition by hour on an hourly schedule; a streaming pattern's steps stay by day.
        "partition_grain": schedule_grain(chosen["schedule"]) if chosen.get("pattern") == "batch" else "day",
    }


def _readable_format(named: str | None) -> str:
    """The files reader's format for the one named; csv when none is named or the reader does not read it."""
    return named if named in SOURCE_FORMATS else "csv"


def build_answers(decision: Decision, project_name: str, catalog: Catalog | None = None) -> ProjectAnswers:
    """Resolve every name and flag the blueprints need from the decision and the catalogue."""
    catalog = catalog or load_catalog()
    source = decision.sources[0]
    domain = next(d for d in catalog.domains if d.id == decision.domain)
    chosen: dict[str, Any] = {
        "project_name": project_name,
        "project_title": project_name.replace("_", " ").title(),
        "pattern": decision.pattern,
        "cloud": decision.deploy_cloud,
        "source": source,
        "sink": decision.sinks[0] if decision.sinks else decision.warehouse,
        "warehouse": decision.warehouse,
        "schedule": decision.schedule or "@daily",
        "load_mode": decision.load_mode,
        "source_format": _readable_format(decision.facts.file_format),
        "latency": decision.latency,
        "table_format": decision.table_format or "",
        "ci_provider": decision.ci_provider,
        "domain": domain.id,
        "entities_origin": f"the `{domain.id}` sample domain",
        "entities": [entity.model_dump(mode="json") for entity in domain.entity],
    }
    basis = SizingBasis.of(decision.facts)
    return ProjectAnswers(
        **chosen,
        **_derived({**chosen, "sizing_basis": basis}, catalog),
        sizing_basis=basis,
        requirement=decision.requirement,
        cloud_stated=decision.cloud is not None,
        components=list(decision.components),
        reasons=[r.model_dump() for r in decision.reasons],
        assumptions=list(decision.assumptions),
        warnings=list(decision.warnings),
    )


def _parse_value(raw: Any, current: Any) -> Any:
    """Values from --set are text; lists, dicts and booleans are given as JSON."""
    if not isinstance(raw, str) or isinstance(current, str):
        return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _invalid(error: ValidationError) -> UsageError:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    said = f"Invalid value for {field}: {message}." if field else f"Invalid answer: {message}."
    answer = str(first["loc"][0]) if first["loc"] else ""
    hint = HINTS.get(answer, "Check the value against docs/blueprints.md.")
    return UsageError(said, hint=hint)


def apply_overrides(
    answers: ProjectAnswers, overrides: dict[str, Any], catalog: Catalog | None = None
) -> ProjectAnswers:
    """Return answers with user overrides (--set, --answers-file) applied, derived answers resolved again."""
    unknown = sorted(set(overrides) - set(SETTABLE))
    if "requirement" in unknown:
        raise UsageError(
            "The requirement cannot be set as an answer.",
            hint="Pass the requirement as the first argument of `dataforge new`.",
        )
    if unknown:
        derived = unknown[0] in ProjectAnswers.model_fields
        raise UsageError(
            f"{'Derived' if derived else 'Unknown'} answer {unknown[0]!r} cannot be set.",
            hint=f"Answers you can set: {', '.join(SETTABLE)}.",
        )
    data = answers.model_dump()
    for key, raw in overrides.items():
        data[key] = _parse_value(raw, data[key])
    catalog = catalog or load_catalog()
    if "domain" in overrides and "entities" not in overrides and data["domain"] in choices()["domain"]:
        # The entities follow the chosen domain unless they are given too.
        domain = next(d for d in catalog.domains if d.id == data["domain"])
        data["entities"] = [entity.model_dump(mode="json") for entity in domain.entity]
    if "domain" in overrides or "entities" in overrides:
        # The plan's reason for the sample domain no longer holds; say who chose instead.
        given = "entities" if "entities" in overrides else f"domain {data['domain']}"
        data["entities_origin"] = (
            "the entities you gave" if "entities" in overrides else f"the `{data['domain']}` sample domain"
        )
        data["reasons"] = [r for r in data["reasons"] if not r["rule"].startswith("domain.")] + [
            {"rule": "override.domain", "because": f"You set the sample {given}."}
        ]
    if "ci_provider" in overrides:  # `none` renders no CI part, so the project has no `ci` component
        components = [c for c in data["components"] if c != "ci" or data["ci_provider"] != "none"]
        data["components"] = components + ["ci"] * (data["ci_provider"] != "none" and "ci" not in components)
    try:
        ProjectAnswers.model_validate(data)  # check the choices before resolving names from them
    except ValidationError as error:
        raise _invalid(error) from None
    try:
        return ProjectAnswers(**{**data, **_derived(data, catalog)})
    except ValidationError as error:
        raise _invalid(error) from None


def render_data(answers: ProjectAnswers, composition: Composition) -> dict[str, Any]:
    """What every part's blueprint receives: the answers, plus what the composition resolved.

    `assembly` is what the shared files are built from (run steps, make targets, dependency groups,
    environment variables, README lines); `tech.<slot>` is what each chosen technology provides (for
    example `tech.warehouse.dbt_profile`), so templates use resolved values and never test a technology.
    """
    return {
        **answers.model_dump(mode="json"),
        "assembly": composition.assembly.model_dump(mode="json"),
        "tech": composition.provides,
    }
