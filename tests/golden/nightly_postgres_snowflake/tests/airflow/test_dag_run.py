from datetime import UTC, datetime

import pytest

from nightly_postgres_snowflake.schema import ENTITIES

DAG_ID = "nightly_postgres_snowflake_pipeline"
DS = "2024-01-01"


@pytest.mark.slow
def test_dag_runs_end_to_end(dag_bag, airflow_db, spark, local_env, monkeypatch):
    monkeypatch.setenv("DATAFORGE_ENV", "local")
    dag = dag_bag.dags[DAG_ID]
    run = dag.test(logical_date=datetime(2024, 1, 1, tzinfo=UTC), run_conf={"rows": 30})
    assert str(run.state) in ("success", "DagRunState.SUCCESS"), run.state
    for entity in ENTITIES:
        partition = local_env / "curated" / entity / f"ingest_date={DS}"
        assert list(partition.glob("part-*.parquet")), partition
