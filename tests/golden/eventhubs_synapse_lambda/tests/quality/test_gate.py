"""The quality gate the DAG runs between Spark and dbt: every curated dataset of one ingest date, read from the
curated zone of the settings (a local folder, or a URI opened with fsspec), chunk by chunk."""

from __future__ import annotations

import json
import sys

import pyarrow.parquet as pq
import pytest

from nightly_eventhubs_synapse.config import load_settings
from nightly_eventhubs_synapse.quality.gate import (
    QualityGateError,
    curated_partition,
    curated_root,
    main,
    run_quality_gate,
)
from nightly_eventhubs_synapse.quality.storage import resolve
from nightly_eventhubs_synapse.schema import ENTITIES

DS = "2024-01-01"
DIMENSION, FACT = list(ENTITIES)
MEMORY_ROOT = "memory://dataforge-gate-test/curated"


@pytest.fixture
def curated(tmp_path, rows, writer):
    """Curated partitions of the sample data for DS; returns the curated root (`<data dir>/curated`)."""
    data_dir = tmp_path / "data"
    for name in ENTITIES:
        writer.curated(data_dir, name, DS, rows[name])
    return data_dir / "curated"


@pytest.fixture
def memory_zone(rows, writer):
    """The sample data as Spark lays it out (several part files per partition) in fsspec's in-memory filesystem,
    standing in for the object store; returns a writer of partitions and removes everything afterwards."""
    zone = resolve(MEMORY_ROOT)

    def write(entity: str, entity_rows: list[dict], files: int = 3) -> None:
        folder = f"{zone.path}/{entity}/ingest_date={DS}"
        step = -(-len(entity_rows) // files)
        for number, start in enumerate(range(0, len(entity_rows), step)):
            part = writer.table(entity, entity_rows[start : start + step])
            pq.write_table(part, f"{folder}/part-{number:05d}.parquet", filesystem=zone.fs, row_group_size=50)
        zone.fs.touch(f"{folder}/_SUCCESS")

    for name in ENTITIES:
        write(name, rows[name])
    yield write
    zone.fs.rm(zone.path, recursive=True)


def required_column(entity: str) -> str:
    spec = ENTITIES[entity]
    return next(c.name for c in spec.columns if not c.nullable and c.name != spec.primary_key)


def test_gate_passes_on_sample_data(curated, suites_dir, capsys):
    run_quality_gate(DS, root=curated, suites_dir=suites_dir)
    out = capsys.readouterr().out
    assert f"{len(ENTITIES)} of {len(ENTITIES)} datasets passed" in out


def test_gate_reads_the_curated_zone_of_the_settings(curated, suites_dir, capsys, monkeypatch):
    monkeypatch.setenv("DATAFORGE_ENV", "local")
    monkeypatch.setenv("DATA_DIR", str(curated.parent))
    assert curated_root() == load_settings().curated_root == str(curated)
    run_quality_gate(DS, suites_dir=suites_dir)
    assert f"on {curated}: {len(ENTITIES)} of {len(ENTITIES)} datasets passed" in capsys.readouterr().out


def test_in_production_the_partition_is_in_the_object_store(monkeypatch):
    monkeypatch.setenv("DATAFORGE_ENV", "prod")
    monkeypatch.setenv("CURATED_BUCKET", "example-curated")
    monkeypatch.setenv("AZURE_STORAGE_ACCOUNT", "examplestore")
    root = curated_root()
    assert root == load_settings().curated_root
    assert root.startswith(("s3://example-curated/", "gs://example-curated/", "abfss://example-curated@"))
    assert curated_partition(root, FACT, DS) == f"{root}/{FACT}/ingest_date={DS}"


def test_missing_filesystem_package_names_the_prod_group(monkeypatch, suites_dir, capsys):
    monkeypatch.setenv("DATAFORGE_ENV", "prod")
    monkeypatch.setenv("AZURE_STORAGE_ACCOUNT", "examplestore")
    package = {"s3": "s3fs", "gs": "gcsfs", "abfss": "adlfs"}[curated_root().split("://")[0]]
    monkeypatch.setitem(sys.modules, package, None)  # as without the production extras: `import` fails
    assert main(["--ds", DS, "--suites", str(suites_dir), "--dataset", FACT]) == 1
    out = capsys.readouterr().out
    assert f"FAILED {FACT}: cannot open" in out
    assert f"{package} is not installed (hint: install the production extras" in out


def test_gate_fails_naming_dataset_and_column(curated, rows, writer, suites_dir):
    column = required_column(DIMENSION)
    rows[DIMENSION][0][column] = None
    writer.curated(curated.parent, DIMENSION, DS, rows[DIMENSION])
    with pytest.raises(QualityGateError) as failure:
        run_quality_gate(DS, root=str(curated), suites_dir=suites_dir)
    message = str(failure.value)
    assert f"FAILED {DIMENSION}" in message
    assert f"{column}: expect_column_values_to_not_be_null" in message
    assert f"failed: {DIMENSION}" in message
    # the fact alone still passes
    run_quality_gate(DS, root=curated, datasets=[FACT], suites_dir=suites_dir)


def test_gate_on_a_file_uri_catches_a_bad_row_in_a_later_chunk(curated, rows, writer, suites_dir):
    """The curated root as a `file://` URI, read through fsspec in chunks: the last row is far past the first."""
    column, size = required_column(FACT), len(rows[FACT]) // 3
    rows[FACT][-1][column] = None
    writer.curated(curated.parent, FACT, DS, rows[FACT])
    with pytest.raises(QualityGateError) as failure:
        run_quality_gate(DS, root=curated.as_uri(), datasets=[FACT], suites_dir=suites_dir, rows=size)
    message = str(failure.value)
    chunks = -(-len(rows[FACT]) // size)
    assert f"FAILED {FACT} ({curated.as_uri()}/{FACT}/ingest_date={DS}, {len(rows[FACT])} rows in {chunks} chunks)" in (
        message
    )
    assert f"{column}: expect_column_values_to_not_be_null: 1 of {len(rows[FACT])} rows unexpected" in message


def test_gate_on_an_fsspec_filesystem_in_chunks(memory_zone, rows, suites_dir, capsys):
    run_quality_gate(DS, root=MEMORY_ROOT, suites_dir=suites_dir, rows=len(rows[FACT]) // 2)
    out = capsys.readouterr().out
    assert f"on {MEMORY_ROOT}: {len(ENTITIES)} of {len(ENTITIES)} datasets passed" in out
    assert f"PASSED {FACT} ({MEMORY_ROOT}/{FACT}/ingest_date={DS}, " in out
    assert f"{len(rows[FACT])} rows in 2 chunks)" in out


def test_gate_on_an_fsspec_filesystem_catches_later_chunks(memory_zone, rows, suites_dir):
    """A null in the last part file and a key repeated from the first file: both far past the first chunk."""
    spec, column = ENTITIES[FACT], required_column(FACT)
    facts = rows[FACT]
    facts[-2][column] = None
    facts[-1][spec.primary_key] = facts[0][spec.primary_key]
    memory_zone(FACT, facts)
    with pytest.raises(QualityGateError) as failure:
        run_quality_gate(DS, root=MEMORY_ROOT, datasets=[FACT], suites_dir=suites_dir, rows=len(facts) // 3)
    message = str(failure.value)
    assert f"{column}: expect_column_values_to_not_be_null: 1 of {len(facts)} rows unexpected" in message
    assert f"{spec.primary_key}: expect_column_values_to_be_unique: 2 of {len(facts)} rows unexpected" in message
    assert f"e.g. {facts[0][spec.primary_key]!r}" in message


def test_gate_reports_but_does_not_fail_on_a_warning(curated, rows, suites_dir, tmp_path, capsys):
    """An expectation with `meta.severity: warning` (an example rule nobody stated) that fails in every chunk is
    reported; the gate passes. The same expectation without the mark fails the gate."""
    key = ENTITIES[FACT].primary_key
    folder = tmp_path / "suites"
    folder.mkdir()
    suite = json.loads((suites_dir / f"{FACT}.json").read_text())
    rule = {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": key, "value_set": [rows[FACT][0][key]]}}
    (folder / f"{FACT}.json").write_text(
        json.dumps({**suite, "expectations": [*suite["expectations"], {**rule, "meta": {"severity": "warning"}}]})
    )
    size = len(rows[FACT]) // 3
    run_quality_gate(DS, root=curated, datasets=[FACT], suites_dir=folder, rows=size)
    out = capsys.readouterr().out
    assert "1 of 1 datasets passed; 1 warnings" in out
    assert f"warning: {key}: expect_column_values_to_be_in_set: {len(rows[FACT]) - 1} of {len(rows[FACT])}" in out
    (folder / f"{FACT}.json").write_text(json.dumps({**suite, "expectations": [*suite["expectations"], rule]}))
    with pytest.raises(QualityGateError, match=f"failed: {FACT}"):
        run_quality_gate(DS, root=curated, datasets=[FACT], suites_dir=folder, rows=size)


def test_gate_fails_when_a_partition_is_missing(curated, suites_dir):
    with pytest.raises(QualityGateError, match="does not exist"):
        run_quality_gate("1999-12-31", root=curated, suites_dir=suites_dir)


def test_gate_command_line(curated, rows, writer, suites_dir, capsys):
    args = ["--ds", DS, "--curated-root", str(curated), "--suites", str(suites_dir)]
    assert main(args) == 0
    rows[FACT][0][ENTITIES[FACT].primary_key] = None
    writer.curated(curated.parent, FACT, DS, rows[FACT])
    assert main(args) == 1
    assert f"FAILED {FACT}" in capsys.readouterr().out


def test_gate_command_line_refuses_a_bad_chunk_size(curated, suites_dir, capsys, monkeypatch):
    monkeypatch.setenv("QUALITY_CHUNK_ROWS", "many")
    assert main(["--ds", DS, "--curated-root", str(curated), "--suites", str(suites_dir)]) == 2
    assert "QUALITY_CHUNK_ROWS must be a positive number of rows" in capsys.readouterr().err
