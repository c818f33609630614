"""Stage 4: answers -> a rendered tree in a staging folder, plus the .dataforge/ records."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import warnings
from pathlib import Path

from dataforge import __version__
from dataforge.answers import ProjectAnswers
from dataforge.decision import Decision
from dataforge.errors import GenerationError

RECORDS = Path(".dataforge")
MANIFEST = RECORDS / "manifest.json"
DECISION = RECORDS / "decision.json"
ANSWERS = RECORDS / "answers.json"
_SRC_PATH = re.compile(r"^_src_path: .*$", re.MULTILINE)


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() or p.is_symlink())


def render_blueprint(blueprint: Path, data: dict[str, object], into: Path) -> None:
    """Render one copier blueprint into an empty folder (no tasks, no extensions: unsafe=False)."""
    import copier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # copier warns about local templates without git tags
        copier.run_copy(
            str(blueprint), into, data=data, defaults=True, quiet=True, unsafe=False, overwrite=True
        )
    answers = into / RECORDS / "answers" / f"{blueprint.name}.yml"
    if answers.is_file():
        # Keep machine paths out of the project; `dataforge update` resolves the blueprint by name.
        answers.write_text(_SRC_PATH.sub(f"_src_path: dataforge:{blueprint.name}", answers.read_text()))


def render_tree(answers: ProjectAnswers, blueprints: list[Path], staging: Path) -> dict[str, str]:
    """Render every blueprint into staging; no two may write the same file. Returns file -> blueprint."""
    data = answers.model_dump(mode="json")
    owners: dict[str, str] = {}
    for blueprint in blueprints:
        with tempfile.TemporaryDirectory(prefix=f"dataforge-{blueprint.name}-") as scratch:
            render_blueprint(blueprint, data, Path(scratch))
            for rel in _files(Path(scratch)):
                key = rel.as_posix()
                if key in owners:
                    raise GenerationError(f"Blueprints {owners[key]} and {blueprint.name} both write {key}.")
                owners[key] = blueprint.name
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(Path(scratch) / rel, staging / rel)
    return owners


def sha256(path: Path) -> str:
    """Content hash used to tell generated files from user edits."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_records(
    staging: Path, decision: Decision, answers: ProjectAnswers, owners: dict[str, str], blueprints: list[Path]
) -> dict[str, str]:
    """Write .dataforge/ decision.json, answers.json and manifest.json (every file, its blueprint, its hash).

    The manifest is what later lets `--force`, `add-*` and `update` tell generated files from user edits.
    """
    (staging / RECORDS).mkdir(exist_ok=True)
    decision_payload = {"dataforge_version": __version__, **decision.to_json_dict()}
    (staging / DECISION).write_text(json.dumps(decision_payload, indent=2) + "\n")
    (staging / ANSWERS).write_text(json.dumps(answers.model_dump(mode="json"), indent=2) + "\n")
    owners = {**owners, DECISION.as_posix(): "dataforge", ANSWERS.as_posix(): "dataforge"}
    manifest = {
        "dataforge_version": __version__,
        "pattern": decision.pattern,
        "blueprints": [b.name for b in blueprints],
        "files": {
            rel: {"blueprint": bp, "sha256": sha256(staging / rel)} for rel, bp in sorted(owners.items())
        },
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return {**owners, MANIFEST.as_posix(): "dataforge"}
