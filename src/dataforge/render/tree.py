"""Stage 5: render data -> a rendered tree in a staging folder, one copier blueprint per composed part."""

from __future__ import annotations

import re
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dataforge.compose import Composition, Part
from dataforge.errors import GenerationError

_SRC_PATH = re.compile(r"^_src_path: .*$", re.MULTILINE)


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() or p.is_symlink())


def render_part(part: Part, data: Mapping[str, Any], into: Path) -> None:
    """Render one part's copier blueprint into an empty folder (no tasks, no extensions: unsafe=False)."""
    import copier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # copier warns about local templates without git tags
        copier.run_copy(
            str(part.folder),
            into,
            data=dict(data),
            answers_file=part.answers_file,
            defaults=True,
            quiet=True,
            unsafe=False,
            overwrite=True,
        )
    answers = into / part.answers_file
    if answers.is_file():
        # Keep machine paths out of the project; `dataforge update` finds the part by its id.
        answers.write_text(_SRC_PATH.sub(f"_src_path: dataforge:{part.id}", answers.read_text()))


def render_tree(data: Mapping[str, Any], composition: Composition, staging: Path) -> dict[str, str]:
    """Render every part into staging; no two may write the same file. Returns file -> part id.

    Each part renders into its own scratch folder inside staging, so a killed run leaves nothing outside
    the staging folder (which the next run removes).
    """
    owners: dict[str, str] = {}
    for part in composition.parts:
        if not part.renders_files:
            continue
        with tempfile.TemporaryDirectory(prefix=".render-", dir=staging) as scratch:
            render_part(part, data, Path(scratch))
            for rel in _files(Path(scratch)):
                key = rel.as_posix()
                if key in owners:
                    raise GenerationError(f"Parts {owners[key]} and {part.id} both write {key}.")
                owners[key] = part.id
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(Path(scratch) / rel, staging / rel)
    return owners
