"""The names rule conditions can test: facts, values derived from them, and fields decided so far."""

from __future__ import annotations

from typing import Any

from dataforge.catalog import Catalog
from dataforge.decision.model import FIELD_ORDER
from dataforge.facts import Facts

_WAREHOUSE_KINDS = frozenset({"warehouse", "olap", "lakehouse_platform"})

#: Names derived here (beyond the Facts fields and the decision fields).
DERIVED_NAMES: frozenset[str] = frozenset(
    {
        "named_sources", "named_sinks", "source_kinds", "sink_kinds", "first_table_format",
        "first_warehouse_sink", "first_sink", "cloud_count", "default_object_store", "default_warehouse",
        "default_stream", "default_table_format", "source_count",
    }
)  # fmt: skip


def known_names() -> frozenset[str]:
    """Every name a rule may refer to; rules naming anything else are refused at load time."""
    return frozenset(Facts.model_fields) | DERIVED_NAMES | frozenset(FIELD_ORDER) | {"components"}


def facts_context(facts: Facts, catalog: Catalog) -> dict[str, Any]:
    """The starting context: facts plus values derived from them with the catalogue."""
    kind = {t.id: t.kind for t in catalog.technologies}
    # A sink dbt can build models in: a warehouse, or any other sink with a dbt adapter (PostgreSQL).
    dbt_ready = {t.id for t in catalog.technologies if t.dbt_package}
    warehouse_sinks = [s for s in facts.sinks if kind[s] in _WAREHOUSE_KINDS or s in dbt_ready]
    ctx: dict[str, Any] = facts.model_dump()
    ctx.update(
        named_sources=list(facts.sources),
        named_sinks=list(facts.sinks),
        source_kinds=sorted({kind[s] for s in facts.sources}),
        sink_kinds=sorted({kind[s] for s in facts.sinks}),
        first_table_format=facts.table_formats[0] if facts.table_formats else None,
        first_warehouse_sink=warehouse_sinks[0] if warehouse_sinks else None,
        first_sink=facts.sinks[0] if facts.sinks else None,
        cloud_count=len(facts.clouds),
        source_count=len(facts.sources),
    )
    return ctx


def add_cloud_defaults(ctx: dict[str, Any], catalog: Catalog) -> None:
    """Once the deploy cloud is known, expose its defaults (object store, warehouse...)."""
    defaults = catalog.cloud(ctx["deploy_cloud"])
    ctx.update(
        default_object_store=defaults.object_store,
        default_warehouse=defaults.warehouse,
        default_stream=defaults.stream,
        default_table_format=defaults.table_format,
    )
