"""Files -> the `entities` answer, with the notes the user should read and the plan's reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataforge.samples.mapping import map_tables
from dataforge.samples.read import read_tables

#: The rule id of the plan's reason when the entities come from the user's files.
REASON_RULE = "domain.sample"


@dataclass(frozen=True)
class Derived:
    """The entities (as answers data), what was adapted on the way, and why the plan uses them."""

    entities: list[dict[str, Any]]
    notes: list[str]
    reason: dict[str, str]


def derive_entities(paths: list[Path]) -> Derived:
    """Read every file (all before anything is written), then map the two tables to a dimension and a fact."""
    tables = [table for path in paths for table in read_tables(path)]
    mapped = map_tables(tables)
    files = ", ".join(dict.fromkeys(t.source for t in tables))
    fact = next(e for e in mapped.entities if e.role == "fact")
    dimension = next(e for e in mapped.entities if e.role == "dimension")
    because = (
        f"The entities come from your files ({files}): {dimension.name} (dimension) and {fact.name} (fact). "
        "Only their schema and profile were used; no row was copied."
    )
    return Derived(
        entities=[e.model_dump(mode="json", exclude_defaults=True) for e in mapped.entities],
        notes=mapped.notes,
        reason={"rule": REASON_RULE, "because": because},
    )
