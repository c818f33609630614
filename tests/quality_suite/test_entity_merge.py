"""`add-quality-suite <entity> --from-data FILE` when the project's schema already has a suite of that name.

The file wins: columns it lacks are dropped (and listed), types come from its profile, the schema's
expectations it passes and the user's edits on its columns are kept, and the merge is shown before writing.
The GX validation of the merged suite is in test_e2e_entity_merge.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from tests.quality_suite import customers_sample
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.commands.add_quality_suite import plan_suite
from dataforge.commands.new import generate
from dataforge.quality.profile import profile_file
from dataforge.quality.propose import TYPE_LISTS
from dataforge.quality.verify import PASSES, count_misses, patterns_to_check, verdict
from dataforge.quality.view import plan_view

SUITE = "quality/expectations/customers.json"
SAMPLE = "samples/customers.csv"


@pytest.fixture(scope="module")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("projects")
    return generate("nightly load of Postgres tables into Snowflake", output=out, name="shop", git=False).path


@pytest.fixture
def project(template_project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "shop"
    shutil.copytree(template_project, copy)
    customers_sample.write_csv(copy / SAMPLE, customers_sample.rows())
    return copy


def columns_checked(suite: dict[str, object]) -> set[str]:
    expectations = suite["expectations"]
    assert isinstance(expectations, list)
    return {e["kwargs"]["column"] for e in expectations if "column" in e["kwargs"]}


def test_the_entity_suite_exists_and_differs_from_the_file(template_project: Path) -> None:
    """The premise: the schema-derived suite checks columns the file lacks."""
    suite = json.loads((template_project / SUITE).read_text())
    assert set(customers_sample.MISSING) <= columns_checked(suite)


def test_a_suite_built_from_a_file_accepts_that_file(project: Path) -> None:
    """The issue's reproduction: the merged suite must not reject the very file it was built from."""
    result = CliRunner().invoke(
        app,
        [
            "add-quality-suite",
            "customers",
            "--from-data",
            str(project / SAMPLE),
            "--project",
            str(project),
            "--yes",
        ],
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    suite = json.loads((project / SUITE).read_text())
    assert columns_checked(suite) <= set(customers_sample.COLUMNS)
    column_set = next(e for e in suite["expectations"] if e["type"] == "expect_table_columns_to_match_set")
    assert sorted(column_set["kwargs"]["column_set"]) == sorted(customers_sample.COLUMNS)
    types = {
        e["kwargs"]["column"]: e["kwargs"]["type_list"]
        for e in suite["expectations"]
        if e["type"] == "expect_column_values_to_be_in_type_list"
    }
    assert types["customer_id"] == TYPE_LISTS["string"]  # the file's codes, not the entity's integer
    assert types["is_active"] == TYPE_LISTS["boolean"]
    profile = profile_file(project / SAMPLE)
    misses = count_misses(project / SAMPLE, patterns_to_check(suite["expectations"], set(profile.columns)))
    failing = [e for e in suite["expectations"] if verdict(e, profile, misses) not in (PASSES, None)]
    assert not failing
    assert "The file lacks 2 column(s) the existing suite checks: full_name, signup_at" in result.stdout


def test_the_merge_lists_added_kept_replaced_and_dropped(project: Path) -> None:
    suite_path = project / SUITE
    suite = json.loads(suite_path.read_text())
    for e in suite["expectations"]:
        if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == "country":
            e["kwargs"]["value_set"].append("CA")  # the user's edit; the file passes it
    suite["expectations"] += [
        {  # the user's, on a column the file lacks
            "type": "expect_column_values_to_not_match_regex",
            "kwargs": {"column": "full_name", "regex": "TEST"},
        },
        {  # the user's, which the file fails (its e-mails are 18-20 characters)
            "type": "expect_column_value_lengths_to_be_between",
            "kwargs": {"column": "email", "min_value": 1, "max_value": 5},
        },
        {  # the user's, which the profile cannot check: kept
            "type": "expect_column_values_to_not_match_regex",
            "kwargs": {"column": "email", "regex": "@spam\\."},
        },
    ]
    suite_path.write_text(json.dumps(suite, indent=2))
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}

    plan = plan_suite(project, "customers", from_data=project / SAMPLE)

    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before  # nothing written
    listed = {(c.action, c.column, c.type.removeprefix("expect_")): c.detail for c in plan.changes}
    for column in customers_sample.MISSING:
        assert (
            listed[("dropped", column, "column_values_to_be_in_type_list")]
            == f"the file has no column {column}"
        )
        assert ("dropped", column, "column_values_to_not_be_null") in listed
    assert ("dropped", "full_name", "column_values_to_not_match_regex") in listed
    assert "file lacks full_name, signup_at" in listed[("replaced", "", "table_columns_to_match_set")]
    assert "file also has loyalty_tier" in listed[("replaced", "", "table_columns_to_match_set")]
    assert (
        "types come from the file" in listed[("replaced", "customer_id", "column_values_to_be_in_type_list")]
    )
    assert listed[("replaced", "email", "column_value_lengths_to_be_between")].startswith(
        "the file's values have 18..20 characters; yours"
    )
    assert listed[("kept", "country", "column_values_to_be_in_set")] == "yours"
    assert listed[("kept", "email", "column_values_to_not_match_regex")] == "yours"
    assert listed[("kept", "email", "column_values_to_match_regex")] == "from the schema; the file passes it"
    assert ("added", "loyalty_tier", "column_values_to_be_in_set") in listed
    assert not [c for c in plan.changes if c.column in customers_sample.MISSING and c.action != "dropped"]

    merged = plan.suite["expectations"]
    country = next(e for e in merged if e["type"].endswith("_in_set") and e["kwargs"]["column"] == "country")
    assert "CA" in country["kwargs"]["value_set"]
    assert columns_checked(plan.suite) <= set(customers_sample.COLUMNS)
    lengths = next(
        e for e in merged if e["type"].endswith("lengths_to_be_between") and e["kwargs"]["column"] == "email"
    )
    assert lengths["kwargs"]["max_value"] >= 20

    console = Console(record=True, width=200, color_system=None)
    console.print(plan_view(plan))
    shown = console.export_text()
    for action in ("added", "kept", "replaced", "dropped"):
        assert f"│ {action}" in shown
    assert "The file lacks 2 column(s) the existing suite checks: full_name, signup_at" in shown
    assert "from the schema (kept)" in shown


def test_any_other_name_gives_the_same_columns_and_types(project: Path) -> None:
    """Without an existing suite the proposal is the file's alone; the entity's merge must agree with it."""
    entity = plan_suite(project, "customers", from_data=project / SAMPLE).suite
    other = plan_suite(project, "buyers", from_data=project / SAMPLE).suite

    def shape(suite: dict[str, object]) -> dict[str, object]:
        expectations = suite["expectations"]
        assert isinstance(expectations, list)
        return {
            (e["type"], e["kwargs"].get("column")): sorted(
                e["kwargs"].get("type_list") or e["kwargs"].get("column_set") or []
            )
            for e in expectations
            if e["type"] in ("expect_column_values_to_be_in_type_list", "expect_table_columns_to_match_set")
        }

    assert shape(entity) == shape(other)
