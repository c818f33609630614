"""Project names: derived from the decision, and checked before anything is written."""

from __future__ import annotations

import keyword
import re
import sys
from typing import TYPE_CHECKING

from dataforge.errors import UsageError

if TYPE_CHECKING:
    from dataforge.decision import Decision

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
# Names that would shadow a package the generated project imports, or a folder it already has.
_TAKEN = frozenset(
    {
        "airflow", "dbt", "pyspark", "spark", "great_expectations", "pandas", "duckdb", "pytest", "numpy",
        "pyarrow", "dags", "data", "tests", "test", "src", "docs", "infra", "quality", "dataforge", "copier",
        "setuptools", "pip", "typing_extensions", "dlt", "fsspec", "boto3", "sqlglot",
    }
)  # fmt: skip
_SCHEDULE_WORDS = frozenset({"nightly", "hourly", "daily", "weekly", "monthly"})
_PATTERN_WORDS = {"kappa": "streaming", "lambda": "lambda", "lakehouse": "lakehouse", "batch": "batch"}


def _suggest(name: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "project_" + cleaned
    return cleaned[:63]


def check_project_name(name: str) -> str:
    """Return the name if it is a safe identifier for a folder, a Python package and cloud resources."""
    shown = name if len(name) <= 40 else name[:37] + "..."
    suggestion = _suggest(name)
    hint = (
        f"Use lower-case letters, digits and underscores, starting with a letter, e.g. --name {suggestion}."
    )
    if not _NAME.match(name):
        raise UsageError(f"The project name {shown!r} is not a safe identifier.", hint=hint)
    if keyword.iskeyword(name) or name in _TAKEN or name in sys.stdlib_module_names:
        raise UsageError(
            f"The project name {name!r} would shadow a module the project imports.",
            hint=f"Pick a more specific name, e.g. --name {name}_pipeline.",
        )
    return name


def default_project_name(decision: Decision) -> str:
    """E.g. "nightly_postgres_snowflake": the schedule word (or the pattern), source and sink."""
    phrase = (decision.facts.schedule_phrase or "").strip()
    qualifier = phrase if phrase in _SCHEDULE_WORDS else _PATTERN_WORDS[decision.pattern]
    parts = [qualifier, decision.sources[0], decision.sinks[0] if decision.sinks else decision.warehouse]
    name = "_".join(dict.fromkeys(parts))  # "postgres_postgres" -> "postgres"
    return name if name not in _TAKEN else f"{name}_pipeline"
