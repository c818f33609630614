import csv
import re
from datetime import date, datetime, timedelta

import pytest

from nightly_eventhubs_synapse import sample_data
from nightly_eventhubs_synapse.schema import ENTITIES, FORMATS, dimension, fact

PY_TYPES = {"integer": int, "string": str, "decimal": float, "timestamp": datetime, "date": date, "boolean": bool}


def test_dimension_comes_first_and_fact_references_it():
    names = list(ENTITIES)
    assert ENTITIES[names[0]].role == "dimension"
    refs = [c.references for c in fact().columns if c.references]
    assert refs
    assert all(ref.split(".")[0] == dimension().name for ref in refs)


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_rows_follow_the_column_specs(entity):
    spec = ENTITIES[entity]
    rows = sample_data.generate(entity)
    assert len(rows) == sample_data.DEFAULT_ROWS[spec.role]
    for column in spec.columns:
        values = [row[column.name] for row in rows]
        present = [v for v in values if v is not None]
        if not column.nullable:
            assert len(present) == len(values), column.name
        assert all(isinstance(v, PY_TYPES[column.type]) for v in present), column.name
        if column.unique:
            assert len(set(present)) == len(present), column.name
        if column.values:
            assert set(present) <= set(column.values), column.name
        if column.min is not None:
            assert min(present) >= column.min, column.name
        if column.max is not None:
            assert max(present) <= column.max, column.name
        if column.format:
            assert all(re.match(FORMATS[column.format], v) for v in present), column.name
        if column.type == "timestamp":
            assert all(
                sample_data.ANCHOR - timedelta(days=sample_data.WINDOW_DAYS) <= v <= sample_data.ANCHOR for v in present
            )
    key_type = next(c.type for c in spec.columns if c.name == spec.primary_key)
    numbered = [str(i) if key_type == "string" else i for i in range(1, len(rows) + 1)]
    assert [row[spec.primary_key] for row in rows] == numbered  # keys are 1..n (as text for text keys)


def test_nullable_columns_get_some_nulls():
    nullable = [(e.name, c.name) for e in ENTITIES.values() for c in e.columns if c.nullable]
    for entity, column in nullable:
        assert any(row[column] is None for row in sample_data.generate(entity)), column


def test_references_point_at_existing_keys():
    counts = dict.fromkeys(ENTITIES, 25)
    dim_keys = {row[dimension().primary_key] for row in sample_data.generate(dimension().name, 25)}
    for column in (c for c in fact().columns if c.references):
        rows = sample_data.generate(fact().name, 300, ref_rows=counts)
        assert {row[column.name] for row in rows} - {None} <= dim_keys  # a nullable reference may be empty
        assert column.nullable or all(row[column.name] is not None for row in rows)


def test_generation_is_deterministic_and_seeded():
    entity = fact().name
    assert sample_data.generate(entity, 50, seed=7) == sample_data.generate(entity, 50, seed=7)
    assert sample_data.generate(entity, 50, seed=7) != sample_data.generate(entity, 50, seed=8)


def test_unknown_entity_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown entity"):
        sample_data.generate("nope")


def test_write_raw_lays_out_csv_with_header(tmp_path):
    paths = sample_data.write_raw(tmp_path, "2024-01-01", rows=20)
    assert list(paths) == list(ENTITIES)
    for entity, path in paths.items():
        assert path == tmp_path / entity / "ingest_date=2024-01-01" / f"{entity}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == ENTITIES[entity].column_names
        assert len(rows) == 21


def test_cli_writes_files(tmp_path, capsys):
    assert sample_data.main(["--out", str(tmp_path), "--ds", "2024-02-03", "--seed", "1", "--rows", "5"]) == 0
    assert (tmp_path / dimension().name / "ingest_date=2024-02-03" / f"{dimension().name}.csv").exists()
    assert dimension().name in capsys.readouterr().out
