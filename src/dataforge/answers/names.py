"""Project names: derived from the decision, and checked before anything is written.

A project name becomes the Python package, the dbt project, the Airflow DAG id prefix and, with `_` turned
into `-` (the slug), the prefix of every cloud resource name. The check is derived from where the name goes,
so it cannot disagree with them: the `project_name` and `project_slug` validators of every blueprint's
copier.yml (the slug's length bounds there are what each cloud's Terraform naming limits allow), and the
import names of every dependency any part declares, which a package of the same name would shadow.
"""

from __future__ import annotations

import keyword
import re
import sys
from functools import cache
from typing import TYPE_CHECKING

from dataforge.errors import UsageError

if TYPE_CHECKING:
    from dataforge.decision import Decision

# What any name must be before the blueprints' own rules apply: plain ASCII letters, digits and `_`.
_PLAIN = re.compile(r"[a-z][a-z0-9_]*")
_VALIDATED = ("project_name", "project_slug")
_REGEX_IN_VALIDATOR = re.compile(r"regex_search\('([^']+)'\)")

# Distributions whose import name is not their name with `-` turned into `_`, or that bring other top-level
# packages the project imports (an adapter brings its driver, an extra its client). Keys are normalised
# names, with the extra in brackets. tests/unit/test_names.py fails when a part declares an extra or a
# dependency this table does not know and whose installed import names are not covered.
IMPORT_NAMES: dict[str, tuple[str, ...]] = {
    "apache-airflow": ("airflow",),
    "apache-airflow-providers-amazon": ("airflow",),
    "apache-airflow-providers-google": ("airflow", "google"),
    "apache-airflow-providers-microsoft-azure": ("airflow", "azure"),
    "azure-identity": ("azure",),
    "azure-storage-file-datalake": ("azure",),
    "google-cloud-storage": ("google",),
    "dbt-core": ("dbt",),
    "dbt-duckdb": ("dbt", "duckdb"),
    "dbt-bigquery": ("dbt", "google"),
    "dbt-snowflake": ("dbt", "snowflake"),
    "dbt-postgres": ("dbt", "psycopg2"),
    "dbt-redshift": ("dbt", "redshift_connector"),
    "dbt-databricks": ("dbt", "databricks"),
    "dbt-synapse": ("dbt", "pyodbc"),
    "dbt-clickhouse": ("dbt", "clickhouse_connect", "clickhouse_driver"),
    "dlt[duckdb]": ("duckdb",),
    "dlt[bigquery]": ("google",),
    "dlt[snowflake]": ("snowflake",),
    "dlt[postgres]": ("psycopg2",),
    "dlt[redshift]": ("psycopg2",),
    "dlt[databricks]": ("databricks",),
    "dlt[synapse]": ("pyodbc", "adlfs"),
    "dlt[clickhouse]": ("clickhouse_connect",),
    "moto[server]": ("flask", "werkzeug"),
    "pytest": ("pytest", "_pytest", "py"),
    "pyspark": ("pyspark", "spark"),  # `spark/` is also a folder of the project
    "great-expectations": ("great_expectations", "pandas", "numpy"),
}
# Names the project uses that no part declares: the build backend, packaging tools, the generator.
_UNDECLARED = ("hatchling", "pip", "setuptools", "typing_extensions", "dataforge", "copier", "data", "test")


def _normalise(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def requirement_keys(requirement: str) -> list[str]:
    """`"dlt[duckdb,bigquery]>=1"` -> `["dlt", "dlt[duckdb]", "dlt[bigquery]"]` (normalised)."""
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?", requirement)
    if found is None:
        return []
    name = _normalise(found.group(1))
    extras = [_normalise(e) for e in (found.group(2) or "").split(",") if e.strip()]
    return [name, *(f"{name}[{extra}]" for extra in extras)]


def import_names(key: str) -> tuple[str, ...]:
    """The top-level import names a requirement key brings (see IMPORT_NAMES)."""
    if key in IMPORT_NAMES:
        return IMPORT_NAMES[key]
    return () if "[" in key else (key.replace("-", "_"),)


@cache
def declared_requirements() -> tuple[str, ...]:
    """Every dependency any part declares, in any group."""
    from dataforge.compose import blueprints_root
    from dataforge.compose.parts import PART_KINDS, list_parts, load_part

    root = blueprints_root()
    found: set[str] = set()
    for kind in PART_KINDS:
        for name in list_parts(root, kind):
            part = load_part(root, kind, name)
            if part is not None:
                found.update(r for group in part.spec.dependencies.values() for r in group)
    return tuple(sorted(found))


@cache
def reserved_names() -> frozenset[str]:
    """Names a project may not take: imports of its dependencies, its folders, the stdlib, keywords."""
    from dataforge.compose import blueprints_root

    imports = {n for r in declared_requirements() for key in requirement_keys(r) for n in import_names(key)}
    templates = blueprints_root().glob("*/*/template/*")
    folders = {p.name for p in templates if p.is_dir() and _PLAIN.fullmatch(p.name)}
    return frozenset(
        imports | folders | set(_UNDECLARED) | set(sys.stdlib_module_names) | set(keyword.kwlist)
    )


@cache
def blueprint_rules() -> dict[str, tuple[str, ...]]:
    """`project_name` / `project_slug` -> the regular expressions every copier.yml validator applies."""
    import yaml

    from dataforge.compose import blueprints_root

    rules: dict[str, set[str]] = {field: set() for field in _VALIDATED}
    for copier_yml in sorted(blueprints_root().glob("*/*/copier.yml")):
        questions = yaml.safe_load(copier_yml.read_text(encoding="utf-8")) or {}
        for field in _VALIDATED:
            validator = (questions.get(field) or {}).get("validator", "")
            rules[field].update(_REGEX_IN_VALIDATOR.findall(validator))
    return {field: tuple(sorted(found)) for field, found in rules.items()}


def slug(name: str) -> str:
    """The name as cloud resources use it (`project_slug`)."""
    return name.replace("_", "-")


def _passes_blueprints(name: str) -> bool:
    rules = blueprint_rules()
    return all(re.search(r, name) for r in rules["project_name"]) and all(
        re.search(r, slug(name)) for r in rules["project_slug"]
    )


@cache
def length_bounds() -> tuple[int, int]:
    """The shortest and longest names every blueprint accepts (probed, so it follows the validators)."""
    fits = [n for n in range(1, 128) if _passes_blueprints("a" * n)]
    return min(fits), max(fits)


def _suggest(name: str) -> str:
    shortest, longest = length_bounds()
    cleaned = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "project_" + cleaned
    if len(cleaned) < shortest or cleaned in reserved_names():
        cleaned += "_pipeline"
    return cleaned[:longest].rstrip("_")


def check_project_name(name: str) -> str:
    """Return the name if it is a safe identifier for a folder, a Python package and cloud resources."""
    shortest, longest = length_bounds()
    shown = name if len(name) <= 40 else name[:37] + "..."
    hint = (
        f"Use {shortest} to {longest} lower-case letters, digits and underscores, starting with a letter "
        f"and not ending with an underscore, e.g. --name {_suggest(name)}."
    )
    if not _PLAIN.fullmatch(name):
        raise UsageError(f"The project name {shown!r} is not a safe identifier.", hint=hint)
    if not shortest <= len(name) <= longest:
        raise UsageError(
            f"The project name {shown!r} has {len(name)} characters; cloud resource names built from it "
            f"allow {shortest} to {longest}.",
            hint=hint,
        )
    if not _passes_blueprints(name):
        raise UsageError(
            f"The project name {shown!r} cannot start cloud resource names (as {slug(name)!r}).", hint=hint
        )
    if name in reserved_names():
        raise UsageError(
            f"The project name {name!r} would shadow a module or folder the project uses.",
            hint=f"Pick a more specific name, e.g. --name {_suggest(name)}.",
        )
    return name


_SCHEDULE_WORDS = frozenset({"nightly", "hourly", "daily", "weekly", "monthly"})
_PATTERN_WORDS = {"kappa": "streaming", "lambda": "lambda", "lakehouse": "lakehouse", "batch": "batch"}


def default_project_name(decision: Decision) -> str:
    """E.g. "nightly_postgres_snowflake": the schedule word (or the pattern), source and sink."""
    phrase = (decision.facts.schedule_phrase or "").strip()
    qualifier = phrase if phrase in _SCHEDULE_WORDS else _PATTERN_WORDS[decision.pattern]
    parts = [qualifier, decision.sources[0], decision.sinks[0] if decision.sinks else decision.warehouse]
    name = "_".join(dict.fromkeys(parts))  # "postgres_postgres" -> "postgres"
    if len(name) > length_bounds()[1]:
        name = "_".join(dict.fromkeys(parts[1:]))  # the technologies say more than the qualifier
    return _suggest(name) if name in reserved_names() or len(name) > length_bounds()[1] else name
