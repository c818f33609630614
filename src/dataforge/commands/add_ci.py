"""`dataforge add-ci --provider P`: add or replace the CI of an existing project, all or nothing.

The project is rendered twice from its recorded answers, inside a staging folder in its `.dataforge/`: as
it is and with the new provider. What differs between the two renders is exactly what the change touches:
the new provider's files (`ci/<provider>`), the old provider's files (to remove) and the shared files that
name the CI (the README's layout and reasons, the ADR). Blueprint changes since the project was generated
are left to `dataforge update`. The files, their records (manifest hashes, pristine bytes) and the answers
(`ci_provider`, so a later `update` renders the new provider) change in one journal unit.

Nothing the user edited is overwritten or deleted: an edited file of the old provider, or a file of the
user's own where the new provider writes, refuses the whole change (nothing is written); an edited shared
file (the README) is kept as it is and reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from dataforge.commands.plan import CI_PROVIDERS, ci_provider
from dataforge.commands.rerender import record_with, recorded_answers, render_project
from dataforge.errors import GenerationError, TargetError
from dataforge.project import ANSWERS, DECISION, Rendered, find_project

_NAMES = {provider: name for name, provider in CI_PROVIDERS.items()}
_RULE = "override.ci_provider"


@dataclass
class CiChange:
    """What `add-ci` changed (or, when `written` and `removed` are empty, found already in place)."""

    root: Path
    provider: str  # the catalogue id (github_actions, gitlab_ci, azure_pipelines)
    previous: str  # the recorded provider; "none" when the project had no CI
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited (or deleted) shared files left as they are


def _with_reason(reasons: list[dict[str, str]], because: str) -> list[dict[str, str]]:
    kept = [r for r in reasons if not r.get("rule", "").startswith(("ci.", _RULE))]
    return [*kept, {"rule": _RULE, "because": because}]


def add_ci(start: Path, provider: str) -> CiChange:
    """Add the CI of `provider` (github, gitlab, azure-devops) to the project at `start`, or replace its CI.

    UsageError for an unknown provider, ProjectError outside a project, TargetError when a file the user
    edited (or made) would have to be deleted or overwritten; in every error case nothing is written.
    """
    from dataforge.project import change_exclusively

    chosen = ci_provider("--provider", provider, tuple(CI_PROVIDERS))
    root = find_project(start).root
    return change_exclusively(root, lambda: _change_locked(root, chosen))  # one writer at a time


def _change_locked(root: Path, chosen: str) -> CiChange:
    from dataforge.answers import apply_overrides
    from dataforge.compose import blueprints_root
    from dataforge.project import RECORDS, commit, recover
    from dataforge.render.place import remove_stale_staging, staging_folder
    from dataforge.validation import check_tree

    recover(root)  # finish or discard what an interrupted run left before reading the manifest
    project = find_project(root)
    before = recorded_answers(project)
    change = CiChange(root, chosen, before.ci_provider)
    because = f"You chose {_NAMES[chosen]} with `dataforge add-ci --provider {_NAMES[chosen]}`."
    if before.ci_provider == chosen:
        after = before  # a second run restores missing files and records nothing new
    else:
        after = apply_overrides(before, {"ci_provider": chosen})
        after = after.model_copy(update={"reasons": _with_reason(after.reasons, because)})
    part = f"ci/{chosen}"
    remove_stale_staging(root, within=root / RECORDS)
    with staging_folder(root, within=root / RECORDS) as staging:
        new_owners = render_project(after, staging / "new")
        old_owners = new_owners if after is before else render_project(before, staging / "old")
        problems = check_tree(staging / "new", [str(staging), str(blueprints_root())])
        if problems:
            raise GenerationError(
                f"The rendered CI failed validation: {problems[0].path} {problems[0].message}."
            )
        writes: dict[str, bytes] = {}
        generated: dict[str, Rendered] = {}
        refused: list[str] = []
        for rel, owner in sorted(new_owners.items()):
            data = (staging / "new" / rel).read_bytes()
            old = staging / "old" / rel
            if owner != part and (after is before or (old.is_file() and old.read_bytes() == data)):
                continue  # untouched by the change
            dest = root / rel
            if project.is_user_edited(rel):
                if owner == part and (change.previous != chosen or rel not in project.files):
                    refused.append(rel)  # the user's own file where the new provider writes
                else:
                    change.kept.append(rel)  # their edit of a shared file, or of this provider's file
                continue
            if not dest.is_file() and rel in project.files and owner != part:
                change.kept.append(rel)  # a shared file the user deleted does not come back
                continue
            generated[rel] = Rendered(owner, data)
            if not dest.is_file() or dest.read_bytes() != data:
                writes[rel] = data
        remove = sorted(rel for rel in set(old_owners) - set(new_owners) if rel in project.files)
        refused += [rel for rel in remove if project.is_user_edited(rel)]
    if refused:
        raise TargetError(
            f"{refused[0]} was edited since dataforge generated it (or is your own file), and replacing "
            f"the CI would {'overwrite' if refused[0] in new_owners else 'delete'} it; nothing was written.",
            hint="Commit or move your changes away (or `git checkout` the generated file), then run again.",
        )
    change.removed = [rel for rel in remove if (root / rel).is_file()]
    if not writes and not remove and after is before:
        return change
    records: dict[str, bytes] = {}
    parts: list[str] | None = None
    if after is not before:
        update = {"ci_provider": chosen, "components": after.components}
        records[ANSWERS.as_posix()] = record_with(root, ANSWERS, {**update, "reasons": after.reasons})
        decision = json.loads(record_with(root, DECISION, {}))
        reasons = _with_reason(decision.get("reasons") or [], because)
        records[DECISION.as_posix()] = record_with(root, DECISION, {**update, "reasons": reasons})
        parts = [p for p in project.manifest.get("parts", []) if not p.startswith("ci/")] + [part]
    commit(root, writes, generated, remove=remove, records=records, parts=parts)
    change.written = sorted([*writes, *records])
    return change
