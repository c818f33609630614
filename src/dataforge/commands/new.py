"""`dataforge new`: plan -> answers -> render -> validate -> place.

Two steps, so an interactive caller plans once: `prepare` decides and resolves the answers (nothing
is written), the caller may show the plan and adjust answers with `NewPlan.with_answers`, then `write`
renders and places exactly that. `generate` does both for scripts and tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dataforge.answers import (
    ProjectAnswers,
    apply_overrides,
    build_answers,
    check_project_name,
    default_project_name,
    render_data,
)
from dataforge.commands.plan import plan
from dataforge.compose import blueprints_root, compose
from dataforge.decision import Decision, Reason
from dataforge.errors import GenerationError, TargetError, UsageError
from dataforge.project import write_records
from dataforge.render.git import init_repository
from dataforge.render.lock import LOCK_COMMAND, LOCK_FILE, lock_dependencies
from dataforge.render.place import (
    merge_into,
    move_into_place,
    staging_folder,
    temp_scratch,
    writing_into,
)
from dataforge.render.tree import render_tree
from dataforge.validation import check_tree


@dataclass
class Generated:
    """What `new` produced (or would produce, for a dry run)."""

    path: Path
    decision: Decision
    answers: ProjectAnswers
    files: list[str]
    dry_run: bool
    warnings: list[str] = field(default_factory=list)


#: Answers files are a few kilobytes; the cap keeps a huge or endless file (/dev/zero) from filling memory.
MAX_ANSWERS_BYTES = 256 * 1024
_ANSWERS_HINT = "Pass a YAML or JSON file with one `name: value` per answer (see docs/blueprints.md)."


def _read_answers_text(path: Path) -> str:
    """The file as strict UTF-8 text of at most MAX_ANSWERS_BYTES, or a UsageError saying why not."""
    shown = str(path) if len(str(path)) <= 80 else str(path)[:77] + "..."
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ANSWERS_BYTES + 1)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise UsageError(f"Cannot read the answers file {shown!r}: {reason}.", hint=_ANSWERS_HINT) from None
    if len(data) > MAX_ANSWERS_BYTES:
        raise UsageError(
            f"The answers file {shown!r} is larger than {MAX_ANSWERS_BYTES // 1024} KiB.", hint=_ANSWERS_HINT
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"The answers file {shown!r} is not UTF-8 text (byte {error.start}).",
            hint="Save it as UTF-8, then run the command again.",
        ) from None


def load_answers_file(path: Path) -> dict[str, Any]:
    """Answers from a YAML or JSON file (a mapping of answer name to value).

    YAML aliases are refused: answers never need them, and nested ones grow exponentially ("billion laughs").
    """
    import yaml

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
            return super().compose_node(parent, index)

    text = _read_answers_text(path)
    try:
        loaded = yaml.load(text, Loader=NoAliases)  # a SafeLoader that also refuses aliases
    except (yaml.YAMLError, RecursionError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "nested too deeply"
        raise UsageError(
            f"The answers file {path.name!r} is not valid YAML or JSON{where}: {problem}.", hint=_ANSWERS_HINT
        ) from None
    if not isinstance(loaded, dict):
        raise UsageError(f"The answers file {path.name!r} is not a mapping of answers.", hint=_ANSWERS_HINT)
    return {str(k): v for k, v in loaded.items() if not str(k).startswith("_")}


@dataclass(frozen=True)
class NewPlan:
    """A decided project that is not written yet: the decision, the resolved answers, where it goes."""

    decision: Decision
    answers: ProjectAnswers
    output: Path = Path()
    set_by_user: frozenset[str] = frozenset()  # answers the user chose (--set, answers file, a prompt)
    notes: tuple[str, ...] = ()  # what the user should know before writing (e.g. names adapted from --sample)

    @property
    def target(self) -> Path:
        """The folder the project will be written to."""
        return (self.output / self.answers.project_name).absolute()

    def with_answers(self, changes: dict[str, Any]) -> NewPlan:
        """The same plan with settable answers changed (derived answers are resolved again)."""
        if not changes:
            return self
        answers = apply_overrides(self.answers, changes)
        check_project_name(answers.project_name)
        return replace(self, answers=answers, set_by_user=self.set_by_user | set(changes))


def prepare(
    requirement: str,
    *,
    output: Path = Path(),
    name: str | None = None,
    pattern: str | None = None,
    cloud: str | None = None,
    ci: str | None = None,
    overrides: dict[str, Any] | None = None,
    answers_file: Path | None = None,
    samples: list[Path] | None = None,
) -> NewPlan:
    """Plan and resolve the answers, applying --answers-file then --set on top. Writes nothing.

    `ci` is a `--ci` value (github, gitlab, azure-devops, none). With `samples` (data files or schemas, see
    docs/samples.md), the entities are derived from them.
    """
    decision = plan(requirement, pattern=pattern, cloud=cloud, ci=ci)
    project_name = check_project_name(default_project_name(decision) if name is None else name)
    prepared = NewPlan(decision, build_answers(decision, project_name), output)
    combined = {**(load_answers_file(answers_file) if answers_file else {}), **(overrides or {})}
    if samples and "entities" in combined:
        raise UsageError(
            "--sample and an `entities` answer (--set or --answers-file) both give the entities.",
            hint="Pass either --sample files or the entities, not both.",
        )
    prepared = prepared.with_answers(combined)
    return _with_samples(prepared, samples) if samples else prepared


def _with_samples(prepared: NewPlan, samples: list[Path]) -> NewPlan:
    """The plan with entities derived from the user's files, and the plan's reason saying so."""
    from dataforge.samples import derive_entities

    derived = derive_entities(samples)
    moved = prepared.with_answers({"entities": derived.entities})
    # The reason follows the entities: the files, instead of a domain or an override.
    reasons = [r for r in moved.answers.reasons if not r["rule"].startswith(("domain.", "override.domain"))]
    # Only a count: file names are the user's text and stay out of the generated files.
    origin = f"{len(samples)} sample file{'s' if len(samples) > 1 else ''} you gave (`new --sample`)"
    update = {"reasons": [*reasons, derived.reason], "entities_origin": origin}
    answers = moved.answers.model_copy(update=update)
    decision_reasons = [r for r in prepared.decision.reasons if not r.rule.startswith("domain.")]
    decision = prepared.decision.model_copy(
        update={"reasons": [*decision_reasons, Reason.model_validate(derived.reason)]}
    )
    return replace(moved, decision=decision, answers=answers, notes=(*moved.notes, *derived.notes))


def _render_and_check(
    decision: Decision, answers: ProjectAnswers, staging: Path, lock_from: Path | None = None
) -> tuple[list[str], str | None]:
    """Render, lock (when `lock_from` is given: the target, whose uv.lock seeds it), record, validate.

    Returns the files and a warning when the lock was asked for but could not be written.
    """
    composition = compose(answers.model_dump(mode="json"))
    owners = render_tree(render_data(answers, composition), composition, staging)
    warning = None
    if lock_from is not None:
        warning = lock_dependencies(staging, seed=lock_from / LOCK_FILE)
    derived = {LOCK_FILE: LOCK_COMMAND} if (staging / LOCK_FILE).is_file() else {}
    owners = write_records(
        staging,
        decision.to_json_dict(),
        answers.model_dump(mode="json"),
        owners,
        composition.part_ids,
        derived=derived,
    )
    forbidden = [str(staging), str(blueprints_root())]
    problems = check_tree(staging, forbidden)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise GenerationError(
            f"The rendered project failed validation: {problems[0].path} {problems[0].message}{more}."
        )
    return sorted(owners), warning


def write(
    prepared: NewPlan, *, dry_run: bool = False, force: bool = False, git: bool = True, lock: bool = False
) -> Generated:
    """Render, validate and place a prepared project; all or nothing (see `dataforge.render.place`).

    With `lock`, `uv lock` pins the dependencies into `uv.lock` in the staging folder, before the first
    commit; when it cannot (no uv, offline, timeout) the project is still written, with a warning. Off by
    default for library callers and tests (it needs the package index); the CLI turns it on.
    """
    decision, answers, target = prepared.decision, prepared.answers, prepared.target
    if dry_run:
        with temp_scratch("dry-run") as scratch:
            (scratch / "project").mkdir()
            files, _ = _render_and_check(decision, answers, scratch / "project")
        return Generated(target, decision, answers, files, dry_run=True, warnings=list(prepared.notes))
    notes: list[str] = list(prepared.notes)
    try:
        with writing_into(target, force) as existing, staging_folder(target) as staging:
            files, warning = _render_and_check(decision, answers, staging, target if lock else None)
            notes += [warning] if warning else []
            if existing:
                files = merge_into(staging, target)
                notes.append(f"Wrote {len(files)} files into the existing folder; nothing else was touched.")
            else:
                if git:
                    warning = init_repository(
                        staging, f"Generated by dataforge from: {answers.requirement[:200]}"
                    )
                    notes += [warning] if warning else []
                move_into_place(staging, target)
    except OSError as error:  # disk full, read-only file system, permissions: nothing was placed
        raise TargetError(
            f"Cannot write the project next to {target}: {error.strerror or error}.",
            hint="Free some space or choose a writable folder with --output; nothing was written.",
        ) from None
    return Generated(target, decision, answers, sorted(files), dry_run=False, warnings=notes)


def generate(
    requirement: str,
    *,
    output: Path = Path(),
    name: str | None = None,
    pattern: str | None = None,
    cloud: str | None = None,
    ci: str | None = None,
    overrides: dict[str, Any] | None = None,
    answers_file: Path | None = None,
    samples: list[Path] | None = None,
    dry_run: bool = False,
    force: bool = False,
    git: bool = True,
    lock: bool = False,
) -> Generated:
    """Generate a project into ``output/<project_name>``; see `dataforge new --help` for the options."""
    prepared = prepare(
        requirement,
        output=output,
        name=name,
        pattern=pattern,
        cloud=cloud,
        ci=ci,
        overrides=overrides,
        answers_file=answers_file,
        samples=samples,
    )
    return write(prepared, dry_run=dry_run, force=force, git=git, lock=lock)
