"""Rendering plans and the catalogue for people (Rich) — imported only by commands that print."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

if TYPE_CHECKING:
    from dataforge.catalog import Catalog
    from dataforge.commands.new import Generated
    from dataforge.decision import Decision


def _names(ids: list[str], catalog: Catalog) -> str:
    known = {t.id: t.name for t in catalog.technologies}
    return ", ".join(f"{known.get(i, i)} ({i})" for i in ids) or "none"


def plan_view(decision: Decision, catalog: Catalog) -> Group:
    """The plan as a tree of choices, then the reasons, assumptions, warnings and overruled rules."""
    tree = Tree(Text.assemble(("Plan: ", "bold"), (decision.pattern, "bold cyan")))
    rows = [
        ("Sources", _names(decision.sources, catalog)),
        ("Sinks", _names(decision.sinks, catalog)),
        ("Cloud", decision.cloud or f"none implied (infrastructure for {decision.deploy_cloud})"),
        ("Latency", decision.latency),
        ("Schedule", decision.schedule or "none"),
        ("Load mode", decision.load_mode),
        ("Table format", decision.table_format or "none"),
        ("Warehouse (dbt)", _names([decision.warehouse], catalog)),
        ("CI", decision.ci_provider),
        ("Volume", decision.volume or "not stated"),
        ("Sample domain", decision.domain),
    ]
    for label, value in rows:
        tree.add(Text.assemble((f"{label}: ", "bold"), value))
    components = tree.add(Text("Components", style="bold"))
    for component in decision.components:
        components.add(component)

    reasons = Table(title="Why", title_justify="left", show_lines=False, expand=False)
    reasons.add_column("rule", style="cyan", no_wrap=True)
    reasons.add_column("because")
    for reason in decision.reasons:
        reasons.add_row(reason.rule, reason.because)

    parts: list[Tree | Table | Text] = [tree, reasons, Text("Sizing", style="bold")]
    parts += [Text(f"  {line}") for line in decision.sizing.lines]
    for title, lines, style in (
        ("Assumptions", decision.assumptions, "yellow"),
        ("Warnings", decision.warnings, "bold red"),
    ):
        if lines:
            parts.append(Text(title, style="bold " + style))
            parts += [Text(f"  - {line}", style=style) for line in lines]
    if decision.overruled:
        parts.append(Text("Overruled", style="bold dim"))
        parts += [
            Text(f"  - {o.rule} wanted {o.field}={o.value}; {o.lost_to} won", style="dim")
            for o in decision.overruled
        ]
    return Group(*parts)


def catalog_view(catalog: Catalog, patterns: dict[str, str]) -> Group:
    """Patterns and every technology with its kind, cloud and synonyms."""
    pattern_table = Table(title="Patterns", title_justify="left")
    pattern_table.add_column("pattern", style="cyan")
    pattern_table.add_column("when")
    for name, meaning in patterns.items():
        pattern_table.add_row(name, meaning)
    tech_table = Table(title="Technologies", title_justify="left")
    for column in ("id", "kind", "cloud", "synonyms"):
        tech_table.add_column(column, style="cyan" if column == "id" else None)
    for tech in catalog.technologies:
        spellings = [*tech.synonyms, *(f"{s} ({c})" for s, c in tech.cloud_synonyms.items())]
        tech_table.add_row(tech.id, tech.kind, tech.cloud or "-", ", ".join(spellings))
    return Group(pattern_table, tech_table)


def file_tree(root_label: str, files: list[str]) -> Tree:
    """Files as a folder tree."""
    tree = Tree(Text(root_label, style="bold"))
    branches: dict[tuple[str, ...], Tree] = {(): tree}
    for rel in sorted(files):
        parts = tuple(rel.split("/"))
        for depth in range(1, len(parts)):
            key = parts[:depth]
            if key not in branches:
                branches[key] = branches[parts[: depth - 1]].add(Text(parts[depth - 1] + "/", style="blue"))
        branches[parts[:-1]].add(parts[-1])
    return tree


def generation_view(result: Generated) -> Group:
    """What `new` wrote (or would write), and what to do next."""
    verb = "Would write" if result.dry_run else "Generated"
    answers = result.answers
    summary = Text.assemble(
        (f"{verb} {answers.project_name}", "bold green"),
        f": a {answers.pattern} pipeline from {answers.source_name} to {answers.sink_name}",
        f" on {answers.cloud}, {len(result.files)} files in {result.path}",
    )
    parts: list[Text | Tree] = [summary, file_tree(f"{answers.project_name}/", result.files)]
    parts += [Text(f"note: {line}", style="yellow") for line in result.warnings]
    if not result.dry_run:
        parts.append(Text("Next steps:", style="bold"))
        for step in (f"cd {result.path}", "make setup && make test", "make run"):
            parts.append(Text(f"  {step}"))
    return Group(*parts)


def print_renderable(renderable: Group) -> None:
    """Print to stdout at the terminal's width (80 columns when not a terminal)."""
    Console(soft_wrap=False).print(renderable)
