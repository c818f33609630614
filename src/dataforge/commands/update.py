"""`dataforge update`: bring a project up to date with the installed blueprints, keeping the user's work.

The project is rendered again from its recorded answers (changed by `--set`) into a staging folder inside its
`.dataforge/`, and every file is merged three ways (`dataforge.project.merge`): base = the pristine render
recorded at generation or at the last update, ours = the file on disk, theirs = the new render. The merged
files, the new pristine render and the manifest change in one journal unit, so an interrupted update leaves
the project as it was or fully updated. Conflicts are left as standard markers and listed.

Quality suites added later (`add-quality-suite`) are rendered again from their recorded answers and merged the
same way. When the merged `pyproject.toml` changes, `uv.lock` is locked again from it (seeded with the current
lock, so unchanged pins stay) in the same unit.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataforge import __version__
from dataforge.errors import ProjectError
from dataforge.project import Project, Rendered, find_project
from dataforge.project.layout import MANIFEST, OWNER
from dataforge.project.merge import FileMerge, Outcome, has_markers, merge_file
from dataforge.render.lock import LOCK_FILE


@dataclass
class UpdatePlan:
    """What `update` does (or, with --dry-run, would do) to each file."""

    root: Path
    merges: dict[str, FileMerge] = field(default_factory=dict)
    theirs: dict[str, Rendered] = field(default_factory=dict)  # the new pristine render
    behind: list[str] = field(default_factory=list)  # files the installed blueprints render differently
    warnings: list[str] = field(default_factory=list)
    answers_changed: bool = False  # --set changed a recorded answer
    written: bool = False  # the update was written (not a dry run, not declined)

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


def _render_all(project: Project, staging: Path, answers: Any) -> dict[str, Rendered]:
    """The project rendered from `answers`, then every added quality suite over it: file -> new render.

    An add-on's file wins over the project's render of the same path (a suite merged into an entity's
    schema-derived suite is recorded as the add-on's), as it did when the add-on was applied.
    """
    from dataforge.commands.add_quality_suite import recorded_suites, rerender_suite
    from dataforge.commands.rerender import render_project

    staging.mkdir(parents=True, exist_ok=True)
    theirs = {rel: Rendered(owner, (staging / "project" / rel).read_bytes())
              for rel, owner in render_project(answers, staging / "project").items()}  # fmt: skip
    for dataset in recorded_suites(project):
        into = staging / "addons" / dataset
        for rel, owner in rerender_suite(project, dataset, into).items():
            theirs[rel] = Rendered(owner, (into / rel).read_bytes())
    return theirs


def _merge_base(project: Project) -> dict[str, bytes]:
    """The pristine render: the bytes of every file the manifest records as generated, or a clear error.

    Without it there is no telling a user's edit from a blueprint change, so nothing is merged at all.
    """
    hint = "Restore .dataforge/pristine.tar.gz from version control (it is committed with the project)."
    try:
        pristine = project.pristine()
    except ProjectError as error:
        raise ProjectError(f"{project.root} has no usable pristine render ({error}).", hint=hint) from None
    generated = [rel for rel, e in project.files.items() if e.get("part") != OWNER and "derived" not in e]
    missing = [rel for rel in generated if rel not in pristine]
    if missing:
        what = "is missing" if not pristine else f"lacks {len(missing)} file(s), e.g. {missing[0]}"
        raise ProjectError(
            f"{project.root} has no usable pristine render (.dataforge/pristine.tar.gz {what}); update needs "
            "it as the merge base.",
            hint=hint,
        )
    return pristine


def plan_update(project_root: Path, staging: Path, answers: Any) -> UpdatePlan:
    """Render `answers` (and the add-ons) into `staging` and merge every file three ways; writes nothing."""
    project = find_project(project_root)
    pristine = _merge_base(project)
    plan = UpdatePlan(project_root)
    plan.theirs = _render_all(project, staging, answers)
    recorded = project.files
    for rel in sorted(set(recorded) | set(plan.theirs)):
        entry = recorded.get(rel, {})
        if entry.get("derived") or entry.get("part") == OWNER:
            continue  # records and derived files: rewritten by `update` itself, never merged
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


def update(
    start: Path,
    sets: dict[str, str] | None = None,
    dry_run: bool = False,
    confirm: Callable[[UpdatePlan], bool] | None = None,
) -> UpdatePlan:
    """Update the project at `start` (see the module docstring); with `dry_run`, only plan.

    `confirm` sees the plan before anything is written; False stops there (nothing written). ProjectError
    outside a project, on a dirty git tree or without a merge base; UsageError for an answer that cannot be
    set. Nothing is written on error.
    """
    from dataforge.project import change_exclusively

    root = find_project(start).root
    return change_exclusively(root, lambda: _update_locked(root, sets or {}, dry_run, confirm))


def _update_locked(
    root: Path, sets: dict[str, str], dry_run: bool, confirm: Callable[[UpdatePlan], bool] | None
) -> UpdatePlan:
    from dataforge.answers import apply_overrides
    from dataforge.commands.rerender import recorded_answers
    from dataforge.project import RECORDS, recover
    from dataforge.project.journal import replace_files
    from dataforge.project.records import record_files
    from dataforge.render.place import remove_stale_staging, staging_folder

    # First what an interrupted run left: its journal finished or discarded, its staging folder removed (so
    # neither reads as an uncommitted change of the user's).
    recover(root)
    remove_stale_staging(root, within=root / RECORDS)
    if not dry_run:
        refuse_dirty(root)
    before = recorded_answers(find_project(root))
    chosen = apply_overrides(before, sets) if sets else before
    # The files name the dataforge that rendered them last (README, pyproject's description).
    answers = chosen.model_copy(update={"dataforge_version": __version__})
    with staging_folder(root, within=root / RECORDS) as staging:
        plan = plan_update(root, staging / "new", answers)
        plan.answers_changed = chosen != before
        lock = _relock(root, plan, staging / "lock") if not dry_run else None
    if dry_run or (confirm is not None and not confirm(plan)):
        return plan
    writes = {rel: merged.content for rel, merged in plan.changes.items() if merged.content is not None}
    removed = plan.files(Outcome.REMOVED)
    no_longer_rendered = removed + plan.files(Outcome.KEPT_EDITED)  # the user's own files from now on
    records = _answer_records(root, before, answers) if answers != before else {}
    recorded = record_files(root, plan.theirs, forget=no_longer_rendered, records=records)
    if lock is not None:
        writes[LOCK_FILE] = lock
    recorded[MANIFEST.as_posix()] = _finish_manifest(recorded[MANIFEST.as_posix()], lock)
    unit = {**writes, **records, **recorded}
    unit = {rel: data for rel, data in unit.items() if _differs(root / rel, data)}
    if unit or removed:
        replace_files(root, unit, remove=removed)  # one unit: all or nothing
    plan.written = True
    return plan


def _differs(path: Path, data: bytes) -> bool:
    return not path.is_file() or path.read_bytes() != data


def _relock(root: Path, plan: UpdatePlan, folder: Path) -> bytes | None:
    """The new `uv.lock` when the update changes `pyproject.toml` (seeded with the current lock); else None.

    A lock that cannot be computed (offline, uv missing) or a `pyproject.toml` left with conflict markers is
    a warning: the update goes ahead and says to run `make lock`.
    """
    from dataforge.render.lock import lock_dependencies

    merged = plan.merges.get("pyproject.toml")
    if merged is None or not merged.changes_disk or merged.content is None:
        return None
    if "derived" not in find_project(root).files.get(LOCK_FILE, {}):
        return None  # generated without a lock (`--no-lock`): `make setup` writes one
    if merged.outcome is Outcome.CONFLICT:
        plan.warnings.append(f"pyproject.toml has conflicts, so {LOCK_FILE} was not locked again: resolve "
                             "them, then run `make lock`.")  # fmt: skip
        return None
    folder.mkdir()
    (folder / "pyproject.toml").write_bytes(merged.content)
    failure = lock_dependencies(folder, seed=root / LOCK_FILE)
    if failure is not None:
        plan.warnings.append(f"pyproject.toml changed but {failure}")
        return None
    return (folder / LOCK_FILE).read_bytes()


def _finish_manifest(manifest: bytes, lock: bytes | None) -> bytes:
    """The manifest naming this dataforge as the last to render, with the new lock's hash if there is one.

    The lock is a derived file: recorded with its hash, never kept in the pristine render.
    """
    from dataforge.project.records import digest, manifest_bytes
    from dataforge.render.lock import LOCK_COMMAND

    data = json.loads(manifest)
    data["dataforge_version"] = __version__
    if lock is not None:
        data["files"][LOCK_FILE] = {"part": OWNER, "sha256": digest(lock), "derived": LOCK_COMMAND}
    return manifest_bytes(data)


def _answer_records(root: Path, before: Any, after: Any) -> dict[str, bytes]:
    """answers.json with the changed answers, and decision.json's copy of those it records (`--set`)."""
    from dataforge.commands.rerender import record_with
    from dataforge.project import ANSWERS, DECISION

    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    changed = {key: value for key, value in new.items() if old.get(key) != value}
    decision = json.loads(record_with(root, DECISION, {}))
    return {
        ANSWERS.as_posix(): record_with(root, ANSWERS, new),
        DECISION.as_posix(): record_with(root, DECISION, {k: v for k, v in changed.items() if k in decision}),
    }
