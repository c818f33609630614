"""The deploy job of the generated GitHub workflow, for every cloud.

Each workflow passes actionlint (which knows the inputs of the clouds' sign-in actions) and the GitHub workflow
schema, and keeps the gate the docs promise: it runs only for pushes to main, after the checks, in the
`production` environment (whose required reviewers approve it), one at a time; only it may request an OIDC
token; it signs in with the action its cloud names and reads nothing but the repository variables its cloud
lists; it applies the plan it just made. `gate_problems` states that gate once, and is shown to fail on
workflows broken on purpose.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.helpers.validators import CI_SCHEMAS, actionlint, check_jsonschema

from dataforge.commands.new import generate
from dataforge.compose import blueprints_root
from dataforge.compose.parts import load_part
from dataforge.render.tree import render_part

WORKFLOW = Path(".github/workflows/ci.yml")
CLOUDS = ("aws", "gcp", "azure")
REQUIREMENT = "nightly postgres orders to snowflake"
MAIN_PUSH = "github.ref == 'refs/heads/main' && github.event_name == 'push'"
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def cloud_deploy(cloud: str) -> dict[str, Any]:
    part = load_part(blueprints_root(), "clouds", cloud)
    assert part is not None, cloud
    deploy: dict[str, Any] = part.spec.provides["deploy"]  # type: ignore[assignment]
    return deploy


@pytest.fixture(scope="module")
def workflows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("github_deploy")
    return {
        cloud: generate(
            REQUIREMENT, output=out, name=f"deploy_{cloud}", cloud=cloud, ci="github", git=False
        ).path
        / WORKFLOW
        for cloud in CLOUDS
    }


def _load(path: Path) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(path.read_text())
    return config


def _step(steps: list[dict[str, Any]], name: str) -> tuple[int, dict[str, Any]]:
    found = [(i, step) for i, step in enumerate(steps) if step.get("name") == name]
    assert len(found) == 1, f"no single step named {name!r}"
    return found[0]


def gate_problems(config: dict[str, Any], deploy: dict[str, Any]) -> list[str]:
    """What breaks the deploy gate of a parsed workflow; `deploy` is the cloud's `[provides.deploy]`."""
    problems: list[str] = []
    jobs: dict[str, dict[str, Any]] = config["jobs"]
    job = jobs.get("deploy")
    if job is None:
        return ["no deploy job"]
    if job.get("if") != MAIN_PUSH:
        problems.append(f"deploy runs when {job.get('if')!r}, not only on pushes to main")
    if set(job.get("needs", [])) != {"test", "terraform"}:
        problems.append(f"deploy needs {job.get('needs')!r}, not the checks")
    if job.get("environment") != "production":
        problems.append("deploy is not in the production environment")
    if "timeout-minutes" not in job:
        problems.append("deploy has no timeout")
    concurrency = job.get("concurrency") or {}
    if not concurrency.get("group") or concurrency.get("cancel-in-progress") is not False:
        problems.append("two deploys can race or a running one can be cancelled")
    cancel = (config.get("concurrency") or {}).get("cancel-in-progress", False)
    if cancel is True or (isinstance(cancel, str) and "refs/heads/main" not in cancel):
        problems.append("a push to main can cancel the running workflow, deploy included")
    if config.get("permissions") != {"contents": "read"}:
        problems.append(f"workflow permissions are {config.get('permissions')!r}")
    for name, other in jobs.items():
        wanted = {"contents": "read", "id-token": "write"} if name == "deploy" else None
        if other.get("permissions") != wanted:
            problems.append(f"job {name} has permissions {other.get('permissions')!r}")
    steps: list[dict[str, Any]] = job.get("steps", [])
    sign_in = [i for i, step in enumerate(steps) if step.get("uses") == deploy["github_actions"]["uses"]]
    runs = [(i, str(step.get("run", ""))) for i, step in enumerate(steps)]
    plan = [i for i, run in runs if " plan " in run and "-out=prod.tfplan" in run]
    apply = [i for i, run in runs if run == "terraform apply -input=false prod.tfplan"]
    if not (sign_in and plan and apply and sign_in[0] < plan[0] < apply[0]):
        problems.append("deploy does not sign in, plan, then apply that plan")
    allowed = {f"vars.{v['name']}" for v in deploy["variables"]} | {"github.workflow"}
    used = set(_EXPRESSION.findall(yaml.safe_dump(job)))
    if used - allowed:
        problems.append(f"deploy reads {sorted(used - allowed)}, not only the cloud's variables")
    return problems


def test_workflows_pass_actionlint_and_the_github_schema(workflows: dict[str, Path]) -> None:
    actionlint(list(workflows.values()))
    check_jsonschema(CI_SCHEMAS["github_actions"], list(workflows.values()))


@pytest.mark.parametrize("cloud", CLOUDS)
def test_deploy_is_gated_and_least_privileged(workflows: dict[str, Path], cloud: str) -> None:
    assert gate_problems(_load(workflows[cloud]), cloud_deploy(cloud)) == []


@pytest.mark.parametrize(
    ("breakage", "problem"),
    [
        (lambda c: c["jobs"]["deploy"].update({"if": "github.ref == 'refs/heads/main'"}), "only on pushes"),
        (lambda c: c["jobs"]["deploy"].pop("environment"), "production environment"),
        (lambda c: c.update({"permissions": {"contents": "read", "id-token": "write"}}), "workflow perm"),
        (lambda c: c["jobs"]["test"].update({"permissions": {"id-token": "write"}}), "job test has"),
        (lambda c: c["jobs"]["deploy"]["concurrency"].update({"cancel-in-progress": True}), "race"),
        (lambda c: c["concurrency"].update({"cancel-in-progress": True}), "can cancel the running"),
        (lambda c: c["jobs"]["deploy"]["steps"].pop(), "plan, then apply"),
        (lambda c: c["jobs"]["deploy"]["env"].update({"X": "${{ secrets.KEY }}"}), "secrets.KEY"),
    ],
)
def test_the_gate_check_can_fail(workflows: dict[str, Path], breakage: Any, problem: str) -> None:
    config = _load(workflows["aws"])
    breakage(config)
    assert any(problem in found for found in gate_problems(config, cloud_deploy("aws")))


@pytest.mark.parametrize("cloud", CLOUDS)
def test_deploy_plans_with_the_prod_tfvars_in_the_terraform_folder(
    workflows: dict[str, Path], cloud: str
) -> None:
    steps = _load(workflows[cloud])["jobs"]["deploy"]["steps"]
    plan_at, plan = _step(steps, "Plan")
    init_at, init = _step(steps, "Init (remote state)")
    assert init["run"] == "terraform init -input=false"  # with the backend: the state deploys share
    assert plan["run"] == ("terraform plan -input=false -var-file=environments/prod.tfvars -out=prod.tfplan")
    assert init_at < plan_at
    tf_dir = {step.get("working-directory") for step in steps if "terraform" in str(step.get("run", ""))}
    assert tf_dir == {"infra/terraform"}
    assert (workflows[cloud].parents[2] / "infra/terraform/environments/prod.tfvars").is_file()


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_header_lists_every_variable_to_set(workflows: dict[str, Path], cloud: str) -> None:
    header = workflows[cloud].read_text().split("\nname: ci\n")[0]
    assert "environment `production`" in header
    assert "required reviewers" in header
    for variable in cloud_deploy(cloud)["variables"]:
        assert f"#   {variable['name']}: " in header


@pytest.mark.parametrize("cloud", CLOUDS)
def test_each_cloud_names_a_pinned_sign_in_action_fed_by_its_variables(cloud: str) -> None:
    deploy = cloud_deploy(cloud)
    github = deploy["github_actions"]
    assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", github["uses"]), github["uses"]
    values = [*github["with"].values(), *github.get("env", {}).values()]
    read = {name for value in values for name in re.findall(r"vars\.(\w+)", value)}
    assert read == {v["name"] for v in deploy["variables"]}  # every variable it asks for is used, no other
    assert not [value for value in values if "secrets." in value]


def _render_github_part(tmp_path: Path, cloud: dict[str, Any]) -> Path:
    part = load_part(blueprints_root(), "ci", "github_actions")
    assert part is not None
    render_part(
        part, {"project_name": "demo", "ci_provider": "github_actions", "tech": {"cloud": cloud}}, tmp_path
    )
    return tmp_path / WORKFLOW


@pytest.mark.parametrize(
    "cloud",
    [{}, {"terraform": {"dir": "infra/terraform"}}, {"terraform": {"dir": "infra/terraform"}, "deploy": {}}],
    ids=["no-cloud", "terraform-without-deploy", "deploy-without-github-sign-in"],
)
def test_no_deploy_job_without_terraform_and_a_github_sign_in(tmp_path: Path, cloud: dict[str, Any]) -> None:
    """Every composition has a cloud with Terraform today; the part still renders a valid workflow without."""
    workflow = _render_github_part(tmp_path, cloud)
    config = _load(workflow)
    assert "deploy" not in config["jobs"]
    assert ("terraform" in config["jobs"]) == ("terraform" in cloud)
    assert "id-token" not in workflow.read_text()
    actionlint([workflow])
