"""`dataforge plan`: requirement text -> facts -> decision, with the reason for every choice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataforge.errors import NotUnderstoodError, UsageError

if TYPE_CHECKING:
    from dataforge.decision import Decision

PATTERN_CHOICES = ("batch", "lambda", "kappa", "lakehouse")
CLOUD_CHOICES = ("aws", "gcp", "azure")
#: `--ci` values (what users call the providers) -> the catalogue's CI ids (parts: blueprints/ci/<id>).
CI_PROVIDERS = {"github": "github_actions", "gitlab": "gitlab_ci", "azure-devops": "azure_pipelines"}
CI_CHOICES = (*CI_PROVIDERS, "none")


def ci_provider(option: str, value: str, choices: tuple[str, ...] = CI_CHOICES) -> str:
    """The catalogue id of a `--ci`/`--provider` value (`none` stays); UsageError listing the valid ones."""
    chosen = _check_choice(option, value, choices)
    assert chosen is not None
    return CI_PROVIDERS.get(chosen, chosen)


def _check_choice(option: str, value: str | None, choices: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    cleaned = value.strip().lower()
    if cleaned not in choices:
        raise UsageError(
            f"Unknown {option} value {value!r}.",
            hint=f"Use one of: {', '.join(choices)}.",
        )
    return cleaned


def plan(
    requirement: str, *, pattern: str | None = None, cloud: str | None = None, ci: str | None = None
) -> Decision:
    """Understand a requirement and decide the architecture, with the reasons for every choice.

    ``ci`` is a `--ci` value (github, gitlab, azure-devops or none). Raises RequirementError for unusable
    text, NotUnderstoodError when nothing in it is a data technology or intent, and UsageError for unknown
    ``pattern``/``cloud``/``ci`` values.
    """
    from dataforge.decision import decide
    from dataforge.facts import extract_facts
    from dataforge.requirement import check_requirement

    overrides = {
        key: value
        for key, value in (
            ("pattern", _check_choice("--pattern", pattern, PATTERN_CHOICES)),
            ("cloud", _check_choice("--cloud", cloud, CLOUD_CHOICES)),
            ("ci_provider", None if ci is None else ci_provider("--ci", ci)),
        )
        if value is not None
    }
    facts = extract_facts(check_requirement(requirement))
    if facts.signal_count == 0:
        shown = facts.requirement if len(facts.requirement) <= 60 else facts.requirement[:57] + "..."
        raise NotUnderstoodError(f"No data technology, latency, schedule or intent recognised in {shown!r}.")
    return decide(facts, overrides=overrides)
