"""The three-way merge of one file for `dataforge update`: base, ours and theirs.

- base: the pristine bytes dataforge generated last time (`.dataforge/pristine.tar.gz`);
- ours: the file in the project now (the user's edits);
- theirs: what the installed blueprints render from the recorded answers.

Blueprint changes arrive, user edits stay, and where both changed the same lines the file gets the standard
conflict markers, both sides kept. The line merge is git's own (`git merge-file`): well kept, the markers
every editor and `git mergetool` understand, and never a `.rej` file. A file the user deleted stays deleted;
a file the blueprints no longer render is removed only when the user never edited it.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from dataforge.errors import ProjectError

#: A conflict block as `git merge-file` writes it: the lines `update` scans every written file for.
_CONFLICT = re.compile(rb"^<<<<<<< .*?^=======\r?$.*?^>>>>>>> ", re.MULTILINE | re.DOTALL)


class Outcome(StrEnum):
    """What the merge did to one file (the summary `update` prints groups files by it)."""

    KEPT = "kept"  # no blueprint change: the file stays as it is (edited or not)
    UPDATED = "updated"  # the user never edited it: the new render replaces it
    ADDED = "added"  # new in the blueprints
    REMOVED = "removed"  # the blueprints no longer render it, and the user never edited it
    MERGED = "merged"  # both changed it, on different lines: merged cleanly
    CONFLICT = "conflict"  # both changed the same lines: markers in the file, both sides kept
    KEPT_DELETED = "kept deleted"  # the user deleted it and the blueprints changed it: it stays deleted
    KEPT_EDITED = "kept edited"  # the blueprints no longer render it, but the user edited it: kept


_WRITES = frozenset({Outcome.UPDATED, Outcome.ADDED, Outcome.REMOVED, Outcome.MERGED, Outcome.CONFLICT})


class FileMerge(NamedTuple):
    """The merge of one file: its outcome and its new content (None: the file is absent afterwards)."""

    outcome: Outcome
    content: bytes | None

    @property
    def changes_disk(self) -> bool:
        """True when the project's file must be written or removed."""
        return self.outcome in {
            Outcome.UPDATED,
            Outcome.ADDED,
            Outcome.REMOVED,
            Outcome.MERGED,
            Outcome.CONFLICT,
        }


def is_binary(data: bytes) -> bool:
    """Git's own test: a NUL byte in the first 8000 bytes."""
    return b"\0" in data[:8000]


def has_markers(data: bytes) -> bool:
    """True when `data` holds a conflict block: a `<<<<<<< ` line, then `=======`, then `>>>>>>> `."""
    return _CONFLICT.search(data) is not None


def merge_text(base: bytes, ours: bytes, theirs: bytes, name: str) -> tuple[bytes, int]:
    """`git merge-file`: the merged bytes and the number of conflicts (0: clean)."""
    with tempfile.TemporaryDirectory(prefix="dataforge-merge-") as folder:
        paths = []
        for label, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / label
            path.write_bytes(data)
            paths.append(str(path))
        labels = [f"yours: {name}", f"generated before: {name}", f"blueprints now: {name}"]
        try:
            done = subprocess.run(
                ["git", "merge-file", "-p", "-L", labels[0], "-L", labels[1], "-L", labels[2], *paths],
                capture_output=True,
                check=False,
                timeout=120,
            )
        except FileNotFoundError:
            raise ProjectError(
                "git is not installed; `dataforge update` merges files with `git merge-file`.",
                hint="Install git, then run the update again.",
            ) from None
    if done.returncode < 0 or done.returncode > 127:
        raise ProjectError(
            f"git merge-file failed on {name}: {done.stderr.decode(errors='replace').strip()}",
            hint="Nothing was written; check the file, then run the update again.",
        )
    return done.stdout, done.returncode


def merge_file(name: str, base: bytes | None, ours: bytes | None, theirs: bytes | None) -> FileMerge:
    """The three-way merge of one file; None means absent (not generated, deleted, no longer rendered)."""
    if theirs == base:
        return FileMerge(Outcome.KEPT, ours)  # no blueprint change: whatever the user did stands
    if ours == theirs:
        return FileMerge(Outcome.KEPT, ours)  # already what the blueprints render
    if ours == base:  # the user never touched it (or never had it): the blueprints' version wins
        if theirs is None:
            return FileMerge(Outcome.REMOVED, None)
        return FileMerge(Outcome.ADDED if base is None else Outcome.UPDATED, theirs)
    if ours is None:  # deleted by the user, changed by the blueprints: the deletion stands
        return FileMerge(Outcome.KEPT_DELETED, None)
    if theirs is None:  # edited by the user, no longer rendered: the user's file stands
        return FileMerge(Outcome.KEPT_EDITED, ours)
    if is_binary(ours) or is_binary(theirs) or (base is not None and is_binary(base)):
        return FileMerge(Outcome.CONFLICT, ours)  # no line merge for bytes: the user's file stays, listed
    merged, conflicts = merge_text(base or b"", ours, theirs, name)
    return FileMerge(Outcome.CONFLICT if conflicts else Outcome.MERGED, merged)
