"""The DAGs parse, and keep the rules every DAG of the project keeps: tags, owners, retries, timeouts, no cycles."""

import itertools

PROJECT = "nightly_eventhubs_synapse"
STREAM, WATCH, MODELS = f"{PROJECT}_stream", f"{PROJECT}_stream_watch", f"{PROJECT}_models"
# the pattern's run order
ORDER = [
    "generate_events",
    "stream_process",
    "quality_gate",
    "batch_recompute",
    "dbt_build",
]
JOB = "stream_process"  # the streaming job's step
BATCH_SCHEDULE = "0 2 * * *"  # the lambda batch layer's (the models DAG)


def test_no_import_errors(dag_bag):
    assert dag_bag.import_errors == {}
    assert {STREAM, WATCH, MODELS} <= set(dag_bag.dag_ids)


def test_every_dag_has_tags_owner_and_retries(dag_bag):
    for dag_id, dag in dag_bag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.max_active_runs == 1, dag_id
        assert dag.catchup is False, dag_id
        for task in dag.tasks:
            assert task.owner, f"{dag_id}.{task.task_id} has no owner"
            assert task.owner != "airflow", f"{dag_id}.{task.task_id} keeps the default owner"
            assert task.retries >= 1, f"{dag_id}.{task.task_id} has no retries"
            assert task.execution_timeout is not None, f"{dag_id}.{task.task_id} has no timeout"
            assert task.on_failure_callback, f"{dag_id}.{task.task_id} alerts nobody when it fails"


def test_no_cycles(dag_bag):
    for dag_id, dag in dag_bag.dags.items():
        state: dict[str, int] = {}

        def visit(task_id, dag=dag, dag_id=dag_id, state=state):
            assert state.get(task_id) != 1, f"cycle in {dag_id} through {task_id}"
            if state.get(task_id) == 2:
                return
            state[task_id] = 1
            for child in dag.get_task(task_id).downstream_task_ids:
                visit(child)
            state[task_id] = 2

        for task_id in dag.task_ids:
            visit(task_id)


def test_the_run_steps_are_split_at_the_streaming_job(dag_bag):
    """The steps up to the streaming job deploy it, the steps after it build the models, each in the run order."""
    split = ORDER.index(JOB) + 1
    for dag_id, steps in ((STREAM, ORDER[:split]), (MODELS, ORDER[split:])):
        dag = dag_bag.dags[dag_id]
        assert set(dag.task_ids) == set(steps), dag_id
        for upstream, downstream in itertools.pairwise(steps):
            assert downstream in dag.get_task(upstream).downstream_task_ids, (dag_id, upstream, downstream)
    assert set(dag_bag.dags[STREAM].params) >= {"ds", "rows"}


def test_the_watch_checks_progress_before_it_closes_a_day(dag_bag):
    dag = dag_bag.dags[WATCH]
    assert set(dag.task_ids) == {"check_progress", "compact_closed_day", "publish_closed_day"}
    assert "compact_closed_day" in dag.get_task("check_progress").downstream_task_ids
    assert "publish_closed_day" in dag.get_task("compact_closed_day").downstream_task_ids


def scheduled_assets(dag) -> set[str]:
    """The URIs of the assets a DAG is scheduled on."""
    condition = dag.timetable.asset_condition
    return {asset.uri for asset in getattr(condition, "objects", [condition])}


def test_the_models_are_scheduled_on_the_batch_layer_schedule(dag_bag):
    published = list(dag_bag.dags[WATCH].get_task("publish_closed_day").outlets)
    assert [asset.name for asset in published] == [f"{PROJECT}_curated"]
    # only the publishing task emits it: a healthy check alone does not trigger the models
    for task in dag_bag.dags[WATCH].tasks + dag_bag.dags[STREAM].tasks:
        if task.task_id != "publish_closed_day":
            assert not task.outlets, task.task_id
    models = dag_bag.dags[MODELS]
    # the lambda batch layer runs on the stated schedule, for the day before the run, whether or not the watch
    # published that day; the stream runs always
    from airflow.sdk import DAG

    expected = DAG(dag_id="expected", schedule=BATCH_SCHEDULE).timetable
    assert models.timetable == expected, models.timetable
    assert type(dag_bag.dags[STREAM].timetable).__name__ == "ContinuousTimetable"
