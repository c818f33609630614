"""Where dataforge keeps its records inside a project, and the check every recorded path goes through.

    .dataforge/decision.json     the plan (rules, reasons) that produced the project
    .dataforge/answers.json      the answers (with `answers_schema_version`), input of every render
    .dataforge/answers/*.yml     copier's record of each part's answers
    .dataforge/manifest.json     each generated file: the part that wrote it, the sha256 of its pristine bytes
                                 (a derived file such as uv.lock: owner dataforge, the command deriving it)
    .dataforge/pristine.tar.gz   the exact bytes dataforge generated for each file (base of a later merge)
    .dataforge/pending.json      the journal of a unit of writes under way (see `dataforge.project.journal`)

Every path read back from these records (or from the archive) is untrusted: a cloned repository may hold
any `.dataforge/` it likes. `checked_rel` and `inside` are the one gate such a path passes before it is
used to read or write anything.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from dataforge.errors import ProjectError

RECORDS = Path(".dataforge")
MANIFEST = RECORDS / "manifest.json"
DECISION = RECORDS / "decision.json"
ANSWERS = RECORDS / "answers.json"
PRISTINE = RECORDS / "pristine.tar.gz"
JOURNAL = RECORDS / "pending.json"
PENDING = RECORDS / "pending"
#: The part id of the records themselves in the manifest.
OWNER = "dataforge"

_RESTORE = (
    "Restore .dataforge/ from version control (git checkout -- .dataforge); dataforge never writes these."
)


def unsafe(where: str, rel: object) -> ProjectError:
    """The error for a recorded path that could reach outside the project."""
    return ProjectError(
        f"{where} lists an unsafe path {rel!r} (absolute, '..', a link or outside the project); nothing was "
        "written.",
        hint=_RESTORE,
    )


def checked_rel(rel: object, where: str) -> str:
    """`rel` as a normalised relative POSIX path; ProjectError when it is absolute or climbs with `..`."""
    if not isinstance(rel, str) or not rel or "\x00" in rel or "\\" in rel:
        raise unsafe(where, rel)
    path = PurePosixPath(rel)
    if path.is_absolute() or PureWindowsPath(rel).drive or ".." in path.parts or path == PurePosixPath("."):
        raise unsafe(where, rel)
    return path.as_posix()


def inside(root: Path, rel: object, where: str) -> Path:
    """`root / rel` after checking that it resolves (following links) to a place inside root."""
    path = root / checked_rel(rel, where)
    if not path.resolve().is_relative_to(root.resolve()):
        raise unsafe(where, rel)
    return path
