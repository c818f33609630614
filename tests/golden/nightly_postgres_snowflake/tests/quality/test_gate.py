"""The quality gate the DAG runs between Spark and dbt: every curated dataset of one ingest date."""

from __future__ import annotations

import pytest

from nightly_postgres_snowflake.quality.gate import QualityGateError, main, run_quality_gate
from nightly_postgres_snowflake.schema import ENTITIES

DS = "2024-01-01"
DIMENSION, FACT = list(ENTITIES)


@pytest.fixture
def curated(tmp_path, rows, writer):
    """Curated partitions of the sample data for DS; returns the data dir."""
    data_dir = tmp_path / "data"
    for name in ENTITIES:
        writer.curated(data_dir, name, DS, rows[name])
    return data_dir


def test_gate_passes_on_sample_data(curated, suites_dir, capsys):
    run_quality_gate(curated, DS, suites_dir=suites_dir)
    out = capsys.readouterr().out
    assert f"{len(ENTITIES)} of {len(ENTITIES)} datasets passed" in out


def test_gate_fails_naming_dataset_and_column(curated, rows, writer, suites_dir):
    spec = ENTITIES[DIMENSION]
    column = next(c for c in spec.columns if not c.nullable and c.name != spec.primary_key)
    rows[DIMENSION][0][column.name] = None
    writer.curated(curated, DIMENSION, DS, rows[DIMENSION])
    with pytest.raises(QualityGateError) as failure:
        run_quality_gate(str(curated), DS, suites_dir=suites_dir)
    message = str(failure.value)
    assert f"FAILED {DIMENSION}" in message
    assert f"{column.name}: expect_column_values_to_not_be_null" in message
    assert f"failed: {DIMENSION}" in message
    # the fact alone still passes
    run_quality_gate(curated, DS, datasets=[FACT], suites_dir=suites_dir)


def test_gate_fails_when_a_partition_is_missing(curated, suites_dir):
    with pytest.raises(QualityGateError, match="does not exist"):
        run_quality_gate(curated, "1999-12-31", suites_dir=suites_dir)


def test_gate_command_line(curated, rows, writer, suites_dir, capsys):
    args = ["--ds", DS, "--data-dir", str(curated), "--suites", str(suites_dir)]
    assert main(args) == 0
    rows[FACT][0][ENTITIES[FACT].primary_key] = None
    writer.curated(curated, FACT, DS, rows[FACT])
    assert main(args) == 1
    assert f"FAILED {FACT}" in capsys.readouterr().out
