"""Shared fixtures of the dbt tests: the dbt project compiled for its `prod` target, without a connection.

`prod_manifest` runs `dbt compile --target prod` once per test session with the warehouse adapter of the `prod`
dependency group (so only tests marked `prod` use it): the adapter renders every model and data test in the
warehouse's own SQL (its macros, quoting and types) without querying the warehouse (`--no-populate-cache`,
`--no-introspect`). Every variable `.env.example` leaves empty gets a placeholder, as a deployment would set it,
and each of the warehouse's `PLACEHOLDER_FILES` (what its adapter reads from a file, e.g. a credentials file it
parses but does not use to compile) is written with placeholder content, its variable pointing at it.
A warehouse part may add its own tests here that use these fixtures (e.g. running the SQL on a local engine).
"""

from __future__ import annotations

import json
import re
from graphlib import TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT_DIR = ROOT / "dbt"
# variable -> placeholder file content the adapter needs to compile offline (the warehouse's `placeholder_files`)
PLACEHOLDER_FILES: dict[str, str] = {}


def placeholder_env() -> dict[str, str]:
    """A placeholder for every variable `.env.example` leaves empty (credentials, hosts), named after it.

    A valid unquoted identifier (a database name lands in the SQL as is where the adapter does not quote).
    """
    example = (ROOT / ".env.example").read_text()
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=$", example, flags=re.MULTILINE)
    return {name: f"placeholder_{name.lower()}" for name in names}


@pytest.fixture(scope="session")
def prod_manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """dbt's manifest (target/manifest.json) after `dbt compile --target prod`: nodes carry `compiled_code`."""
    from dbt.cli.main import dbtRunner

    work = tmp_path_factory.mktemp("dbt_prod_compile")
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name, value in placeholder_env().items():
            monkeypatch.setenv(name, value)
        for name, content in PLACEHOLDER_FILES.items():
            (work / name).write_text(content)
            monkeypatch.setenv(name, str(work / name))
        monkeypatch.setenv("DBT_TARGET", "prod")
        monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        monkeypatch.chdir(work)  # dbt writes logs/ into the working folder
        args = [
            "compile", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--target", "prod",
            "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-partial-parse",
            "--no-populate-cache", "--no-introspect", "--quiet",
        ]  # fmt: skip
        result = dbtRunner().invoke(args)
    assert result.success, f"dbt compile --target prod failed: {result.exception}"
    return json.loads((work / "target" / "manifest.json").read_text())


def nodes_of(manifest: dict, resource_type: str) -> list[dict]:
    """The project's own nodes of one type (packages' nodes excluded), in dependency order."""
    project = manifest["metadata"]["project_name"]
    nodes = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == resource_type and node["package_name"] == project
    }
    graph = {uid: [d for d in node["depends_on"]["nodes"] if d in nodes] for uid, node in nodes.items()}
    return [nodes[uid] for uid in TopologicalSorter(graph).static_order()]


@pytest.fixture(scope="session")
def prod_models(prod_manifest: dict) -> list[dict]:
    """Every model compiled for `prod`, each after the models it selects from."""
    models = nodes_of(prod_manifest, "model")
    assert models, "dbt compiled no model"
    assert all(m.get("compiled_code") for m in models), "a model has no compiled SQL"
    return models


@pytest.fixture(scope="session")
def prod_data_tests(prod_manifest: dict) -> list[dict]:
    """Every data test compiled for `prod` (each query returns the failing rows)."""
    tests = nodes_of(prod_manifest, "test")
    assert tests, "dbt compiled no data test"
    return tests
