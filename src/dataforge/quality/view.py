"""Rich views of a proposed suite and of what an update changes (imported only to print)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from dataforge.quality.reconcile import NO_COLUMN

if TYPE_CHECKING:
    from rich.console import Group, RenderableType
    from rich.text import Text

    from dataforge.commands.add_quality_suite import SuitePlan
    from dataforge.quality.suite import Change


def plan_view(plan: SuitePlan) -> Group:
    """The proposed suite as a table (column, expectation, parameters, why), then changes and notes."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Proposed suite {plan.dataset} ({plan.mode}; {plan.level})", show_lines=False)
    for header in ("column", "expectation", "parameters", "why"):
        table.add_column(header, overflow="fold", no_wrap=header == "expectation")
    for e in plan.suite["expectations"]:
        kwargs = dict(e.get("kwargs") or {})
        column = str(kwargs.pop("column", "(table)"))
        meta = e.get("meta") or {}
        ours = meta.get("generated_by") == "dataforge"  # without a reason: derived from the schema
        why = str(meta.get("why") or "from the schema (kept)") if ours else "yours (kept)"
        cells = (column, str(e["type"]).removeprefix("expect_"), json.dumps(kwargs, default=str), why)
        table.add_row(*(Text(cell) for cell in cells))
    parts: list[RenderableType] = [table]
    if plan.changes:
        changes = Table(title="Changes to the existing suite")
        for header in ("change", "column", "expectation", "detail"):
            changes.add_column(header, overflow="fold")
        for c in plan.changes:
            cells = (c.action, c.column or "(table)", c.type.removeprefix("expect_"), c.detail)
            changes.add_row(*(Text(cell) for cell in cells))
        parts += [changes, *_merge_summary(plan.changes)]
    elif plan.mode != "new":
        parts.append(Text("No changes to the existing suite."))
    parts += [Text(f"note: {note}") for note in plan.proposed.notes]
    return Group(*parts)


def _merge_summary(changes: list[Change]) -> list[Text]:
    """One line counting each kind of change, and one naming the columns the file lacks (if any)."""
    from rich.text import Text

    counts: dict[str, int] = {}
    for c in changes:
        counts[c.action] = counts.get(c.action, 0) + 1
    lines = [Text("Merge: " + ", ".join(f"{n} {action}" for action, n in counts.items()))]
    lacking = sorted({c.column for c in changes if c.action == "dropped" and c.detail.startswith(NO_COLUMN)})
    if lacking:
        dropped = sum(1 for c in changes if c.action == "dropped" and c.detail.startswith(NO_COLUMN))
        lines.append(
            Text(
                f"The file lacks {len(lacking)} column(s) the existing suite checks: {', '.join(lacking)}; "
                f"their {dropped} expectation(s) are dropped and not proposed."
            )
        )
    return lines
