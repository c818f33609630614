"""Finding the blueprints (inside the wheel or the source checkout) and composing them per pattern."""

from __future__ import annotations

import tomllib
from pathlib import Path

from dataforge.answers import ProjectAnswers
from dataforge.errors import UsageError

_CI_BLUEPRINTS = {"github_actions": "github", "gitlab_ci": "gitlab", "azure_pipelines": "azure_pipelines"}


def blueprints_root() -> Path:
    """The blueprints folder: packaged beside the code in a wheel, at the repository root in a checkout."""
    here = Path(__file__).resolve().parent.parent  # src/dataforge or site-packages/dataforge
    for candidate in (here / "blueprints", here.parent.parent / "blueprints"):
        if (candidate / "patterns").is_dir():
            return candidate
    raise FileNotFoundError("dataforge's blueprints are missing from this installation")


def available_patterns(root: Path | None = None) -> list[str]:
    """Patterns that have a manifest, i.e. that `new` can generate today."""
    root = root or blueprints_root()
    return sorted(p.stem for p in (root / "patterns").glob("*.toml"))


def compose(answers: ProjectAnswers, root: Path | None = None) -> list[Path]:
    """The blueprint folders for this project, in render order, from the pattern's manifest."""
    root = root or blueprints_root()
    manifest = root / "patterns" / f"{answers.pattern}.toml"
    if not manifest.is_file():
        supported = ", ".join(available_patterns(root))
        raise UsageError(
            f"dataforge cannot generate {answers.pattern} projects yet (supported: {supported}).",
            hint="Run `dataforge plan` to see the design, or pass --pattern batch for a batch project now.",
        )
    entries = tomllib.loads(manifest.read_text())["blueprint"]
    fill = {"deploy_cloud": answers.cloud, "ci": _CI_BLUEPRINTS[answers.ci_provider]}
    chosen: list[Path] = []
    for entry in entries:
        if entry.get("component") and entry["component"] not in answers.components:
            continue
        folder = root / entry["name"].format(**fill)
        if not (folder / "copier.yml").is_file():
            raise UsageError(
                f"No {folder.name} blueprint yet for this project ({entry['name']}).",
                hint="See docs/blueprints.md for what each pattern, cloud and CI provider supports.",
            )
        chosen.append(folder)
    return chosen
