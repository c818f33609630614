"""Replacing several files in an existing project as one unit, even across kill -9.

Every new file is first copied beside the project (under `.dataforge/pending/`), then the list of files is
written to `.dataforge/pending.json` in one atomic rename: that is the commit point. Only then are the files
moved into place. A run killed before the commit point leaves only pending copies, which the next run
discards (the project is as it was); a run killed after it leaves the journal, which the next run replays
(the project becomes what the killed run was writing). Either way no half-applied change survives.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

JOURNAL = Path(".dataforge") / "pending.json"
PENDING = Path(".dataforge") / "pending"


def _replay(root: Path, files: list[str]) -> None:
    for rel in files:
        staged = root / PENDING / rel
        if staged.is_file():  # already moved when a previous replay was itself interrupted
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, root / rel)
    (root / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(root / PENDING, ignore_errors=True)


def recover(root: Path) -> str | None:
    """Finish or discard a unit of writes an earlier run left; say which, or None when there was none."""
    journal = root / JOURNAL
    if journal.is_file():
        try:
            files = [str(f) for f in json.loads(journal.read_text())["files"]]
        except (ValueError, KeyError, TypeError):
            files = []
        _replay(root, files)
        return f"Completed {len(files)} file writes an interrupted run had committed."
    if (root / PENDING).exists():
        shutil.rmtree(root / PENDING, ignore_errors=True)
        return "Discarded writes an interrupted run had not committed; the project is as it was."
    return None


def replace_files(root: Path, contents: dict[str, bytes]) -> None:
    """Write every file in `contents` (relative path -> bytes) under root, all or nothing."""
    recover(root)
    for rel, data in contents.items():
        staged = root / PENDING / rel
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
    scratch = root / JOURNAL.with_name("pending.json.tmp")
    scratch.write_text(json.dumps({"files": sorted(contents)}))
    os.replace(scratch, root / JOURNAL)  # the commit point
    _replay(root, sorted(contents))
