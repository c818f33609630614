"""The project-name check agrees with every place the name goes: copier validators, Terraform, imports."""

from __future__ import annotations

import importlib.metadata
import re
import sys

import jinja2
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dataforge.answers.names import (
    IMPORT_NAMES,
    check_project_name,
    declared_requirements,
    import_names,
    length_bounds,
    requirement_keys,
    reserved_names,
    slug,
)
from dataforge.compose import blueprints_root
from dataforge.errors import ExitCode, UsageError

# Copier renders validators with these delimiters and the regex_search filter (re.search).
_JINJA = jinja2.Environment(
    block_start_string="[%", block_end_string="%]", variable_start_string="[[", variable_end_string="]]",
    autoescape=False,
)  # fmt: skip
_JINJA.filters["regex_search"] = lambda value, pattern: re.search(pattern, value)


def _validators() -> list[tuple[str, str, jinja2.Template]]:
    found = []
    for copier_yml in sorted(blueprints_root().glob("*/*/copier.yml")):
        questions = yaml.safe_load(copier_yml.read_text(encoding="utf-8")) or {}
        for field in ("project_name", "project_slug"):
            if validator := (questions.get(field) or {}).get("validator"):
                found.append((str(copier_yml.parent.name), field, _JINJA.from_string(validator)))
    return found


VALIDATORS = _validators()


def _blueprints_accept(name: str) -> bool:
    values = {"project_name": name, "project_slug": slug(name)}
    return all(not t.render(**values).strip() for _, field, t in VALIDATORS)


def _accepted(name: str) -> bool:
    try:
        check_project_name(name)
    except UsageError:
        return False
    return True


def test_the_cloud_validators_are_found() -> None:
    slugs = {part for part, field, _ in VALIDATORS if field == "project_slug"}
    assert {"aws", "azure", "gcp"} <= slugs
    assert length_bounds() == (3, 32)


@pytest.mark.parametrize(
    "name",
    ["ab", "p0", "a" * 33, "a" * 63, "abc_", "abc__", "abc\n", "shop_data\n", "Shop", "1abc", "a-b", "ab c",
     "café", "boto3", "snowflake", "google", "dlt", "airflow", "pyspark", "great_expectations", "dbt", "azure",
     "os", "json", "tests", "dags", "import", "psycopg2"],
)  # fmt: skip
def test_refused_names_get_one_line_and_a_hint_whose_example_is_accepted(name: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_project_name(name)
    error = caught.value
    assert error.exit_code == ExitCode.USAGE
    assert "\n" not in error.message
    assert "\n" not in error.hint
    suggestion = re.search(r"--name (\S+)\.$", error.hint)
    assert suggestion, error.hint
    assert check_project_name(suggestion.group(1)) == suggestion.group(1)


@pytest.mark.parametrize("name", ["xyz", "shop_data", "a" * 32, "a__b", "nightly_postgres_snowflake"])
def test_good_names_are_accepted(name: str) -> None:
    assert check_project_name(name) == name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abz09_-\n é", max_size=70))
def test_the_check_and_every_copier_validator_agree(name: str) -> None:
    # Accepted by dataforge => accepted by every blueprint (so never an internal error later); and a plain
    # name every blueprint accepts is refused only when it would shadow something the project uses.
    if _accepted(name):
        assert _blueprints_accept(name)
    elif re.fullmatch(r"[a-z][a-z0-9_]*", name) and _blueprints_accept(name):
        assert name in reserved_names()


def _terraform_names() -> list[tuple[str, str]]:
    """`"${local.name}<literal>"` names in every cloud's Terraform (the literal is the rest of the name)."""
    found = []
    for tf in sorted(blueprints_root().glob("clouds/*/**/*.tf")):
        for rest in re.findall(
            r'name\s*=\s*"\$\{local\.name\}([-a-z0-9_]*)"', tf.read_text(encoding="utf-8")
        ):
            found.append((tf.name, rest))
    return found


def test_the_longest_name_fits_every_cloud_resource_name() -> None:
    # AWS IAM roles and policies allow 64 characters, S3 and GCS buckets 63 (with a zone and a 12-character
    # account id or an 8-character hash); local.name is <slug>-<environment>, the longest environment "staging".
    longest = "a" * length_bounds()[1] + "-staging"
    names = _terraform_names()
    assert len(names) > 10
    for tf, rest in names:
        assert len(longest + rest) <= 64, (tf, rest)
    for cloud, suffix in (("aws", 12), ("gcp", 8)):
        locals_tf = (blueprints_root() / f"clouds/{cloud}/template/infra/terraform/locals.tf").read_text()
        zones = [*re.findall(r"^    (\w+) = \{", locals_tf, flags=re.MULTILINE), "logs"]
        assert zones
        for zone in zones:
            assert len(f"{longest}-{zone}-{'0' * suffix}") <= 63, (cloud, zone)


def test_every_declared_dependency_import_name_is_reserved() -> None:
    reserved = reserved_names()
    keys = {key for requirement in declared_requirements() for key in requirement_keys(requirement)}
    assert {"apache-airflow", "boto3", "dlt[snowflake]", "dbt-bigquery"} <= keys
    for key in sorted(keys):
        if "[" in key:  # an extra brings other packages: the table must say which
            assert key in IMPORT_NAMES, f"add {key!r} to IMPORT_NAMES in dataforge/answers/names.py"
        assert set(import_names(key)) <= reserved, key
        try:
            files = importlib.metadata.files(key) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        tops = {f.parts[0].removesuffix(".py") for f in files if len(f.parts) > 1 or f.suffix == ".py"}
        plain = {t for t in tops if re.fullmatch(r"[a-z][a-z0-9_]*", t) and "dist-info" not in t}
        assert plain <= reserved, f"{key} installs {sorted(plain - reserved)}: add them to IMPORT_NAMES"
    assert set(IMPORT_NAMES) <= keys, f"stale IMPORT_NAMES entries: {sorted(set(IMPORT_NAMES) - keys)}"


def test_stdlib_and_keywords_are_reserved() -> None:
    assert {"os", "json", "abc", "lambda", "import"} <= reserved_names()
    assert set(sys.stdlib_module_names) <= reserved_names()
