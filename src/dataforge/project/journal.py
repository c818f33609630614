"""Replacing several files in an existing project as one unit, even across kill -9.

Every new file is first copied under `.dataforge/pending/`, then the list of files is written to
`.dataforge/pending.json` in one atomic rename: that is the commit point. Only then are the files moved into
place. A run killed before the commit point leaves only pending copies, which the next run discards (the
project is as it was); a run killed after it leaves the journal, which the next run replays (the project
becomes what the killed run was writing). Either way no half-applied change survives. A unit may also
remove files (`add-ci` replacing one provider's files by another's): the journal lists them under `remove`,
and they are deleted after the moves, with the folders they leave empty.

The journal is read back from disk, so it is untrusted: every path in it must stay inside the project
(no absolute paths, no `..`, no link leading out), and a journal that breaks this moves nothing.

Before anything is staged, every destination is checked (`layout.obstacle`): a file where a folder is
needed, a folder where a file is needed, or a link on the way refuses the whole unit, so a journal is only
ever committed when every one of its moves can succeed.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from dataforge.errors import ProjectError, TargetError
from dataforge.project.layout import JOURNAL, PENDING, RECORDS, checked_rel, inside, obstacle, unsafe

__all__ = ["JOURNAL", "PENDING", "recover", "replace_files"]


def _discard_pending(root: Path) -> None:
    pending = root / PENDING
    if pending.is_symlink():
        pending.unlink()  # never follow a planted link into someone else's folder
    else:
        shutil.rmtree(pending, ignore_errors=True)


def _check_records_folder(root: Path) -> None:
    if (root / RECORDS).is_symlink():
        raise unsafe(RECORDS.as_posix(), RECORDS.as_posix())


def _moves(root: Path, files: Sequence[object]) -> list[tuple[Path, Path]]:
    """(pending copy, destination) of every journal entry, all checked before anything moves."""
    where = JOURNAL.as_posix()
    pending = inside(root, PENDING.as_posix(), where)
    if pending.is_symlink():
        raise unsafe(where, PENDING.as_posix())
    moves = []
    for rel in files:
        dest = inside(root, rel, where)
        moves.append((inside(root, (PENDING / str(rel)).as_posix(), where), dest))
    return moves


def _blocked(root: Path, files: list[str]) -> list[str]:
    """Why each destination that cannot take a regular file cannot (empty when all can)."""
    return list(dict.fromkeys(why for rel in files if (why := obstacle(root, rel))))  # one line per clash


def _removals(root: Path, files: Sequence[object]) -> list[Path]:
    """The destination of every file the journal removes, all checked before anything moves."""
    return [inside(root, rel, JOURNAL.as_posix()) for rel in files]


def _remove(root: Path, removals: list[Path]) -> None:
    """Delete the files (already gone when a previous replay was interrupted) and the folders left empty."""
    for path in removals:
        if path.is_symlink() or path.is_file():
            path.unlink()
        folder = path.parent
        while folder != root and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _replay(root: Path, moves: list[tuple[Path, Path]], removals: list[Path] | None = None) -> None:
    for staged, dest in moves:
        if staged.is_file():  # already moved when a previous replay was itself interrupted
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, dest)
    _remove(root, removals or [])
    (root / JOURNAL).unlink(missing_ok=True)
    _discard_pending(root)


def recover(root: Path) -> str | None:
    """Finish or discard a unit of writes an earlier run left; say which, or None when there was none.

    Raises ProjectError, moving nothing, when the journal names a path outside the project.
    """
    _check_records_folder(root)
    journal = root / JOURNAL
    if journal.is_file():
        try:
            unit = json.loads(journal.read_text(encoding="utf-8"))
            files, remove = unit["files"], unit.get("remove", [])
            if not isinstance(files, list) or not isinstance(remove, list):
                raise TypeError("files or remove is not a list")
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            files, remove = [], []  # dataforge writes the journal in one rename, so it is never half-written
        moves = _moves(root, files)
        removals = _removals(root, remove)
        if blocked := _blocked(root, [str(rel) for rel in [*files, *remove]]):  # changed since, or planted
            raise ProjectError(
                f"{JOURNAL.as_posix()} cannot be completed: {blocked[0]}; nothing was moved.",
                hint="Move it away and run the command again, or restore .dataforge/ from version control.",
            )
        _replay(root, moves, removals)
        return f"Completed {len(files)} file writes an interrupted run had committed."
    if (root / PENDING).exists() or (root / PENDING).is_symlink():
        _discard_pending(root)
        return "Discarded writes an interrupted run had not committed; the project is as it was."
    return None


def replace_files(root: Path, contents: Mapping[str, bytes], remove: Sequence[str] = ()) -> None:
    """Write every file in `contents` (relative path -> bytes) under root and delete `remove`, all or nothing.

    TargetError, writing nothing, when a destination is blocked (see `layout.obstacle`); an OSError
    (disk full) before the commit point leaves the project as it was.
    """
    recover(root)
    data = {checked_rel(rel, "the files to write"): contents[rel] for rel in contents}  # no absolute, `..`
    files = sorted(data)
    gone = sorted({checked_rel(rel, "the files to remove") for rel in remove} - set(files))
    removals = _removals(root, gone)
    if blocked := _blocked(root, [*files, *gone]):  # a clash or a link on the way: the user's, so a refusal
        raise TargetError(
            f"Cannot write into {root}: {'; '.join(blocked[:3])}; nothing was written.",
            hint="Move it away: dataforge never writes through or over links, or files and folders it "
            "did not make.",
        )
    moves = _moves(root, files)  # every path inside the project, the pending copies included
    try:
        for (staged, _), rel in zip(moves, files, strict=True):
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(data[rel])
        scratch = root / JOURNAL.with_name("pending.json.tmp")
        scratch.unlink(missing_ok=True)  # a planted link would otherwise be written through
        scratch.write_text(json.dumps({"files": files, "remove": gone} if gone else {"files": files}))
        os.replace(scratch, root / JOURNAL)  # the commit point
    except OSError:
        _discard_pending(root)
        (root / JOURNAL.with_name("pending.json.tmp")).unlink(missing_ok=True)
        raise
    try:
        _replay(root, moves, removals)
    except OSError as error:
        raise TargetError(
            f"Writing into {root} stopped part-way ({error.strerror or error}); the change was committed.",
            hint="Free some space, then run any dataforge command there: it completes the change first.",
        ) from None
