"""The CI configurations of every provider, for a batch and a kappa project, under their real validators.

GitHub Actions: actionlint and the GitHub workflow schema; GitLab CI: the GitLab CI schema; Azure Pipelines:
the Azure Pipelines schema (check-jsonschema's vendored schemas, offline). Beside the validators, the contract
every provider keeps: the project's own commands, timeouts on every job, pinned images and actions, a deploy
gated on main whose credentials come from OIDC, no secret printed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.helpers.validators import CI_SCHEMAS, actionlint, check_jsonschema

from dataforge.answers.schema import choices
from dataforge.catalog import load_catalog
from dataforge.commands.new import generate
from dataforge.commands.plan import CI_PROVIDERS, plan
from dataforge.compose import blueprints_root, list_parts

REQUIREMENTS = {"batch": "nightly postgres orders to snowflake", "kappa": "Kafka to BigQuery streaming"}
CONFIG = {
    "github_actions": ".github/workflows/ci.yml",
    "gitlab_ci": ".gitlab-ci.yml",
    "azure_pipelines": "azure-pipelines.yml",
}
CASES = [(pattern, ci) for pattern in REQUIREMENTS for ci in CI_PROVIDERS]


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("ci")
    return {
        (pattern, ci): generate(
            REQUIREMENTS[pattern], output=out, name=f"{pattern}_{ci.replace('-', '_')}", ci=ci, git=False
        ).path
        for pattern, ci in CASES
    }


def _config(projects: dict[tuple[str, str], Path], pattern: str, ci: str) -> Path:
    return projects[(pattern, ci)] / CONFIG[CI_PROVIDERS[ci]]


@pytest.mark.parametrize("ci", list(CI_PROVIDERS))
def test_each_provider_renders_only_its_own_config(projects: dict[tuple[str, str], Path], ci: str) -> None:
    for pattern in REQUIREMENTS:
        root = projects[(pattern, ci)]
        present = {provider for provider, rel in CONFIG.items() if (root / rel).is_file()}
        assert present == {CI_PROVIDERS[ci]}, (pattern, present)


@pytest.mark.parametrize("ci", list(CI_PROVIDERS))
def test_configs_pass_their_provider_schema(projects: dict[tuple[str, str], Path], ci: str) -> None:
    check_jsonschema(CI_SCHEMAS[CI_PROVIDERS[ci]], [_config(projects, p, ci) for p in REQUIREMENTS])


def test_github_workflows_pass_actionlint(projects: dict[tuple[str, str], Path]) -> None:
    actionlint([_config(projects, p, "github") for p in REQUIREMENTS])


@pytest.mark.parametrize("ci", ["gitlab", "azure-devops"])
def test_the_schema_check_can_fail(projects: dict[tuple[str, str], Path], ci: str, tmp_path: Path) -> None:
    """A config with an invalid job is refused: the validator really reads the file."""
    config = yaml.safe_load(_config(projects, "batch", ci).read_text())
    if ci == "gitlab":
        config["test"]["when"] = "sometimes"
    else:
        config["stages"][0]["jobs"][0]["steps"] = "make test"
    broken = tmp_path / CONFIG[CI_PROVIDERS[ci]]
    broken.write_text(yaml.safe_dump(config))
    with pytest.raises(AssertionError, match="found problems"):
        check_jsonschema(CI_SCHEMAS[CI_PROVIDERS[ci]], [broken])


@pytest.mark.parametrize(("pattern", "ci"), CASES)
def test_every_pipeline_runs_the_project_commands(
    projects: dict[tuple[str, str], Path], pattern: str, ci: str
) -> None:
    text = _config(projects, pattern, ci).read_text()
    for command in ("uv lock --check", "make setup", "make lint", "make test", "make test-prod"):
        assert re.search(rf"(run:|script:|-) {re.escape(command)}$", text, re.MULTILINE), command
    for check in (
        "terraform fmt -check -recursive infra/terraform",
        "validate -no-color",
        "--framework terraform --skip-download",
    ):
        assert check in text, check
    assert "uv.lock" in text  # the install cache is keyed on the lock


def _jobs(ci: str, config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if ci == "github":
        jobs: dict[str, dict[str, Any]] = config["jobs"]
        return jobs
    if ci == "gitlab":
        return {k: v for k, v in config.items() if isinstance(v, dict) and ("script" in v or "extends" in v)}
    return {
        str(job.get("job") or job.get("deployment")): job
        for stage in config["stages"]
        for job in stage["jobs"]
    }


@pytest.mark.parametrize(("pattern", "ci"), CASES)
def test_every_job_has_a_timeout(projects: dict[tuple[str, str], Path], pattern: str, ci: str) -> None:
    config = yaml.safe_load(_config(projects, pattern, ci).read_text())
    key = {"github": "timeout-minutes", "gitlab": "timeout", "azure-devops": "timeoutInMinutes"}[ci]
    jobs = _jobs(ci, config)
    assert len(jobs) >= 2
    assert [name for name, job in jobs.items() if key not in job] == []


@pytest.mark.parametrize(("pattern", "ci"), CASES)
def test_images_and_actions_are_pinned(projects: dict[tuple[str, str], Path], pattern: str, ci: str) -> None:
    text = _config(projects, pattern, ci).read_text()
    assert ":latest" not in text
    pinned = 0
    for action in re.findall(r"uses: (\S+)", text):
        assert re.search(r"@v\d+$", action), action
        pinned += 1
    for task in re.findall(r"task: (\S+)", text):
        assert re.search(r"@\d+$", task), task
        pinned += 1
    for image in re.findall(r"image: (\S+)|name: (\S+/\S+:\S+)", text):
        image = image[0] or image[1]
        assert re.search(r":\d+(\.\d+)+(-[a-z]+)*$", image), image
        pinned += 1
    assert pinned >= 3


@pytest.mark.parametrize("ci", ["gitlab", "azure-devops"])
@pytest.mark.parametrize("pattern", list(REQUIREMENTS))
def test_deploy_is_gated_on_main_and_signs_in_with_oidc(
    projects: dict[tuple[str, str], Path], pattern: str, ci: str
) -> None:
    text = _config(projects, pattern, ci).read_text()
    plan_at, apply_at = text.index("plan -input=false"), text.index("apply -input=false prod.tfplan")
    assert plan_at < apply_at
    if ci == "gitlab":
        config = yaml.safe_load(text)
        apply = config["terraform-apply"]
        assert apply["rules"] == [{"if": '$CI_COMMIT_BRANCH == "main"', "when": "manual"}]
        assert apply["environment"]["name"] == "production"
        assert "OIDC_TOKEN" in config[".deploy"]["id_tokens"]
    else:
        config = yaml.safe_load(text)
        stages = {stage["stage"]: stage for stage in config["stages"]}
        for name in ("plan", "apply"):
            assert "refs/heads/main" in stages[name]["condition"]
        assert stages["apply"]["jobs"][0]["environment"].endswith("-production")
        assert 'OIDC_TOKEN="$idToken"' in text
    cloud = {"batch": "AWS_ROLE_ARN", "kappa": "GCP_WORKLOAD_IDENTITY_PROVIDER"}[pattern]
    assert cloud in text  # the cloud's sign-in, named in the header for the user to set


@pytest.mark.parametrize(("pattern", "ci"), CASES)
def test_no_secret_is_stored_or_printed(projects: dict[tuple[str, str], Path], pattern: str, ci: str) -> None:
    text = _config(projects, pattern, ci).read_text()
    for stored in ("AWS_SECRET_ACCESS_KEY", "ARM_CLIENT_SECRET", "GOOGLE_APPLICATION_CREDENTIALS", "set -x"):
        assert stored not in text
    assert not re.search(r"echo[^\n|]*(TOKEN|idToken|CREDENTIALS)", text)
    assert "persist-credentials: false" in text or "persistCredentials" in text or ci == "gitlab"


def test_ci_none_renders_no_ci(tmp_path: Path) -> None:
    root = generate(REQUIREMENTS["batch"], output=tmp_path, name="no_ci", ci="none", git=False).path
    assert not any((root / rel).exists() for rel in CONFIG.values())
    assert not (root / ".github").exists()
    answers = yaml.safe_load((root / ".dataforge" / "answers.json").read_text())
    assert answers["ci_provider"] == "none"
    assert "ci" not in answers["components"]
    assert not any(
        part.startswith("ci/")
        for part in yaml.safe_load((root / ".dataforge/manifest.json").read_text())["parts"]
    )


def test_every_ci_provider_the_catalogue_knows_can_be_generated() -> None:
    """`plan` never offers a CI provider `new` cannot generate: each one has a part."""
    known = {t.id for t in load_catalog().technologies if t.kind == "ci"}
    assert known == set(list_parts(blueprints_root(), "ci"))
    assert set(choices()["ci_provider"]) == known | {"none"}
    assert set(CI_PROVIDERS.values()) == known


@pytest.mark.parametrize(
    ("text", "provider"),
    [
        ("nightly postgres to snowflake, CI on GitLab", "gitlab_ci"),
        ("nightly postgres to snowflake with azure devops pipelines", "azure_pipelines"),
        ("nightly postgres to snowflake", "github_actions"),
    ],
)
def test_plan_chooses_a_provider_with_a_part(text: str, provider: str) -> None:
    decision = plan(text)
    assert decision.ci_provider == provider
    assert decision.ci_provider in list_parts(blueprints_root(), "ci")


def test_ci_option_overrides_the_requirement_and_says_so() -> None:
    decision = plan("nightly postgres to snowflake, CI on GitLab", ci="azure-devops")
    assert decision.ci_provider == "azure_pipelines"
    assert any(r.rule == "override.ci_provider" and "--ci" in r.because for r in decision.reasons)
