"""Shared files are assembled, not owned: what every composed part declares, merged in one place.

The base stage renders the Makefile, the pyproject dependency groups, `.env.example` and the README's
component list from an `Assembly`, so a new stage or technology adds its run step, dependencies and
environment variables by declaring them in its own part.toml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from dataforge.compose.parts import PLACEHOLDERS, EnvVar, MakeTarget, Part, Proof, RunStep
from dataforge.errors import GenerationError

_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
# Stage groups first in this order, then any other, then dev; `prod` is never installed locally.
_GROUP_ORDER = ("airflow", "spark", "dbt", "quality")
#: What `make test-prod` adds to the local groups: `prod`, what a deployment installs (adapters, providers,
#: cloud clients), and `prod-test`, what only its tests need (local stand-ins such as moto or chDB), which a
#: deployment never installs.
PRODUCTION_GROUPS = ("prod", "prod-test")


class EnvSection(BaseModel):
    """Environment variables one part reads, under the part's heading."""

    model_config = ConfigDict(frozen=True)

    title: str
    variables: tuple[EnvVar, ...]


class Assembly(BaseModel):
    """Everything the shared files are built from; passed to the blueprints as `assembly`."""

    model_config = ConfigDict(frozen=True)

    steps: tuple[RunStep, ...]
    make_targets: tuple[MakeTarget, ...]
    dependency_groups: dict[str, tuple[str, ...]]
    local_groups: tuple[str, ...]
    prod_groups: tuple[str, ...]
    env: tuple[EnvSection, ...]
    lint: tuple[str, ...]
    python_dirs: tuple[str, ...]
    readme: tuple[str, ...]
    proof: tuple[Proof, ...]
    components: tuple[str, ...]


def fill(value: Any, names: Mapping[str, str]) -> Any:
    """Replace `{project_name}`-style placeholders (only the known names) in every string of `value`."""
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: str(names.get(m.group(1), m.group(0))), value)
    if isinstance(value, list | tuple):
        return type(value)(fill(v, names) for v in value)
    if isinstance(value, dict):
        return {k: fill(v, names) for k, v in value.items()}
    return value


def _ordered_steps(
    parts: Sequence[Part], run_order: Sequence[str], unscheduled: Sequence[str] = ()
) -> tuple[RunStep, ...]:
    declared: dict[str, RunStep] = {}
    for part in parts:
        for step in part.spec.steps:
            if step.id in declared:
                raise GenerationError(f"Two parts declare the run step {step.id!r}.")
            declared[step.id] = step
    missing = [s for s in run_order if s not in declared]
    if missing:
        raise GenerationError(f"The pattern runs {', '.join(missing)}, but no composed part declares it.")
    unplaced = sorted(set(declared) - set(run_order) - set(unscheduled))
    if unplaced:
        raise GenerationError(
            f"Run steps {', '.join(unplaced)} are declared but the pattern does not order them."
        )
    return tuple(declared[s] for s in run_order)


def _groups(parts: Sequence[Part]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for group, requirements in part.spec.dependencies.items():
            bucket = merged.setdefault(group, [])
            bucket += [r for r in requirements if r not in bucket]
    # other groups rank 50
    rank = {**{g: i for i, g in enumerate(_GROUP_ORDER)}, "dev": 98, "prod": 99, "prod-test": 100}
    return {g: tuple(merged[g]) for g in sorted(merged, key=lambda g: (rank.get(g, 50), g))}


def _env(parts: Sequence[Part]) -> tuple[EnvSection, ...]:
    seen: set[str] = set()
    sections = []
    for part in parts:
        fresh = tuple(v for v in part.spec.env if v.name not in seen)
        seen |= {v.name for v in fresh}
        if fresh:
            sections.append(EnvSection(title=part.spec.env_section or part.spec.description, variables=fresh))
    return tuple(sections)


def assemble(
    parts: Sequence[Part], run_order: Sequence[str], names: Mapping[str, str], unscheduled: Sequence[str] = ()
) -> Assembly:
    """Merge the declarations of `parts` (in composition order) into one Assembly."""
    groups = _groups(parts)
    targets = [t for p in parts for t in p.spec.make_targets]
    clashes = {t.name for t in targets if sum(o.name == t.name for o in targets) > 1}
    if clashes:
        raise GenerationError(f"Two parts declare the make target {sorted(clashes)[0]!r}.")
    dirs = ["src", *(d for p in parts for d in p.spec.python_dirs), "tests"]
    assembly = Assembly(
        steps=_ordered_steps(parts, run_order, unscheduled),
        make_targets=tuple(targets),
        dependency_groups=groups,
        local_groups=tuple(g for g in groups if g not in PRODUCTION_GROUPS),
        prod_groups=tuple(g for g in groups if g in PRODUCTION_GROUPS),
        env=_env(parts),
        lint=tuple(c for p in parts for c in p.spec.lint),
        python_dirs=tuple(dict.fromkeys(dirs)),
        readme=tuple(line for p in parts for line in p.spec.readme),
        proof=tuple(row for p in parts for row in p.spec.proof),
        components=tuple(dict.fromkeys(p.spec.component for p in parts if p.spec.component)),
    )
    return Assembly.model_validate(fill(assembly.model_dump(), names))
