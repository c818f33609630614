"""The one answers schema: which values each choice answer may take, derived from the catalogue.

pydantic validates answers against it, docs/blueprints.md lists it, and a test checks that every `choices`
list in every copier.yml is drawn from it. A technology slot (source reader, warehouse, cloud, CI provider)
also needs a part folder to generate; `dataforge.compose` refuses a choice that has none with a clear error.
"""

from __future__ import annotations

from functools import cache

from dataforge.catalog import load_catalog

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
    "latency",
    "table_format",
    "ci_provider",
    "domain",
    "entities",
)
LATENCIES = ("realtime", "near_realtime", "batch")
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
        "cloud": unique([c.id for c in catalog.clouds]),
        "object_store": unique([c.object_store for c in catalog.clouds]),
        "spark_platform": unique([c.spark_platform for c in catalog.clouds]),
        "airflow_platform": unique([c.airflow_platform for c in catalog.clouds]),
        "source": unique([t.id for t in techs if t.is_data]),
        "sink": unique([t.id for t in techs if t.is_data]),
        "source_reader": unique([t.reader for t in techs if t.reader]),
        "warehouse": unique([t.id for t in techs if t.dbt_package] + [c.warehouse for c in catalog.clouds]),
        "table_format": ("", *unique([t.id for t in techs if t.kind == "table_format"])),
        "ci_provider": unique([t.id for t in techs if t.kind == "ci"]),
        "domain": unique([d.id for d in catalog.domains]),
    }
