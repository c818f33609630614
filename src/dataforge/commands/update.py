"""`dataforge update`: bring a project up to date with the installed blueprints, keeping the user's work.

The project is rendered again from its recorded answers (changed by `--set`) into a staging folder inside its
`.dataforge/`, and every file is merged three ways (`dataforge.project.merge`): base = the pristine render
recorded at generation or at the last update, ours = the file on disk, theirs = the new render. The merged
files, the new pristine render and the manifest change in one journal unit, so an interrupted update leaves
the project as it was or fully updated. Conflicts are left as standard markers and listed.

Not yet covered (see the issue): add-on files (quality suites) are left as they are, and a changed
`pyproject.toml` is not re-locked here (the summary says to run `make lock`).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataforge.errors import ProjectError
from dataforge.project import Rendered, find_project
from dataforge.project.merge import FileMerge, Outcome, has_markers, merge_file


@dataclass
class UpdatePlan:
    """What `update` does (or, with --dry-run, would do) to each file."""

    root: Path
    merges: dict[str, FileMerge] = field(default_factory=dict)
    theirs: dict[str, Rendered] = field(default_factory=dict)  # the new pristine render
    skipped: list[str] = field(default_factory=list)  # add-on and derived files, left as they are
    behind: list[str] = field(default_factory=list)  # files the installed blueprints render differently

    def files(self, outcome: Outcome) -> list[str]:
        """The files with one outcome, sorted."""
        return sorted(rel for rel, merged in self.merges.items() if merged.outcome is outcome)

    @property
    def conflicts(self) -> list[str]:
        """Files left with conflict markers (or, for binary files, kept as they are and listed)."""
        return self.files(Outcome.CONFLICT)

    @property
    def changes(self) -> dict[str, FileMerge]:
        """The files whose content on disk changes."""
        return {rel: merged for rel, merged in self.merges.items() if merged.changes_disk}


def refuse_dirty(root: Path) -> None:
    """A project inside a git work tree with uncommitted changes is refused: an update must be reviewable."""
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=normal"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except FileNotFoundError:
        return  # no git: nothing to compare with; the journal still makes the update all-or-nothing
    if done.returncode == 0 and done.stdout.strip():
        lines = done.stdout.splitlines()
        more = ", ..." if len(lines) > 1 else ""
        raise ProjectError(
            f"{root} has uncommitted changes ({lines[0][3:]}{more}).",
            hint="Commit or stash them first, so the update's changes can be reviewed with `git diff`.",
        )


def plan_update(project_root: Path, staging: Path, answers: Any) -> UpdatePlan:
    """Render `answers` into `staging` and merge every file three ways; writes nothing in the project."""
    from dataforge.commands.add_ci import _render

    project = find_project(project_root)
    try:
        pristine = project.pristine()
    except ProjectError as error:
        raise ProjectError(
            f"{project_root} has no usable pristine render ({error}); update needs it as the merge base.",
            hint="Restore .dataforge/pristine.tar.gz from version control (a full clone, not a shallow one).",
        ) from None
    owners = _render(answers, staging)
    plan = UpdatePlan(project_root)
    for rel, owner in owners.items():
        plan.theirs[rel] = Rendered(owner, (staging / rel).read_bytes())
    recorded = project.files
    for rel in sorted(set(recorded) | set(owners)):
        entry = recorded.get(rel, {})
        if entry.get("derived") or str(entry.get("part", "")).startswith("addons/"):
            plan.skipped.append(rel)
            continue
        disk = project_root / rel
        ours = disk.read_bytes() if disk.is_file() else None
        theirs = plan.theirs[rel].data if rel in plan.theirs else None
        base = pristine.get(rel)
        if theirs != base:
            plan.behind.append(rel)
        plan.merges[rel] = merge_file(rel, base, ours, theirs)
    return plan


def written_conflicts(root: Path, plan: UpdatePlan) -> list[str]:
    """Every written file that holds conflict markers after the update (read back from disk)."""
    return sorted(
        rel
        for rel, merged in plan.changes.items()
        if merged.content is not None and (root / rel).is_file() and has_markers((root / rel).read_bytes())
    )


def update(start: Path, sets: dict[str, str] | None = None, dry_run: bool = False) -> UpdatePlan:
    """Update the project at `start` (see the module docstring); with `dry_run`, only plan.

    ProjectError outside a project, on a dirty git tree or without a merge base; UsageError for an answer that
    cannot be set. Nothing is written on error.
    """
    from dataforge.project import exclusive
    from dataforge.render.place import interrupted

    root = find_project(start).root
    with exclusive(root):  # one writer at a time
        try:
            return _update_locked(root, sets or {}, dry_run)
        except KeyboardInterrupt:
            raise interrupted(root, existed=True) from None


def _update_locked(root: Path, sets: dict[str, str], dry_run: bool) -> UpdatePlan:
    from dataforge.answers import apply_overrides
    from dataforge.commands.add_ci import _answers, _record
    from dataforge.project import ANSWERS, RECORDS, recover
    from dataforge.project.journal import replace_files
    from dataforge.project.records import record_files
    from dataforge.render.place import remove_stale_staging, staging_folder

    if not dry_run:
        recover(root)  # finish or discard what an interrupted run left before reading the manifest
        refuse_dirty(root)
    answers = _answers(find_project(root))
    if sets:
        answers = apply_overrides(answers, sets)
    remove_stale_staging(root, within=root / RECORDS)
    with staging_folder(root, within=root / RECORDS) as staging:
        plan = plan_update(root, staging / "new", answers)
    if dry_run:
        return plan
    writes = {rel: merged.content for rel, merged in plan.changes.items() if merged.content is not None}
    removed = plan.files(Outcome.REMOVED)
    no_longer_rendered = removed + plan.files(Outcome.KEPT_EDITED)  # the user's own files from now on
    records = {ANSWERS.as_posix(): _record(root, ANSWERS, answers.model_dump(mode="json"))} if sets else {}
    recorded = record_files(root, plan.theirs, forget=no_longer_rendered, records=records)
    if writes or removed or records or plan.theirs:
        replace_files(root, {**writes, **records, **recorded}, remove=removed)
    return plan
