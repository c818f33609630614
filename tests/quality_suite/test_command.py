"""`dataforge add-quality-suite` in a generated project: errors, --from-dbt, writing, idempotency, merging."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.quality_suite import datagen
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.commands.new import generate
from dataforge.project import read_pristine, sha256

SUITE = "quality/expectations/partners.json"


@pytest.fixture(scope="module")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("projects")
    return generate("nightly load of Postgres tables into Snowflake", output=out, name="shop", git=False).path


@pytest.fixture
def project(template_project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "shop"
    shutil.copytree(template_project, copy)
    datagen.write_csv(copy / "samples" / "partners.csv", datagen.rows())
    return copy


def run(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["add-quality-suite", *args, "--project", str(project)])
    return result.exit_code, result.stdout, result.stderr


def tree(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["partners", "--from-data", "missing.csv"], 7, "does not exist"),
        (["partners", "--from-data", "samples"], 7, "is not a file"),
        (["partners", "--from-dbt", "stg_nothing"], 2, "Unknown dbt model 'stg_nothing'"),
        (["partners"], 2, "exactly one of"),
        (["Bad-Name", "--from-dbt", "stg_orders"], 2, "snake_case"),
        (["partners", "--from-data", "samples/partners.csv", "--exclude", "nope"], 2, "nope"),
        (["partners", "--from-data", "samples/partners.csv", "--mostly", "1.5"], 2, "--mostly"),
    ],
)
def test_bad_input_is_one_line_with_a_hint_and_writes_nothing(
    project: Path, args: list[str], code: int, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    before = tree(project)
    exit_code, _, err = run(project, *args, "--yes")
    assert exit_code == code, err
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    assert lines[1].startswith("hint: ")
    assert tree(project) == before


def test_not_a_project_is_exit_6(tmp_path: Path) -> None:
    sample = datagen.write_csv(tmp_path / "p.csv", datagen.rows())
    code, _, err = run(tmp_path, "partners", "--from-data", str(sample), "--yes")
    assert code == 6
    assert "not inside a dataforge project" in err
    assert list(tmp_path.iterdir()) == [sample]


def test_corrupt_manifest_is_exit_6(project: Path) -> None:
    (project / ".dataforge" / "manifest.json").write_text("{not json")
    code, _, err = run(project, "partners", "--from-data", str(project / "samples/partners.csv"), "--yes")
    assert code == 6
    assert "manifest.json is missing or corrupt" in err


def test_dry_run_shows_the_table_and_writes_nothing(project: Path) -> None:
    before = tree(project)
    code, out, _ = run(project, "partners", "--from-data", str(project / "samples/partners.csv"), "--dry-run")
    assert code == 0
    assert "column_values_to_be_unique" in out
    assert "candidate" in out
    assert "nothing was written" in out
    assert tree(project) == before


def test_writes_suite_checkpoint_test_doc_answers_and_manifest(project: Path) -> None:
    code, _out, err = run(project, "partners", "--from-data", str(project / "samples/partners.csv"), "--yes")
    assert code == 0, err
    files = [
        SUITE,
        "quality/checkpoints/partners.json",
        "quality/suites/partners.md",
        "tests/quality/test_suite_partners.py",
        ".dataforge/answers/addons-quality_suite-partners.yml",
    ]
    manifest = json.loads((project / ".dataforge/manifest.json").read_text())["files"]
    for rel in files:
        assert (project / rel).is_file(), rel
        assert manifest[rel]["part"] == "addons/quality_suite"
    suite = json.loads((project / SUITE).read_text())
    assert suite["name"] == "partners"
    assert suite["meta"]["dataforge"]["column_types"]["partner_id"] == "integer"
    answers = (project / ".dataforge/answers/addons-quality_suite-partners.yml").read_text()
    assert "_src_path: dataforge:addons/quality_suite" in answers
    assert "sample: samples/partners.csv" in answers
    assert str(project) not in answers
    compile((project / "tests/quality/test_suite_partners.py").read_text(), "test", "exec")
    assert (
        "| tier | expect_column_values_to_be_in_set |" in (project / "quality/suites/partners.md").read_text()
    )
    assert not [p for p in project.parent.iterdir() if p.name.startswith(".dataforge-staging")]
    assert not [p for p in (project / ".dataforge").iterdir() if p.name.startswith(".dataforge-staging")]
    pristine = read_pristine(project)
    for rel in files:
        assert pristine[rel] == (project / rel).read_bytes(), rel


def test_running_again_is_idempotent(project: Path) -> None:
    sample = str(project / "samples/partners.csv")
    assert run(project, "partners", "--from-data", sample, "--yes")[0] == 0
    before = tree(project)
    code, out, _ = run(project, "partners", "--from-data", sample, "--yes")
    assert code == 0
    assert "No changes to the existing suite" in out
    assert "nothing written" in out
    assert tree(project) == before


def test_update_shows_changes_and_keeps_user_edits(project: Path) -> None:
    sample = project / "samples/partners.csv"
    assert run(project, "partners", "--from-data", str(sample), "--yes")[0] == 0
    suite = json.loads((project / SUITE).read_text())
    kept = []
    for e in suite["expectations"]:
        if e["type"] == "expect_column_values_to_be_in_set":
            e["kwargs"]["value_set"].append("platinum")  # edited by the user
        if not (e["type"] == "expect_column_values_to_match_regex" and e["kwargs"]["column"] == "ref"):
            kept.append(e)  # the user deleted the ref format check
    mine = {"type": "expect_column_values_to_not_match_regex", "kwargs": {"column": "notes", "regex": "TODO"}}
    suite["expectations"] = [*kept, mine]
    (project / SUITE).write_text(json.dumps(suite, indent=2))
    datagen.write_csv(sample, datagen.rows(800))  # the data changed: twice the rows
    code, out, err = run(project, "partners", "--from-data", str(sample), "--yes")
    assert code == 0, err
    assert "changed" in out  # row-count band and the key's ranges moved
    merged = json.loads((project / SUITE).read_text())["expectations"]
    tier = next(e for e in merged if e["type"] == "expect_column_values_to_be_in_set")
    assert "platinum" in tier["kwargs"]["value_set"]
    assert mine in [{"type": e["type"], "kwargs": e["kwargs"]} for e in merged]
    assert not [e for e in merged if e["type"].endswith("match_regex") and e["kwargs"]["column"] == "ref"]
    rows_band = next(e for e in merged if e["type"] == "expect_table_row_count_to_be_between")
    assert rows_band["kwargs"]["max_value"] == 8000
    manifest = json.loads((project / ".dataforge/manifest.json").read_text())["files"]
    assert manifest[SUITE]["sha256"] == sha256(project / SUITE)
    assert read_pristine(project)[SUITE] == (project / SUITE).read_bytes()


def test_from_dbt_follows_the_models_tests(project: Path) -> None:
    code, out, err = run(project, "stg_orders_checks", "--from-dbt", "stg_orders", "--yes")
    assert code == 0, err
    suite = json.loads((project / "quality/expectations/stg_orders_checks.json").read_text())
    kinds = {(e["type"], e["kwargs"].get("column")) for e in suite["expectations"]}
    assert ("expect_column_values_to_be_unique", "order_id") in kinds
    assert ("expect_column_values_to_not_be_null", "customer_id") in kinds
    assert ("expect_column_to_exist", "ingest_date") in kinds
    status = next(e for e in suite["expectations"] if e["type"] == "expect_column_values_to_be_in_set")
    assert status["kwargs"]["column"] == "status"
    assert "placed" in status["kwargs"]["value_set"]
    ranged = next(e for e in suite["expectations"] if e["type"] == "expect_column_values_to_be_between")
    assert (ranged["kwargs"]["column"], ranged["kwargs"]["min_value"], ranged["kwargs"]["max_value"]) == (
        "amount",
        0,
        5000,
    )
    assert any("relationships" in n for n in suite["meta"]["dataforge"]["notes"])
    assert "relationships" in out


def test_an_entity_suite_is_merged_not_replaced(project: Path) -> None:
    """`add-quality-suite customers` (the issue's own example) keeps the schema-derived expectations."""
    suite_path = project / "quality/expectations/customers.json"
    before = {json.dumps(e, sort_keys=True) for e in json.loads(suite_path.read_text())["expectations"]}
    code, out, err = run(project, "customers", "--from-dbt", "stg_customers", "--yes")
    assert code == 0, out + err
    after = {json.dumps(e, sort_keys=True) for e in json.loads(suite_path.read_text())["expectations"]}
    kept = {json.loads(e)["type"] for e in before & after}
    assert len(before & after) >= len(before) - 1, "schema-derived expectations must survive the merge"
    assert "expect_column_values_to_not_be_null" in kept
    manifest = json.loads((project / ".dataforge/manifest.json").read_text())
    assert manifest["files"]["quality/expectations/customers.json"]["part"] == "addons/quality_suite"
