"""dataforge's own GitHub workflow (.github/workflows/ci.yml): valid, and still running `.ci/run`.

The workflow only prepares the machine `.ci/run` expects and then runs it, so the project's CI and GitHub run
one command. These checks fail when the workflow drifts from that: another test command, a missing tool, an
unpinned action, broader permissions.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.helpers.validators import CI_SCHEMAS, REPO_ROOT, TF_PLUGIN_DIR_ENV, actionlint, check_jsonschema

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "ci.yml"
CI_RUN = REPO_ROOT / ".ci" / "run"


def _load(path: Path = WORKFLOW) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(path.read_text())
    return config


def _steps(config: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in config["jobs"].values() for step in job.get("steps", [])]


def drift(config: dict[str, Any]) -> list[str]:
    """How a parsed workflow strays from running `.ci/run` on the machine it expects."""
    problems: list[str] = []
    runs = [str(step["run"]).strip() for step in _steps(config) if "run" in step]
    if runs.count("bash .ci/run") != 1:
        problems.append("no single step runs `bash .ci/run`")
    if runs and runs[-1] != "bash .ci/run":
        problems.append("`.ci/run` is not the last step")
    testing = [run for run in runs if re.search(r"\bpytest\b|pip install", run)]
    if testing:
        problems.append(f"steps test or install outside .ci/run: {testing}")
    uses = [str(step["uses"]) for step in _steps(config) if "uses" in step]
    for action in ("actions/checkout", "actions/setup-python", "actions/setup-java", "actions/setup-node"):
        if not any(u.startswith(f"{action}@") for u in uses):
            problems.append(f"{action} is not used")
    if not any(u.startswith("hashicorp/setup-terraform@") for u in uses):
        problems.append("terraform is not set up")
    problems += [f"{u} is not pinned to a major version" for u in uses if not re.search(r"@v\d+$", u)]
    if config.get("permissions") != {"contents": "read"}:
        problems.append(f"permissions are {config.get('permissions')!r}")
    problems += [f"job {n} sets permissions" for n, job in config["jobs"].items() if "permissions" in job]
    problems += [
        f"job {n} has no 90-minute timeout"
        for n, j in config["jobs"].items()
        if j.get("timeout-minutes") != 90
    ]
    return problems


def test_the_workflow_passes_actionlint_and_the_github_schema() -> None:
    actionlint([WORKFLOW])
    check_jsonschema(CI_SCHEMAS["github_actions"], [WORKFLOW])


def test_the_workflow_runs_ci_run_on_the_machine_it_expects() -> None:
    assert drift(_load()) == []


def test_the_workflow_runs_on_pull_requests_and_pushes_to_main() -> None:
    config: dict[Any, Any] = _load()
    triggers = config[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] == {"branches": ["main"]}
    assert "pull_request" in triggers


def test_python_is_the_lowest_version_pyproject_allows() -> None:
    requires = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    lowest = re.fullmatch(r">=\s*(\d+\.\d+)", requires)
    assert lowest, requires
    setup = [s for s in _steps(_load()) if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert [s["with"]["python-version"] for s in setup] == [lowest.group(1)]


def test_the_provider_mirror_is_where_the_validators_look() -> None:
    text = WORKFLOW.read_text()
    assert f"{TF_PLUGIN_DIR_ENV}=" in text
    assert "providers mirror" in text


def test_ci_run_still_exists_and_is_what_it_runs() -> None:
    assert CI_RUN.is_file()
    assert "python3 -m pytest" in CI_RUN.read_text()


@pytest.mark.parametrize(
    ("breakage", "problem"),
    [
        (lambda c: c["jobs"]["test"]["steps"][-1].update({"run": "python -m pytest"}), "no single step"),
        (lambda c: c["jobs"]["test"]["steps"].append({"run": "echo done"}), "not the last step"),
        (lambda c: c["jobs"]["test"]["steps"].insert(1, {"run": "pip install -e ."}), "outside .ci/run"),
        (lambda c: c["jobs"]["test"]["steps"][0].update({"uses": "actions/checkout@main"}), "not pinned"),
        (lambda c: c.update({"permissions": "write-all"}), "permissions are"),
        (lambda c: c["jobs"]["test"].pop("timeout-minutes"), "timeout"),
        (
            lambda c: c["jobs"]["test"].update(
                {"steps": [s for s in c["jobs"]["test"]["steps"] if "setup-java" not in str(s.get("uses"))]}
            ),
            "setup-java",
        ),
    ],
)
def test_the_drift_check_can_fail(breakage: Any, problem: str) -> None:
    config = _load()
    breakage(config)
    assert any(problem in found for found in drift(config))
