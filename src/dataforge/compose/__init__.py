"""Composition: pattern manifest + chosen technologies -> the ordered parts of a project and their assembly.

patterns/<pattern>.toml   which stages, which technology slots, the order of the run steps
stages/<stage>/           one folder per stage (base, ingest, spark, airflow, dbt, quality, ...)
sources|warehouses|clouds|ci/<name>/   one folder per technology, chosen from the answers
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataforge.compose.assembly import Assembly, assemble, fill
from dataforge.compose.parts import PLACEHOLDERS, Part, PartKind, blueprints_root, list_parts, load_part
from dataforge.compose.pattern import SLOTS, generatable_patterns, load_pattern, pattern_components
from dataforge.errors import UsageError

__all__ = [
    "SLOTS",
    "Assembly",
    "Composition",
    "Part",
    "blueprints_root",
    "compose",
    "generatable_patterns",
    "list_parts",
    "load_part",
    "pattern_components",
    "slot_choice",
]

#: The answer that chooses each slot's technology.
SLOT_ANSWERS = {
    "source": "source_reader",
    "stream": "stream_reader",
    "warehouse": "warehouse",
    "cloud": "cloud",
    "ci": "ci_provider",
}


@dataclass(frozen=True)
class Composition:
    """The parts of one project, in render order, with what they declare merged."""

    pattern: str
    parts: tuple[Part, ...]
    assembly: Assembly
    provides: dict[str, dict[str, Any]]

    @property
    def part_ids(self) -> list[str]:
        """`<kind>/<name>` of every part, in render order."""
        return [p.id for p in self.parts]


def slot_choice(slot: str, data: Mapping[str, Any]) -> str:
    """The technology chosen for a slot, read from the answers."""
    return str(data[SLOT_ANSWERS[slot]])


def _require(root: Path, kind: PartKind, name: str, why: str) -> Part:
    part = load_part(root, kind, name)
    if part is None:
        known = ", ".join(list_parts(root, kind)) or "none"
        raise UsageError(
            f"dataforge has no {kind} blueprint named {name!r} ({why}).",
            hint=f"Available {kind}: {known}. CONTRIBUTING.md shows how to add one.",
        )
    return part


def compose(data: Mapping[str, Any], root: Path | None = None) -> Composition:
    """Resolve the pattern's stages and the chosen technologies into parts, and assemble them."""
    root = root or blueprints_root()
    pattern = str(data["pattern"])
    manifest = load_pattern(pattern, root)
    if manifest is None or not manifest.generate:
        supported = ", ".join(generatable_patterns(root))
        raise UsageError(
            f"dataforge cannot generate {pattern} projects yet (supported: {supported}).",
            hint="Run `dataforge plan` to see the design, or pass --pattern batch for a batch project now.",
        )
    parts = [
        _require(root, "stages", stage, f"a stage of the {pattern} pattern") for stage in manifest.stages
    ]
    provides: dict[str, dict[str, Any]] = {}
    for slot in manifest.technologies:
        choice = slot_choice(slot, data)
        if choice == "none":
            continue
        if not choice:  # only a stream slot can be empty: the source is not a stream
            source = data.get("source_name") or data["source"]
            raise UsageError(
                f"A {pattern} project reads a stream, and {source} is not one.",
                hint="Name a stream source (Kafka, Kinesis, Pub/Sub, Event Hubs), or pass --pattern batch.",
            )
        part = _require(root, SLOTS[slot], choice, f"the {slot} this project uses")  # type: ignore[arg-type]
        parts.append(part)
        provides[slot] = dict(part.spec.provides)
    names = {k: str(data.get(k, "")) for k in PLACEHOLDERS}

    return Composition(
        pattern=pattern,
        parts=tuple(parts),
        assembly=assemble(parts, manifest.run, names, manifest.unscheduled),
        provides=fill(provides, names),
    )
