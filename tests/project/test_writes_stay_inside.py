"""Every write `add-quality-suite` makes is inside the project: a read-only parent folder cannot matter.

Running as root, a read-only folder would not stop a write, so the test watches the writes themselves
through Python's audit hooks (every file opened for writing, every folder made, renamed or removed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.project.helpers import build_project
from tests.quality_suite import datagen

_WRITE_EVENTS = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "shutil.rmtree", "os.symlink", "os.chmod"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_watching: list[list[str]] = []  # audit hooks cannot be removed: the hook records only while a list is here


def _hook(event: str, args: tuple[object, ...]) -> None:
    if not _watching:
        return
    paths: list[object] = []
    if event == "open" and len(args) >= 3:
        path, mode, flags = args[0], args[1], args[2]
        writes = any(c in str(mode or "") for c in "wax+") or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        paths = [path] if writes else []
    elif event in _WRITE_EVENTS and not (event != "shutil.rmtree" and isinstance(args[-1], int)):
        # Names relative to a dir_fd are inside a folder an earlier event named (shutil.rmtree's walk).
        paths = [args[0]] + ([args[1]] if event == "os.rename" else [])
    for path in paths:
        if isinstance(path, str | bytes | os.PathLike):
            _watching[-1].append(os.path.abspath(os.fsdecode(path)))


sys.addaudithook(_hook)


@contextmanager
def written_paths() -> Iterator[list[str]]:
    """The absolute paths written while the block runs."""
    _watching.append([])
    try:
        yield _watching[-1]
    finally:
        _watching.pop()


def test_add_quality_suite_writes_only_inside_the_project(tmp_path: Path) -> None:
    from dataforge.commands.add_quality_suite import plan_suite, write_suite

    root = build_project(tmp_path / "shop")
    sample = datagen.write_csv(root / "samples" / "partners.csv", datagen.rows())
    with written_paths() as written:
        plan = write_suite(plan_suite(root, "partners", from_data=sample))
    assert plan.written
    assert written  # the hook saw the writes
    beside = [path for path in written if not Path(path).is_relative_to(root)]
    # Copier's own scratch (a clone of a blueprint kept in git) is in the system temp folder, and /dev/null.
    elsewhere = {"/dev/null", tempfile.gettempdir()}
    assert [p for p in beside if not any(Path(p).is_relative_to(e) for e in elsewhere)] == []
    assert [p for p in beside if Path(p).is_relative_to(tmp_path)] == []  # nothing beside the project
