"""The project rendered again from its recorded answers: what `add-ci` and `update` share.

- `recorded_answers`: the answers in `.dataforge/answers.json`, validated (a clear error when this dataforge
  cannot render them);
- `render_project`: the whole project rendered from answers into a staging folder;
- `record_with`: a JSON record (answers.json, decision.json) with some keys changed, as bytes to commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dataforge.errors import ProjectError
from dataforge.project import ANSWERS, Project


def recorded_answers(project: Project) -> Any:
    """The recorded answers as `ProjectAnswers`; ProjectError when this dataforge cannot read them."""
    from pydantic import ValidationError

    from dataforge.answers import ProjectAnswers

    recorded = {k: v for k, v in project.answers().items() if k != "answers_schema_version"}
    try:
        return ProjectAnswers.model_validate(recorded)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "answers"
        raise ProjectError(
            f"{project.root / ANSWERS} does not hold answers this dataforge can render ({where}: "
            f"{first['msg']}).",
            hint="Restore .dataforge/ from version control, or upgrade dataforge.",
        ) from None


def render_project(answers: Any, into: Path) -> dict[str, str]:
    """Render the whole project from `answers` into `into`; file -> part."""
    from dataforge.answers import render_data
    from dataforge.compose import compose
    from dataforge.render.tree import render_tree

    into.mkdir()
    composition = compose(answers.model_dump(mode="json"))
    return render_tree(render_data(answers, composition), composition, into)


def record_with(root: Path, rel: Path, change: dict[str, Any]) -> bytes:
    """The JSON record at `rel` with `change` applied, in the layout `write_records` writes."""
    try:
        data = json.loads((root / rel).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise ProjectError(
            f"{root / rel} is missing or corrupt.", hint="Restore .dataforge/ from version control."
        ) from None
    return (json.dumps({**data, **change}, indent=2) + "\n").encode()
