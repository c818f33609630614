"""The three DAGs run locally in order, in-process: deploy (the job, available-now), watch, models."""

from datetime import UTC, datetime

import pytest

from nightly_eventhubs_synapse.schema import ENTITIES

PROJECT = "nightly_eventhubs_synapse"
DS = "2024-01-01"


def succeeded(run) -> bool:
    return str(run.state) in ("success", "DagRunState.SUCCESS")


def run_once(dag, **kwargs):
    """`dag.test()` with no retries: a failing task fails the run now instead of waiting out its retry delay."""
    for task in dag.tasks:
        task.retries = 0
    return dag.test(**kwargs)


@pytest.mark.slow
def test_the_dags_run_end_to_end(dag_bag, airflow_db, spark, local_env, monkeypatch):
    monkeypatch.setenv("DATAFORGE_ENV", "local")
    when = datetime(2024, 1, 2, tzinfo=UTC)
    stream = run_once(dag_bag.dags[f"{PROJECT}_stream"], logical_date=when, run_conf={"ds": DS, "rows": 30})
    assert succeeded(stream), stream.state
    assert list((local_env / "curated" / "_checkpoints").glob("*/commits/0")), "the job committed no micro-batch"

    watch = run_once(dag_bag.dags[f"{PROJECT}_stream_watch"], logical_date=when, run_conf={"ds": DS})
    assert succeeded(watch), watch.state
    states = {ti.task_id: str(ti.state) for ti in watch.get_task_instances()}
    assert states["publish_closed_day"] in ("success", "TaskInstanceState.SUCCESS"), states
    assert (local_env / "curated" / "_closed" / f"{DS}.json").is_file()
    for entity in ENTITIES:
        partition = local_env / "curated" / entity / f"ingest_date={DS}"
        files = sorted(str(p.relative_to(partition)) for p in partition.rglob("*.parquet"))
        assert files == ["batch_id=compacted/part-00000-compacted.parquet"], (partition, files)

    models = run_once(dag_bag.dags[f"{PROJECT}_models"], logical_date=when, run_conf={"ds": DS})
    assert succeeded(models), models.state
    assert (local_env / "warehouse.duckdb").is_file()
