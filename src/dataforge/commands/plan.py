"""`dataforge plan`: requirement text -> facts -> decision, with the reason for every choice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataforge.errors import NotUnderstoodError, UsageError

if TYPE_CHECKING:
    from dataforge.decision import Decision

PATTERN_CHOICES = ("batch", "lambda", "kappa", "lakehouse")
CLOUD_CHOICES = ("aws", "gcp", "azure")


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


def plan(requirement: str, *, pattern: str | None = None, cloud: str | None = None) -> Decision:
    """Understand a requirement and decide the architecture, with the reasons for every choice.

    Raises RequirementError for unusable text, NotUnderstoodError when nothing in it is a data
    technology or intent, and UsageError for unknown ``pattern``/``cloud`` values.
    """
    from dataforge.decision import decide
    from dataforge.facts import extract_facts
    from dataforge.requirement import check_requirement

    overrides = {
        key: value
        for key, value in (
            ("pattern", _check_choice("--pattern", pattern, PATTERN_CHOICES)),
            ("cloud", _check_choice("--cloud", cloud, CLOUD_CHOICES)),
        )
        if value is not None
    }
    facts = extract_facts(check_requirement(requirement))
    if facts.signal_count == 0:
        shown = facts.requirement if len(facts.requirement) <= 60 else facts.requirement[:57] + "..."
        raise NotUnderstoodError(f"No data technology, latency, schedule or intent recognised in {shown!r}.")
    return decide(facts, overrides=overrides)
