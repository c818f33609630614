"""Blueprint parts: one folder per stage or technology, each declaring what it adds to a project.

A part is a folder under `blueprints/<kind>/<name>/` with a `part.toml` (what it declares: run steps, make
targets, dependencies, environment variables, lint commands, README lines) and, when it writes files of its
own, a copier blueprint (`copier.yml` and `template/`). Shared files (Makefile, pyproject dependency groups,
`.env.example`, the README's component list) are assembled from the declarations of every composed part, so
a part never edits another part's files. The contract is documented in docs/blueprints.md.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dataforge.errors import GenerationError

PartKind = Literal["stages", "sources", "streams", "warehouses", "clouds", "ci", "addons"]
PART_KINDS: tuple[PartKind, ...] = ("stages", "sources", "streams", "warehouses", "clouds", "ci", "addons")
#: Names a part.toml string may refer to as `{name}`; filled from the render data.
PLACEHOLDERS = (
    "project_name",
    "project_slug",
    "source_name",
    "warehouse_name",
    "object_store",
    "cloud",
    "spark_platform",
    "airflow_platform",
    "source_format",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EnvVar(_Strict):
    """One environment variable the project reads, for `.env.example` (never a secret value)."""

    name: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    description: str
    default: str = ""


class RunStep(_Strict):
    """One step of the pipeline, run by `make run` and by the Airflow DAG as a task of the same id.

    `module` is run as `python -m <project>.<module> <args> --ds <date>`; the DAG task calls the same
    module's `main([*args, "--ds", ds])`, so `make run` and the DAG run the same code in the same order.
    The pattern manifest alone sets the order of the steps.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    module: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    args: tuple[str, ...] = ()
    # DAG params this step accepts as `--<option> <value>` when a run sets them (e.g. `rows` for sample data).
    options: tuple[str, ...] = ()
    help: str
    engine: Literal["python", "spark", "dbt"] = "python"
    timeout_minutes: int = 30


class MakeTarget(_Strict):
    """An extra `make` target a part adds (beside setup, test, run, lint, validate, clean)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    help: str
    recipe: tuple[str, ...]


class Proof(_Strict):
    """What is known about a part in production, and how: the README's honest parity table (one row per part).

    `local` is what `make run` / `make test` execute on the laptop; `prod_tests` what `make test-prod` (or
    dataforge's own CI) executes or parses of the production path; `cloud_only` what only a real cloud run
    proves.
    """

    what: str
    local: str
    prod_tests: str
    cloud_only: str


class PartSpec(_Strict):
    """What a part.toml declares."""

    description: str
    component: str | None = None
    python_dirs: tuple[str, ...] = ()
    dependencies: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    env: tuple[EnvVar, ...] = ()
    env_section: str = ""
    steps: tuple[RunStep, ...] = ()
    make_targets: tuple[MakeTarget, ...] = ()
    lint: tuple[str, ...] = ()
    readme: tuple[str, ...] = ()
    proof: tuple[Proof, ...] = ()
    # Data a technology hands to the stages that use it (for example a warehouse's dbt profile); stages
    # receive it resolved, under the technology's kind, and never test which technology it is.
    provides: dict[str, object] = Field(default_factory=dict)


class Part(_Strict):
    """A part found on disk."""

    kind: PartKind
    name: str
    folder: Path
    spec: PartSpec

    @property
    def id(self) -> str:
        """`<kind>/<name>`, e.g. `stages/dbt` or `warehouses/snowflake`."""
        return f"{self.kind}/{self.name}"

    @property
    def renders_files(self) -> bool:
        """True when the part is also a copier blueprint."""
        return (self.folder / "copier.yml").is_file()

    @property
    def answers_file(self) -> str:
        """Where copier records this part's answers inside the project."""
        return f".dataforge/answers/{self.kind}-{self.name}.yml"


def blueprints_root() -> Path:
    """The blueprints folder: packaged beside the code in a wheel, at the repository root in a checkout."""
    here = Path(__file__).resolve().parent.parent  # src/dataforge or site-packages/dataforge
    for candidate in (here / "blueprints", here.parent.parent / "blueprints"):
        if (candidate / "patterns").is_dir():
            return candidate
    raise FileNotFoundError("dataforge's blueprints are missing from this installation")


@cache
def load_part(root: Path, kind: PartKind, name: str) -> Part | None:
    """The part `<kind>/<name>` under root, or None when there is no such folder."""
    folder = root / kind / name
    spec_file = folder / "part.toml"
    if not spec_file.is_file():
        return None
    try:
        spec = PartSpec.model_validate(tomllib.loads(spec_file.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        raise GenerationError(f"Blueprint part {kind}/{name} has an invalid part.toml: {error}") from None
    return Part(kind=kind, name=name, folder=folder, spec=spec)


def list_parts(root: Path, kind: PartKind) -> list[str]:
    """Names of every part of one kind (folders with a part.toml)."""
    return sorted(p.parent.name for p in (root / kind).glob("*/part.toml"))
