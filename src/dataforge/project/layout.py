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
used to read or write anything. `obstacle` says why a path cannot be written as a regular file (a file where
a folder is needed, a folder where a file is needed, a link): writers ask it for every path before the first
write, so a clash is a refusal and never a half-applied change.
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
    "Restore .dataforge/ from version control (git checkout -- .dataforge); dataforge never records those."
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


def obstacle(root: Path, rel: str) -> str | None:
    """Why `root / rel` cannot be written as a regular file without harming what is there, or None.

    Every step below root must be a real folder (or absent) and the file itself a regular file (or absent).
    dataforge never generates links, so a link on the way is the user's: writing through it could land
    outside the project, and replacing it would destroy it. Both are refused, dangling links included.
    """
    path = root
    parts = PurePosixPath(rel).parts
    for depth, name in enumerate(parts, start=1):
        path = path / name
        shown = "/".join(parts[:depth])
        if path.is_symlink():
            return f"{shown} is a link"
        if not path.exists():
            return None
        if depth < len(parts) and not path.is_dir():
            return f"{shown} is a file where dataforge writes a folder"
        if depth == len(parts) and not path.is_file():
            return f"{shown} is a folder where dataforge writes a file"
    return None
