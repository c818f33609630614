import itertools

DAG_ID = "nightly_postgres_snowflake_pipeline"


def test_no_import_errors(dag_bag):
    assert dag_bag.import_errors == {}
    assert DAG_ID in dag_bag.dag_ids


def test_every_dag_has_tags_owner_and_retries(dag_bag):
    for dag_id, dag in dag_bag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        for task in dag.tasks:
            assert task.owner, f"{dag_id}.{task.task_id} has no owner"
            assert task.owner != "airflow", f"{dag_id}.{task.task_id} keeps the default owner"
            assert task.retries >= 1, f"{dag_id}.{task.task_id} has no retries"
            assert task.execution_timeout is not None, f"{dag_id}.{task.task_id} has no timeout"


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


def test_pipeline_shape(dag_bag):
    dag = dag_bag.dags[DAG_ID]
    # the pattern's run order
    order = [
        "extract",
        "land_raw",
        "spark_transform",
        "quality_gate",
        "load_warehouse",
        "dbt_build",
    ]
    assert set(dag.task_ids) == set(order)
    for upstream, downstream in itertools.pairwise(order):
        assert downstream in dag.get_task(upstream).downstream_task_ids
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    assert set(dag.params) >= {"ds", "rows"}
    assert dag.default_args["on_failure_callback"]
