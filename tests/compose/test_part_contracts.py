"""Every technology folder keeps the contract its kind promises (docs/blueprints.md), so stages can rely on it.

A warehouse, source or cloud that forgets a key would render a project that breaks only when that technology
is chosen; these checks fail on the folder instead, for every technology at once.
"""

from __future__ import annotations

import re

import pytest

from dataforge.compose import blueprints_root
from dataforge.compose.parts import Part, list_parts, load_part

ROOT = blueprints_root()
PROJECT = "[[ project_name ]]"


def parts(kind: str) -> list[Part]:
    found = [load_part(ROOT, kind, name) for name in list_parts(ROOT, kind)]  # type: ignore[arg-type]
    assert found, f"no {kind} parts under {ROOT}"
    return [p for p in found if p is not None]


def env_names(part: Part) -> set[str]:
    return {v.name for v in part.spec.env}


@pytest.mark.parametrize("part", parts("warehouses"), ids=lambda p: p.name)
def test_a_warehouse_gives_dbt_its_prod_target_and_declares_what_it_reads(part: Part) -> None:
    provides = part.spec.provides
    for key in (
        "name",
        "dbt_package",
        "dlt_destination",
        "sqlglot_dialect",
        "sqlfluff_dialect",
        "curated_tables",
    ):
        assert isinstance(provides.get(key), str), f"{part.id} provides no {key}"
        assert provides[key], f"{part.id} provides an empty {key}"
    profile = provides.get("dbt_profile")
    assert isinstance(profile, dict), f"{part.id} provides no dbt_profile"
    assert isinstance(profile.get("type"), str), f"{part.id}: dbt_profile.type"
    prod = " ".join(part.spec.dependencies.get("prod", ()))
    assert str(provides["dbt_package"]) in prod, f"{part.id}: its dbt adapter is not a prod dependency"
    assert f"dlt[{provides['dlt_destination']}]" in prod, (
        f"{part.id}: its dlt destination is not a prod dependency"
    )
    read = set(re.findall(r"env_var\('([A-Z0-9_]+)'", str(profile)))
    shared = {"DBT_SCHEMA"}  # the dbt stage declares the schema every target writes to
    assert read - shared <= env_names(part), (
        f"{part.id} reads undeclared variables {sorted(read - shared - env_names(part))}"
    )


@pytest.mark.parametrize("part", parts("sources"), ids=lambda p: p.name)
def test_a_source_renders_its_reader_module_and_its_tests(part: Part) -> None:
    template = part.folder / "template"
    assert (template / "src" / PROJECT / "source.py.jinja").is_file(), f"{part.id} has no source.py"
    tests = list((template / "tests" / "source").glob("test_*.py*"))
    assert tests, f"{part.id} renders no tests/source"
    text = (template / "src" / PROJECT / "source.py.jinja").read_text()
    for name in ("def extract_source(", "def read_source(", "SPARK_PACKAGES"):
        assert name in text, f"{part.id}: source.py lacks {name}"


@pytest.mark.parametrize("part", parts("clouds"), ids=lambda p: p.name)
def test_a_cloud_brings_terraform_its_spark_operator_and_its_object_store(part: Part) -> None:
    template = part.folder / "template"
    package = template / "src" / PROJECT
    assert (package / "orchestration" / "spark_operator.py.jinja").is_file(), part.id
    assert (package / "object_store" / "__init__.py").is_file(), part.id
    assert "def upload(" in (package / "object_store" / "__init__.py").read_text()
    terraform = part.spec.provides.get("terraform")
    assert isinstance(terraform, dict), f"{part.id} provides no terraform"
    assert (template / str(terraform["dir"])).is_dir(), f"{part.id}: {terraform['dir']} is missing"
    assert list((template / "tests" / "orchestration").glob("test_*.py*")), f"{part.id} tests no operator"
    for warehouse, spec in dict(terraform.get("warehouses", {})).items():
        assert load_part(ROOT, "warehouses", warehouse) is not None, (
            f"{part.id}: unknown warehouse {warehouse}"
        )
        file = part.folder / "warehouses" / spec["file"]
        assert file.is_file(), f"{part.id}: warehouses/{spec['file']} for {warehouse} is missing"
