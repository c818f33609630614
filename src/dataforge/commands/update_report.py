"""What `dataforge update` prints: a line per file, then a one-line summary.

A line for every file the update changes, or leaves as it is despite a blueprint change. Kept apart from the
merge so the wording can be tested without rendering a project.
"""

from __future__ import annotations

from collections.abc import Callable

from dataforge.commands.update import UpdatePlan
from dataforge.project.merge import Outcome

#: What each outcome means for the user, in the order the files are listed.
_SAYS = {
    Outcome.ADDED: "added",
    Outcome.UPDATED: "updated",
    Outcome.MERGED: "merged (your edits kept)",
    Outcome.CONFLICT: "CONFLICT (both sides kept)",
    Outcome.REMOVED: "removed (no longer generated)",
    Outcome.KEPT_DELETED: "kept deleted (you deleted it)",
    Outcome.KEPT_EDITED: "kept (no longer generated; yours now)",
}


def print_plan(plan: UpdatePlan, echo: Callable[[str], object]) -> None:
    """One line per file whose outcome is not a plain `kept`."""
    width = max(len(says) for says in _SAYS.values())
    for outcome, says in _SAYS.items():
        for rel in plan.files(outcome):
            echo(f"{says:<{width}}  {rel}")


def summary(plan: UpdatePlan, dry_run: bool) -> str:
    """E.g. `Updated: 2 added, 1 merged, 1 conflict.`, or that the project was already up to date."""
    counts = [f"{len(plan.files(o))} {o.value}" for o in _SAYS if plan.files(o)]
    if plan.answers_changed:
        counts.append("answers changed")
    if not counts:
        return "Up to date with the installed blueprints; nothing to change."
    return f"{'Dry run, nothing written' if dry_run else 'Updated'}: {', '.join(counts)}."
