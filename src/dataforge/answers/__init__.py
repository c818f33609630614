"""Stage 3: decision -> copier answers (the data every blueprint receives; see docs/blueprints.md)."""

from dataforge.answers.build import ProjectAnswers, apply_overrides, build_answers, render_data
from dataforge.answers.names import check_project_name, default_project_name

__all__ = [
    "ProjectAnswers",
    "apply_overrides",
    "build_answers",
    "check_project_name",
    "default_project_name",
    "render_data",
]
