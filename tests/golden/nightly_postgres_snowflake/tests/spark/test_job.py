from pathlib import Path

import pytest

from nightly_postgres_snowflake import extract
from nightly_postgres_snowflake.config import load_settings
from nightly_postgres_snowflake.schema import ENTITIES
from nightly_postgres_snowflake.transform import functions as fn
from nightly_postgres_snowflake.transform import io, job

DS, DS2 = "2024-01-01", "2024-01-02"


@pytest.fixture(scope="module")
def runs(spark, tmp_path_factory):
    """Land two days, curate DS, then DS2, then DS again (the re-run must change nothing)."""
    data = tmp_path_factory.mktemp("job") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATAFORGE_ENV", "local")
        mp.setenv("DATA_DIR", str(data))
        extract.run(DS, rows=40)
        extract.run(DS2, rows=5)
        first = job.run(DS, spark=spark)
        job.run(DS2, spark=spark)
        again = job.run(DS, spark=spark)
    return data, first, again


def test_job_writes_the_curated_contract(spark, runs):
    data, first, _ = runs
    assert set(first) == set(ENTITIES)
    for entity, spec in ENTITIES.items():
        partition = data / "curated" / entity / f"ingest_date={DS}"
        assert list(partition.glob("part-*.parquet")), partition
        df = spark.read.parquet(str(partition))
        assert df.columns == spec.column_names
        assert [f.dataType for f in df.schema.fields] == [f.dataType for f in fn.spark_schema(spec).fields]
        assert df.count() == first[entity] == 40


def test_rerun_is_idempotent_and_keeps_other_partitions(spark, runs):
    data, first, again = runs
    assert first == again
    for entity in ENTITIES:
        table = spark.read.parquet(str(data / "curated" / entity))
        counts = {str(r["ingest_date"]): r["count"] for r in table.groupBy("ingest_date").count().collect()}
        assert counts == {DS: first[entity], DS2: 5}


def test_paths_follow_settings(local_env):
    settings = load_settings()
    entity = next(iter(ENTITIES))
    assert io.raw_path(settings, entity, DS).endswith(f"raw/{entity}/ingest_date={DS}")
    assert Path(io.curated_path(settings, entity)).name == entity
