"""Pattern manifests: `blueprints/patterns/<pattern>.toml` alone says what composes a project.

A manifest names the stages (in render order), the technology slots that plug in, the order of the run steps
and the components `plan` shows. Rules choose the technologies; they never restate a pattern's composition.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dataforge.compose.parts import blueprints_root
from dataforge.errors import GenerationError

#: Technology slots a pattern may plug in, and the part kind each one resolves to.
SLOTS = {"source": "sources", "stream": "streams", "warehouse": "warehouses", "cloud": "clouds", "ci": "ci"}


class PatternManifest(BaseModel):
    """What `blueprints/patterns/<name>.toml` declares."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    generate: bool = True  # False: `plan` explains the design, `new` cannot generate it yet
    components: tuple[str, ...]
    stages: tuple[str, ...] = ()
    technologies: tuple[str, ...] = Field(default=())
    run: tuple[str, ...] = ()
    # Steps a composed stage declares that this pattern does not run: their module stays a command of the
    # project (kappa keeps `load` to reload a day, while the streaming sink loads as it goes).
    unscheduled: tuple[str, ...] = ()


@cache
def load_pattern(name: str, root: Path | None = None) -> PatternManifest | None:
    """The manifest of a pattern, or None when there is none."""
    path = (root or blueprints_root()) / "patterns" / f"{name}.toml"
    if not path.is_file():
        return None
    try:
        manifest = PatternManifest.model_validate({"name": name, **tomllib.loads(path.read_text())})
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        raise GenerationError(f"The {name} pattern manifest is invalid: {error}") from None
    unknown = set(manifest.technologies) - set(SLOTS)
    if unknown:
        raise GenerationError(f"The {name} pattern plugs in unknown slots: {', '.join(sorted(unknown))}.")
    return manifest


def generatable_patterns(root: Path | None = None) -> list[str]:
    """Patterns `new` can generate today."""
    root = root or blueprints_root()
    names = sorted(p.stem for p in (root / "patterns").glob("*.toml"))
    return [n for n in names if (m := load_pattern(n, root)) is not None and m.generate]


def pattern_components(name: str) -> list[str]:
    """The components a pattern's projects contain (shown by `plan`); empty for an unknown pattern."""
    manifest = load_pattern(name)
    return list(manifest.components) if manifest else []
