"""Chunked validation: the chunk size (the memory bound) is honoured, every row is checked, and expectations that
span rows (uniqueness, row count, `mostly`, aggregates) are combined over the chunks correctly."""

from __future__ import annotations

import json

import pytest

from nightly_eventhubs_synapse.quality.loading import chunk_rows, find_units, iter_batches, load_batches
from nightly_eventhubs_synapse.quality.suites import QualityInputError
from nightly_eventhubs_synapse.quality.validate import main, report, validate_path
from nightly_eventhubs_synapse.schema import ENTITIES

ENTITY = list(ENTITIES)[-1]  # the fact: the most sample rows
SPEC = ENTITIES[ENTITY]
REQUIRED = next(c.name for c in SPEC.columns if not c.nullable and c.name != SPEC.primary_key)


@pytest.fixture
def facts(rows):
    assert len(rows[ENTITY]) >= 100, "the chunk tests need some sample rows"
    return rows[ENTITY]


def partition(writer, tmp_path, entity_rows, files=(0.4, 0.35, 0.25)):
    """A partition folder of several Parquet files of uneven sizes and small row groups, as Spark writes them."""
    folder = tmp_path / "curated" / ENTITY / "ingest_date=2024-01-01"
    start = 0
    for number, share in enumerate(files):
        end = len(entity_rows) if number == len(files) - 1 else start + int(len(entity_rows) * share)
        writer.parquet(ENTITY, entity_rows[start:end], folder / f"part-{number:05d}.parquet", row_group_size=37)
        start = end
    (folder / "_SUCCESS").write_text("")
    return folder


def custom_suite(tmp_path, suites_dir, name, expectations):
    """A suite for the fact's data with extra expectations (the base suite keeps the column types)."""
    folder = tmp_path / "suites"
    folder.mkdir(exist_ok=True)
    base = json.loads((suites_dir / f"{ENTITY}.json").read_text())
    types = {c.name: c.type for c in SPEC.columns}
    suite = {**base, "name": name, "expectations": expectations, "meta": {"dataforge": {"column_types": types}}}
    (folder / f"{name}.json").write_text(json.dumps(suite))
    return folder


@pytest.mark.parametrize("size", [7, 100, 333, 100_000])
def test_chunks_never_exceed_the_chunk_size(size, facts, writer, tmp_path):
    (unit,) = find_units(partition(writer, tmp_path, facts))
    lengths = [len(batch.frame) for batch in iter_batches(unit, ENTITY, rows=size)]
    assert sum(lengths) == len(facts)
    assert len(lengths) == -(-len(facts) // size)
    assert all(length == size for length in lengths[:-1])
    assert 0 < lengths[-1] <= size


def test_load_batches_still_reads_a_unit_whole(facts, writer, tmp_path):
    """`load_batches` (used by add-quality-suite's checkpoint test) returns one frame per partition folder."""
    (batch,) = load_batches(partition(writer, tmp_path, facts), ENTITY)
    assert len(batch.frame) == len(facts)
    assert list(batch.frame.columns) == SPEC.column_names


def test_the_chunk_size_comes_from_the_environment(facts, writer, tmp_path, suites_dir, monkeypatch):
    folder = partition(writer, tmp_path, facts)
    size = len(facts) // 2 + 1
    monkeypatch.setenv("QUALITY_CHUNK_ROWS", str(size))
    assert chunk_rows() == size
    (result,) = validate_path(ENTITY, folder, suites_dir)
    assert result.success, report([result])
    assert (result.rows, result.chunks) == (len(facts), 2)
    monkeypatch.setenv("QUALITY_CHUNK_ROWS", "0")
    with pytest.raises(QualityInputError, match="QUALITY_CHUNK_ROWS must be a positive number"):
        chunk_rows()


def test_a_bad_value_in_the_last_chunk_is_caught(facts, writer, tmp_path, suites_dir):
    facts[-1][REQUIRED] = None
    (result,) = validate_path(ENTITY, partition(writer, tmp_path, facts).as_uri(), suites_dir, rows=len(facts) // 3)
    assert result.chunks == 4
    assert [(f.expectation, f.column) for f in result.failures] == [("expect_column_values_to_not_be_null", REQUIRED)]
    assert f"1 of {len(facts)} rows unexpected" in result.failures[0].observed


def test_a_key_repeated_across_chunks_is_caught(facts, writer, tmp_path, suites_dir):
    key = SPEC.primary_key
    facts[-1][key] = facts[0][key]
    (result,) = validate_path(ENTITY, partition(writer, tmp_path, facts), suites_dir, rows=len(facts) // 3)
    assert result.chunks == 4
    (failure,) = [f for f in result.failures if f.column == key]
    assert failure.expectation == "expect_column_values_to_be_unique"
    assert failure.observed == f"2 of {len(facts)} rows unexpected; e.g. {facts[0][key]!r}"


def test_row_count_and_mostly_apply_to_the_whole_partition(facts, writer, tmp_path, suites_dir):
    """Per chunk both would fail: each chunk is below the minimum count, and the first chunk is half bad."""
    for row in facts[:5]:
        row[REQUIRED] = None
    expectations = [
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": len(facts), "max_value": len(facts)}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": REQUIRED, "mostly": 0.99}},
    ]
    suites = custom_suite(tmp_path, suites_dir, "partition_rules", expectations)
    folder = partition(writer, tmp_path, facts)
    size = len(facts) // 4  # the first chunk alone would fail `mostly`: 5 null of `size` rows
    assert 1 - 5 / size < 0.99
    (result,) = validate_path("partition_rules", folder, suites, rows=size)
    assert result.success, report([result])
    for row in facts[-20:]:
        row[REQUIRED] = None
    (result,) = validate_path("partition_rules", partition(writer, tmp_path, facts), suites, rows=size)
    assert [(f.expectation, f.column) for f in result.failures] == [("expect_column_values_to_not_be_null", REQUIRED)]
    assert f"25 of {len(facts)} rows unexpected" in report([result])


def test_an_aggregate_expectation_is_never_passed_on_part_of_the_data(facts, writer, tmp_path, suites_dir):
    """An aggregate over one column is exact in one chunk; over several chunks it fails as not evaluated."""
    aggregate = {
        "type": "expect_column_proportion_of_unique_values_to_be_between",
        "kwargs": {"column": SPEC.primary_key, "min_value": 1.0, "max_value": 1.0},
    }
    suites = custom_suite(tmp_path, suites_dir, "aggregate_rules", [aggregate])
    folder = partition(writer, tmp_path, facts)
    (result,) = validate_path("aggregate_rules", folder, suites, rows=len(facts))
    assert result.success, report([result])
    (result,) = validate_path("aggregate_rules", folder, suites, rows=len(facts) // 2)
    (failure,) = result.failures
    assert failure.column == SPEC.primary_key
    assert "not evaluated" in failure.observed
    assert "QUALITY_CHUNK_ROWS" in failure.observed


def test_validate_command_line_takes_a_chunk_size(facts, writer, tmp_path, suites_dir, capsys):
    facts[-1][REQUIRED] = None
    folder = partition(writer, tmp_path, facts)
    size = len(facts) // 2 - 1
    code = main(["--dataset", ENTITY, "--data", str(folder), "--suites", str(suites_dir), "--chunk-rows", str(size)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{len(facts)} rows in 3 chunks" in out
    assert f"{REQUIRED}: expect_column_values_to_not_be_null: 1 of {len(facts)} rows unexpected" in out
