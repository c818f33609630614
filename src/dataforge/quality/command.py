"""`dataforge add-quality-suite` as a library call: plan (profile or read dbt, propose, merge) then write.

Writing renders the `quality_suite` blueprint into a scratch folder, validates it, and moves each file into
place, then records the files with their sha256 in `.dataforge/manifest.json`. Nothing is written when any
step fails. Files the user edited since dataforge wrote them are never overwritten: the suite is merged
(see `dataforge.quality.suite`), the other files are left as they are.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataforge import __version__
from dataforge.errors import GenerationError, ProjectError, UsageError
from dataforge.quality.profile import Progress, profile_file
from dataforge.quality.propose import Proposed, propose, strictness
from dataforge.quality.suite import Change, build_suite, merge, to_gx

BLUEPRINT = "quality_suite"
MANIFEST = Path(".dataforge") / "manifest.json"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SRC_PATH = re.compile(r"^_src_path: .*$", re.MULTILINE)


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


def find_project(start: Path) -> tuple[Path, dict[str, Any]]:
    """The dataforge project containing `start` and its manifest."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".dataforge").is_dir():
            try:
                manifest = json.loads((folder / MANIFEST).read_text())
                if not isinstance(manifest.get("files"), dict):
                    raise ValueError("no files")
            except (OSError, ValueError, AttributeError):
                raise ProjectError(
                    f"{folder / MANIFEST} is missing or corrupt.",
                    hint="Restore .dataforge/ from version control (git checkout -- .dataforge).",
                ) from None
            return folder, manifest
    raise ProjectError(f"{start} is not inside a dataforge project (no .dataforge/ folder).")


def _project_name(root: Path) -> str:
    try:
        name = json.loads((root / ".dataforge" / "answers.json").read_text())["project_name"]
    except (OSError, ValueError, KeyError, TypeError):
        raise ProjectError(
            f"{root}/.dataforge/answers.json is missing or corrupt.",
            hint="Restore .dataforge/ from version control.",
        ) from None
    if not isinstance(name, str) or not (root / "src" / name / "quality" / "validate.py").is_file():
        raise ProjectError(
            f"{root} has no quality runner (src/{name}/quality/validate.py).",
            hint="Quality suites need a project generated with the quality component.",
        )
    return name


def sha256(path: Path) -> str:
    """Content hash (the manifest's)."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    root, manifest = find_project(start)
    project_name = _project_name(root)
    rel = f"quality/expectations/{dataset}.json"
    # A suite another blueprint derived from the project's schema (an entity such as `customers`) is
    # taken over by merging: its expectations are kept and the profile's are added beside them.
    owner = (manifest["files"].get(rel) or {}).get("blueprint")
    schema_suite = bool(owner) and owner != BLUEPRINT
    skip = set(exclude or [])
    sample = ""
    if from_data is not None:
        from_data = from_data if from_data.is_absolute() else Path.cwd() / from_data
        profile = profile_file(from_data, skip, progress)
        proposed = propose(profile, chosen, skip)
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
        recorded = (manifest["files"].get(rel) or {}).get("sha256")
        mode = "replace" if recorded == sha256(current_path) and not schema_suite else "merge"
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


def _render(plan: SuitePlan, into: Path) -> None:
    import copier

    from dataforge.render.blueprints import blueprints_root

    data = {
        "project_name": plan.project_name,
        "dataset": plan.dataset,
        "source_kind": plan.source_kind,
        "source": plan.source,
        "strictness": plan.level,
        "mostly": plan.mostly,
        "exclude": plan.exclude,
        "sample": plan.sample,
        "dataforge_version": __version__,
        "suite_json": json.dumps(plan.suite, indent=2, default=str),
        "suite_table": _table(plan.suite),
        "suite_notes": plan.proposed.notes,
    }
    answers = f".dataforge/answers/{BLUEPRINT}_{plan.dataset}.yml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(blueprints_root() / BLUEPRINT),
            into,
            data=data,
            answers_file=answers,
            defaults=True,
            quiet=True,
            unsafe=False,
            overwrite=True,
        )
    recorded = into / answers
    recorded.write_text(_SRC_PATH.sub(f"_src_path: dataforge:{BLUEPRINT}", recorded.read_text()))


def write_suite(plan: SuitePlan) -> SuitePlan:
    """Render, validate and place the suite's files; update the manifest; record what was written."""
    from dataforge.render.blueprints import blueprints_root
    from dataforge.render.journal import recover, replace_files
    from dataforge.render.place import remove_stale_staging, staging_folder
    from dataforge.validation import check_tree

    root, _ = find_project(plan.root)
    recover(root)  # finish or discard what an interrupted run left before reading the manifest
    root, manifest = find_project(root)
    recorded = {
        rel: entry.get("sha256") for rel, entry in manifest["files"].items() if isinstance(entry, dict)
    }
    remove_stale_staging(root)
    with staging_folder(root) as staging:
        _render(plan, staging)
        problems = check_tree(staging, [str(staging), str(blueprints_root())])
        if problems:
            raise GenerationError(
                f"The rendered suite failed validation: {problems[0].path} {problems[0].message}."
            )
        staged = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        writes, kept = [], []
        for rel in staged:
            dest = root / rel
            edited = dest.is_file() and recorded.get(rel) != sha256(dest)
            if edited and rel != plan.suite_path:  # the suite itself was merged already
                kept.append(rel)
            elif not dest.is_file() or sha256(dest) != sha256(staging / rel):
                writes.append(rel)
        contents = {rel: (staging / rel).read_bytes() for rel in writes}
    for rel in staged:
        if rel not in kept:
            data = contents.get(rel)
            digest = hashlib.sha256(data).hexdigest() if data is not None else sha256(root / rel)
            manifest["files"][rel] = {"blueprint": BLUEPRINT, "sha256": digest}
    manifest["files"] = dict(sorted(manifest["files"].items()))
    contents[MANIFEST.as_posix()] = (json.dumps(manifest, indent=2) + "\n").encode()
    replace_files(root, contents)  # the suite's files and the manifest change together or not at all
    plan.written, plan.kept = writes, kept
    return plan
