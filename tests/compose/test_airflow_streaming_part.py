"""stages/airflow_streaming in a rendered kappa project: the DAG file and its tests compile, Airflow's own templates
survive copier, the DAGs use only the Airflow 3 SDK, and their steps are the pattern's run order.

The generated project's own tests (`tests/airflow`, run by the e2e tests) parse the DAGs in a real DagBag and run
them; this test needs no Airflow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dataforge.commands.new import generate
from dataforge.compose.pattern import load_pattern

KAPPA = {"gcp": "Kafka to BigQuery streaming", "aws": "stream clickstream from Kinesis into Redshift"}


@pytest.fixture(scope="module", params=sorted(KAPPA))
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"kappa-{request.param}")
    return generate(KAPPA[request.param], name="clicks", output=out, git=False).path


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def test_the_dag_file_and_its_tests_compile(project: Path) -> None:
    files = [
        project / "dags/clicks_streaming.py",
        project / "src/clicks/orchestration/stream_watch.py",
        *sorted((project / "tests/airflow").glob("*.py")),
    ]
    assert len(files) >= 6, files
    for path in files:
        compile(path.read_text(), str(path), "exec")


def test_the_dags_import_only_the_airflow_sdk(project: Path) -> None:
    modules = set()
    for node in ast.walk(parsed(project / "dags/clicks_streaming.py")):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    airflow = {m for m in modules if m.split(".")[0] == "airflow"}
    assert airflow == {"airflow.sdk", "airflow.sdk.exceptions"}, airflow


def test_the_steps_are_the_pattern_run_order(project: Path) -> None:
    tree = parsed(project / "dags/clicks_streaming.py")
    steps = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "STEPS"
    )
    order = [step[0] for step in ast.literal_eval(steps)]
    assert tuple(order) == load_pattern("kappa").run
    engines = {step[0]: step[4] for step in ast.literal_eval(steps)}
    assert engines["stream_process"] == "spark"


def test_airflow_templates_survive_and_make_runs_the_three_dags(project: Path) -> None:
    dag = (project / "dags/clicks_streaming.py").read_text()
    assert "{{ var.value.get('STREAM_MAX_LAG_MINUTES', '30') }}" in dag
    assert "{{ params.ds or dag_run.run_after.strftime('%Y-%m-%d') }}" in dag
    assert "[[" not in dag
    assert "[%" not in dag
    makefile = (project / "Makefile").read_text()
    for dag_id in ("clicks_stream", "clicks_stream_watch", "clicks_models"):
        assert f"airflow dags test $(PROJECT)_{dag_id.removeprefix('clicks_')} " in makefile, dag_id
    env = (project / ".env.example").read_text()
    assert "STREAM_MAX_LAG_MINUTES=30" in env
    assert "STREAM_CLOSE_AFTER_MINUTES=60" in env
