"""The answers model (validated at the boundary to the templates) and how a decision fills it."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dataforge import __version__
from dataforge.catalog import Catalog, load_catalog
from dataforge.compose import Composition
from dataforge.decision import Decision
from dataforge.errors import UsageError

_WAREHOUSE_NAMES = {"postgres": "PostgreSQL"}


class ProjectAnswers(BaseModel):
    """What every blueprint receives. Field meanings: docs/blueprints.md."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    project_name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,62}$")
    project_slug: str = Field(pattern=r"^[a-z][a-z0-9-]{1,62}$")
    project_title: str
    requirement: str
    dataforge_version: str
    pattern: Literal["batch", "kappa", "lambda", "lakehouse"]
    cloud: Literal["aws", "gcp", "azure"]
    cloud_stated: bool
    source: str
    source_name: str
    source_kind: str
    source_reader: Literal[
        "jdbc", "files", "sftp", "api", "salesforce", "mongodb", "dynamodb", "cassandra", "stream"
    ]
    source_jdbc: dict[str, Any]
    sink: str
    sink_name: str
    warehouse: Literal["bigquery", "snowflake", "redshift", "synapse", "databricks", "postgres", "clickhouse"]
    warehouse_name: str
    warehouse_dbt_package: str
    object_store: Literal["s3", "gcs", "adls"]
    spark_platform: Literal["emr_serverless", "dataproc_serverless", "synapse_spark"]
    airflow_platform: Literal["mwaa", "composer", "astronomer"]
    schedule: str
    latency: Literal["realtime", "near_realtime", "batch"]
    table_format: Literal["", "delta", "iceberg", "hudi"]
    components: list[str]
    ci_provider: Literal["github_actions", "gitlab_ci", "azure_pipelines"]
    domain: str
    entities: list[dict[str, Any]]
    reasons: list[dict[str, str]]
    assumptions: list[str]
    warnings: list[str]


def build_answers(decision: Decision, project_name: str, catalog: Catalog | None = None) -> ProjectAnswers:
    """Resolve every name and flag the blueprints need from the decision and the catalogue."""
    catalog = catalog or load_catalog()
    source = catalog.technology(decision.sources[0])
    sink = catalog.technology(decision.sinks[0]) if decision.sinks else catalog.technology(decision.warehouse)
    warehouse = catalog.technology(decision.warehouse)
    cloud = catalog.cloud(decision.deploy_cloud)
    domain = catalog.domain_for(source.id)
    return ProjectAnswers(
        project_name=project_name,
        project_slug=project_name.replace("_", "-"),
        project_title=project_name.replace("_", " ").title(),
        requirement=decision.requirement,
        dataforge_version=__version__,
        pattern=decision.pattern,
        cloud=decision.deploy_cloud,
        cloud_stated=decision.cloud is not None,
        source=source.id,
        source_name=source.name,
        source_kind=source.kind,
        source_reader=source.reader or "files",
        source_jdbc=source.jdbc.model_dump() if source.jdbc else {},
        sink=sink.id,
        sink_name=sink.name,
        warehouse=warehouse.id,
        warehouse_name=_WAREHOUSE_NAMES.get(warehouse.id, warehouse.name),
        warehouse_dbt_package=warehouse.dbt_package or f"dbt-{warehouse.id}",
        object_store=cloud.object_store,
        spark_platform=cloud.spark_platform,
        airflow_platform=cloud.airflow_platform,
        schedule=decision.schedule or "@daily",
        latency=decision.latency,
        table_format=decision.table_format or "",
        components=list(decision.components),
        ci_provider=decision.ci_provider,
        domain=domain.id,
        entities=[entity.model_dump(mode="json") for entity in domain.entity],
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


def apply_overrides(answers: ProjectAnswers, overrides: dict[str, Any]) -> ProjectAnswers:
    """Return answers with user overrides (--set, --answers-file) applied and re-validated."""
    data = answers.model_dump()
    unknown = sorted(set(overrides) - set(data))
    if unknown:
        raise UsageError(
            f"Unknown answer {unknown[0]!r}.",
            hint=f"Answers you can set: {', '.join(sorted(data))}.",
        )
    for key, raw in overrides.items():
        data[key] = _parse_value(raw, data[key])
    if "project_name" in overrides and "project_slug" not in overrides:
        data["project_slug"] = str(data["project_name"]).replace("_", "-")
    try:
        return ProjectAnswers(**data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise UsageError(
            f"Invalid value for {field}: {first['msg']}.",
            hint="Check the value against docs/blueprints.md.",
        ) from None


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
