"""The generated suites: GX format, derived from the schema, pass on sample data, catch corrupted data."""

from __future__ import annotations

import json

import pytest

from nightly_eventhubs_synapse.quality.suites import discover
from nightly_eventhubs_synapse.quality.validate import _gx_suite, report, validate_path
from nightly_eventhubs_synapse.schema import ENTITIES, FORMATS


def test_every_entity_has_a_suite_in_gx_format(suites_dir):
    suites = discover(suites_dir)
    assert set(ENTITIES) <= set(suites)
    for name, path in suites.items():
        suite = json.loads(path.read_text())
        assert suite["name"] == name
        assert len(_gx_suite(suite).expectations) == len(suite["expectations"])


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_suite_follows_the_column_specs(entity, suites_dir):
    spec = ENTITIES[entity]
    expectations = json.loads((suites_dir / f"{entity}.json").read_text())["expectations"]
    by_type: dict[str, list[dict]] = {}
    for e in expectations:
        by_type.setdefault(e["type"], []).append(e["kwargs"])
    assert by_type["expect_table_columns_to_match_set"][0]["column_set"] == spec.column_names
    assert {k["column"] for k in by_type["expect_column_values_to_not_be_null"]} == {
        c.name for c in spec.columns if not c.nullable
    }
    assert spec.primary_key in {k["column"] for k in by_type["expect_column_values_to_be_unique"]}
    for kwargs in by_type.get("expect_column_values_to_match_regex", []):
        assert kwargs["regex"] == FORMATS[spec.column(kwargs["column"]).format]


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
@pytest.mark.parametrize("entity", list(ENTITIES))
def test_sample_data_passes(entity, fmt, rows, writer, suites_dir):
    path = getattr(writer, fmt)(entity, rows[entity])
    results = validate_path(entity, path, suites_dir)
    assert [r.success for r in results] == [True], report(results)
    assert results[0].rows == len(rows[entity])


def corruption_cases():
    """(entity, kind, column, expectation) for every way the column specs let us break an entity."""
    cases = []
    for spec in ENTITIES.values():
        pk = spec.primary_key
        cases.append((spec.name, "duplicate_key", pk, "expect_column_values_to_be_unique"))
        required = next(c for c in spec.columns if not c.nullable and c.name != pk)
        cases.append((spec.name, "null", required.name, "expect_column_values_to_not_be_null"))
        ranged = next((c for c in spec.columns if c.max is not None), None)
        if ranged:
            cases.append((spec.name, "out_of_range", ranged.name, "expect_column_values_to_be_between"))
        categorical = next((c for c in spec.columns if c.values), None)
        if categorical:
            cases.append((spec.name, "unknown_category", categorical.name, "expect_column_values_to_be_in_set"))
        formatted = next((c for c in spec.columns if c.format), None)
        if formatted:
            cases.append((spec.name, "bad_format", formatted.name, "expect_column_values_to_match_regex"))
    return [pytest.param(*case, id=f"{case[0]}-{case[1]}-{case[2]}") for case in cases]


def corrupt(rows: list[dict], entity: str, kind: str, column: str) -> list[dict]:
    spec = ENTITIES[entity].column(column)
    if kind == "duplicate_key":
        return [*rows, dict(rows[0])]
    if kind == "null":
        rows[3][column] = None
    elif kind == "out_of_range":
        rows[5][column] = (int if spec.type == "integer" else float)(spec.max + 1)
    elif kind == "unknown_category":
        rows[7][column] = f"not_a_{column}"
    elif kind == "bad_format":
        rows[9][column] = "Not A Valid Value"
    return rows


@pytest.mark.parametrize(("entity", "kind", "column", "expectation"), corruption_cases())
def test_corrupted_data_fails_on_the_right_column(entity, kind, column, expectation, rows, writer, suites_dir):
    """Broken keys, nulls, formats and stated rules fail; a broken example rule (values or bounds nobody stated,
    `rule="example"`) is reported as a warning and the data passes."""
    path = writer.parquet(entity, corrupt(rows[entity], entity, kind, column))
    (result,) = validate_path(entity, path, suites_dir)
    example = kind in ("out_of_range", "unknown_category") and ENTITIES[entity].column(column).rule == "example"
    assert result.success is example, report([result])
    found = result.warnings if example else result.errors
    assert (expectation, column) in {(f.expectation, f.column) for f in found}, report([result])
    failing_columns = {f.column for f in result.failures}
    if kind == "duplicate_key":  # the copied row repeats every other unique column too
        assert failing_columns <= {c.name for c in ENTITIES[entity].columns if c.unique or c.name == column}
    else:
        assert failing_columns == {column}, report([result])
    assert f"{'warning: ' if example else ''}{column}: {expectation}" in report([result])


def test_only_example_rules_warn(suites_dir):
    """Severity follows the column specs: only values and bounds of `rule="example"` columns are warnings."""
    for entity, spec in ENTITIES.items():
        suite = json.loads((suites_dir / f"{entity}.json").read_text())
        warned = {
            (e["type"], e["kwargs"]["column"]) for e in suite["expectations"] if e["meta"].get("severity") == "warning"
        }
        expected = {
            (kind, c.name)
            for c in spec.columns
            if c.rule == "example"
            for kind, present in (
                ("expect_column_values_to_be_in_set", bool(c.values)),
                ("expect_column_values_to_be_between", c.min is not None or c.max is not None),
            )
            if present
        }
        assert warned == expected, entity


def typed_column(spec):
    """A required column whose values must parse (an integer one, else the event time): (name, type)."""
    integers = [c.name for c in spec.columns if c.type == "integer" and not c.nullable]
    if integers:
        return integers[0], "integer"
    return spec.event_time, next(c.type for c in spec.columns if c.name == spec.event_time)


def test_wrong_type_is_reported(rows, writer, suites_dir):
    entity = next(iter(ENTITIES))
    column, type_ = typed_column(ENTITIES[entity])
    rows[entity][0][column] = "not-a-number"
    (result,) = validate_path(entity, writer.csv(entity, rows[entity]), suites_dir)
    assert ("expect_column_values_to_be_in_type_list", column) in {(f.expectation, f.column) for f in result.failures}
    expected = f"{column}: expect_column_values_to_be_in_type_list: 1 of {len(rows[entity])} rows are not {type_}s"
    assert expected in report([result])
    assert "e.g. 'not-a-number'" in report([result])


def test_missing_column_is_reported(rows, writer, suites_dir):
    entity = next(iter(ENTITIES))
    dropped = ENTITIES[entity].column_names[-1]
    path = writer.jsonl(entity, [{k: v for k, v in row.items() if k != dropped} for row in rows[entity]])
    (result,) = validate_path(entity, path, suites_dir)
    kinds = {f.expectation for f in result.failures}
    assert "expect_table_columns_to_match_set" in kinds
    assert dropped in report([result])
