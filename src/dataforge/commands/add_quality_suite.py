"""`dataforge add-quality-suite` as a library call: plan (profile or read dbt, propose, merge) then write.

Writing renders the `addons/quality_suite` part into a staging folder inside the project's `.dataforge/`,
validates it, and writes the files together with their records (manifest entry and pristine bytes, see
`dataforge.project`) in one all-or-nothing unit. Nothing is written when any step fails. Files the user
edited since dataforge wrote them are never overwritten: the suite is merged (see `dataforge.quality.suite`),
the other files are left as they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dataforge import __version__
from dataforge.errors import DataError, GenerationError, ProjectError, UsageError
from dataforge.project import find_project, read_answers
from dataforge.quality.profile import Progress, profile_file
from dataforge.quality.propose import Proposed, propose, strictness
from dataforge.quality.suite import Change, build_suite, merge, to_gx

if TYPE_CHECKING:
    from dataforge.compose import Part
    from dataforge.project import Project

PART = "addons/quality_suite"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SAMPLE_HINT = "Check the path and its permissions; pass a readable .csv, .parquet, .json or .jsonl file."


@dataclass
class SuitePlan:
    """What `add-quality-suite` would write and why."""

    root: Path
    project_name: str
    dataset: str
    source_kind: str
    source: str
    sample: str
    level: str
    mostly: float | None
    exclude: list[str]
    proposed: Proposed
    suite: dict[str, Any]
    mode: str  # new, replace (unedited suite) or merge (the user edited it)
    changes: list[Change] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def suite_path(self) -> str:
        """The suite's path relative to the project."""
        return f"quality/expectations/{self.dataset}.json"


def _project_name(root: Path) -> str:
    name = read_answers(root).get("project_name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ProjectError(
            f"{root}/.dataforge/answers.json is missing or corrupt.",
            hint="Restore .dataforge/ from version control.",
        )
    if not (root / "src" / name / "quality" / "validate.py").is_file():
        raise ProjectError(
            f"{root} has no quality runner (src/{name}/quality/validate.py).",
            hint="Quality suites need a project generated with the quality component.",
        )
    return name


def answers_file(dataset: str) -> str:
    """Where the suite of one dataset records its answers (one file per dataset, so several coexist)."""
    return f".dataforge/answers/addons-quality_suite-{dataset}.yml"


def plan_suite(
    start: Path,
    dataset: str,
    *,
    from_data: Path | None = None,
    from_dbt: str | None = None,
    level: str = "balanced",
    mostly: float | None = None,
    exclude: list[str] | None = None,
    progress: Progress | None = None,
) -> SuitePlan:
    """Check the inputs, profile or read dbt, propose, and merge with an existing suite. Writes nothing."""
    if (from_data is None) == (from_dbt is None):
        raise UsageError(
            "Pass exactly one of --from-data FILE or --from-dbt MODEL.",
            hint="E.g. --from-data samples/x.csv.",
        )
    if not _NAME.match(dataset):
        raise UsageError(
            f"Dataset name {dataset!r} is not a lower snake_case identifier.", hint="E.g. partner_orders."
        )
    chosen = strictness(level, mostly)
    project = find_project(start)
    root = project.root
    project_name = _project_name(root)
    rel = f"quality/expectations/{dataset}.json"
    # A suite another part derived from the project's schema (an entity such as `customers`) is taken
    # over by merging. From a file, the file wins: see `_merge_with_file`. From dbt, its expectations are
    # kept and the model's are added beside them.
    owner = project.part_of(rel)
    schema_suite = bool(owner) and owner != PART
    skip = set(exclude or [])
    sample = ""
    profiled: tuple[Any, Path] | None = None  # (profile, file) when proposing from a file
    if from_data is not None:
        from_data = _sample_path(from_data)
        profile = profile_file(from_data, skip, progress)
        proposed = propose(profile, chosen, skip)
        profiled = (profile, from_data)
        resolved = from_data.resolve()
        sample = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else ""
        source_kind, source = "data", sample or from_data.name
    else:
        from dataforge.quality.dbt_schema import propose_from_dbt

        assert from_dbt is not None
        proposed = propose_from_dbt(root, from_dbt, skip)
        source_kind, source = "dbt", from_dbt
    label = f"the dbt model {source}" if source_kind == "dbt" else source
    fresh = [to_gx(p) for p in proposed.expectations]
    current_path = root / rel
    current = _read_suite(current_path) if current_path.is_file() else None
    changes: list[Change] = []
    if current is None:
        mode, expectations = "new", fresh
    else:
        mode = "replace" if not project.is_user_edited(rel) and not schema_suite else "merge"
        if profiled is not None:
            expectations, changes = _merge_with_file(project, rel, current, fresh, profiled, mode == "merge")
        else:
            expectations, changes = merge(current, fresh, keep_user=mode == "merge")
    suite = build_suite(dataset, proposed, label, expectations)
    return SuitePlan(
        root,
        project_name,
        dataset,
        source_kind,
        source,
        sample,
        chosen.name,
        mostly,
        sorted(skip),
        proposed,
        suite,
        mode,
        changes,
    )


def _merge_with_file(
    project: Any,
    rel: str,
    current: dict[str, Any],
    fresh: list[dict[str, Any]],
    profiled: tuple[Any, Path],
    keep_user: bool,
) -> tuple[list[dict[str, Any]], list[Change]]:
    """Merge a proposal from a file so the suite accepts that file (see `dataforge.quality.reconcile`).

    The pristine copy of the suite tells a schema-derived expectation from one the user edited since.
    """
    from dataforge.quality.reconcile import reconcile, schema_expectations

    recorded = schema_expectations(project.pristine().get(rel)) if keep_user else None
    profile, sample = profiled
    return reconcile(current, fresh, profile, sample, keep_user=keep_user, recorded=recorded)


def _sample_path(given: Path) -> Path:
    """The sample's absolute path; one the system cannot look up is a data error (exit 7)."""
    path = given if given.is_absolute() else Path.cwd() / given
    try:
        path.stat()
    except FileNotFoundError:
        pass  # the reader says it does not exist, with an example
    except (OSError, ValueError) as error:  # too long, no permission on a folder, a NUL byte
        shown = str(given) if len(str(given)) <= 80 else str(given)[:77] + "..."
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise DataError(f"Cannot read the sample {shown!r}: {reason}.", hint=_SAMPLE_HINT) from None
    return path


def _read_suite(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise UsageError(
            f"{path} exists but is not valid JSON, so it cannot be merged.",
            hint="Fix the JSON or move the file away.",
        ) from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("expectations"), list):
        raise UsageError(
            f"{path} is not a GX expectation suite.", hint="Move it away or fix it, then run again."
        )
    return loaded


def _table(suite: dict[str, Any]) -> str:
    rows = []
    for e in suite["expectations"]:
        kwargs = {k: v for k, v in (e.get("kwargs") or {}).items() if k != "column"}
        column = (e.get("kwargs") or {}).get("column") or "(table)"
        why = (e.get("meta") or {}).get("why") or ("your expectation" if not e.get("meta") else "")
        cells = [str(column), e["type"], json.dumps(kwargs, default=str), str(why)]
        rows.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(rows)


def _part() -> Part:
    from dataforge.compose import blueprints_root, load_part

    part = load_part(blueprints_root(), "addons", "quality_suite")
    if part is None:
        raise GenerationError(f"dataforge's {PART} blueprint is missing from this installation.")
    return part


def _render(plan: SuitePlan, part: Part, into: Path) -> None:
    recorded = {
        "project_name": plan.project_name,
        "dataset": plan.dataset,
        "source_kind": plan.source_kind,
        "source": plan.source,
        "strictness": plan.level,
        "mostly": plan.mostly,
        "exclude": plan.exclude,
        "sample": plan.sample,
        "dataforge_version": __version__,
    }
    _render_suite(part, recorded, json.dumps(plan.suite, indent=2, default=str), into)


def _render_suite(part: Part, recorded: dict[str, Any], suite_json: str, into: Path) -> None:
    """Render the part for one dataset: its recorded answers plus the suite (with its table and notes)."""
    from dataforge.render.tree import render_part

    suite = json.loads(suite_json)
    notes = ((suite.get("meta") or {}).get("dataforge") or {}).get("notes") or []
    data = {**recorded, "suite_json": suite_json, "suite_table": _table(suite), "suite_notes": notes}
    render_part(part, data, into)
    # The part is applied once per dataset: its answers file is named after the dataset.
    (into / part.answers_file).rename(into / answers_file(recorded["dataset"]))


def recorded_suites(project: Project) -> list[str]:
    """The datasets `add-quality-suite` added to the project, by their recorded answers files."""
    prefix, suffix = answers_file("\0").split("\0")
    return sorted(
        rel[len(prefix) : -len(suffix)]
        for rel, entry in project.files.items()
        if entry.get("part") == PART and rel.startswith(prefix) and rel.endswith(suffix)
    )


def rerender_suite(project: Project, dataset: str, into: Path) -> dict[str, str]:
    """Render one added suite again with the installed blueprint, for `dataforge update`; file -> part.

    The answers come from its recorded answers file and the suite from the pristine render (the suite as
    dataforge last wrote it), so only a blueprint change differs from what was recorded: the user's edits
    of the suite are merged by `update` against that same pristine copy.
    """
    import yaml

    rel_answers = answers_file(dataset)
    suite_rel = f"quality/expectations/{dataset}.json"
    pristine = project.pristine()
    try:
        loaded = yaml.safe_load(pristine[rel_answers])
        suite_json = pristine[suite_rel].decode("utf-8").removesuffix("\n")
        json.loads(suite_json)
    except (KeyError, ValueError, UnicodeDecodeError, yaml.YAMLError):
        raise ProjectError(
            f"The records of the quality suite {dataset!r} in {project.root} are missing or corrupt.",
            hint="Restore .dataforge/ from version control.",
        ) from None
    recorded = {k: v for k, v in (loaded or {}).items() if not str(k).startswith("_")}
    into.mkdir(parents=True)
    _render_suite(_part(), {**recorded, "dataset": dataset}, suite_json, into)
    return {p.relative_to(into).as_posix(): PART for p in into.rglob("*") if p.is_file()}


def write_suite(plan: SuitePlan) -> SuitePlan:
    """Render, validate and write the suite's files with their records; record what was written.

    The staging folder is inside the project's `.dataforge/`, so nothing is written outside the project.
    """
    from dataforge.project import change_exclusively

    root = find_project(plan.root).root
    return change_exclusively(root, lambda: _write_locked(plan, root))  # one writer at a time


def _write_locked(plan: SuitePlan, root: Path) -> SuitePlan:
    from dataforge.compose import blueprints_root
    from dataforge.project import RECORDS, Rendered, commit, recover
    from dataforge.render.place import remove_stale_staging, staging_folder
    from dataforge.validation import check_tree

    recover(root)  # finish or discard what an interrupted run left before reading the manifest
    project = find_project(root)
    part = _part()
    remove_stale_staging(root, within=root / RECORDS)
    with staging_folder(root, within=root / RECORDS) as staging:
        _render(plan, part, staging)
        problems = check_tree(staging, [str(staging), str(blueprints_root())])
        if problems:
            raise GenerationError(
                f"The rendered suite failed validation: {problems[0].path} {problems[0].message}."
            )
        staged = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        writes: dict[str, bytes] = {}
        generated: dict[str, Rendered] = {}
        kept: list[str] = []
        for rel in staged:
            data = (staging / rel).read_bytes()
            if rel != plan.suite_path and project.is_user_edited(rel):  # the suite was merged already
                kept.append(rel)
                continue
            generated[rel] = Rendered(PART, data)
            dest = root / rel
            if not dest.is_file() or dest.read_bytes() != data:
                writes[rel] = data
    commit(root, writes, generated)  # the files and their records change together or not at all
    plan.written, plan.kept = sorted(writes), kept
    return plan
