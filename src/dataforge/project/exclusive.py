"""One writer at a time: commands that change an existing project hold an exclusive lock on its folder.

Two `new --force` runs (or `new --force` and `add-quality-suite`) writing into one project at once could
interleave their journal units and leave files from both. The lock is `flock` on the project folder itself,
not a lock file: nothing is created (so nothing is left in the project or in `git status`), and the kernel
releases it when its holder exits, even after kill -9, so a lock is never stale. A second writer does not
wait: it gets a BusyError at once, before it writes anything.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from dataforge.errors import BusyError

T = TypeVar("T")


@contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """Hold the writer lock of the project folder `root` for the duration; BusyError when another has it."""
    handle = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(
                f"Another dataforge command is writing into {root}; nothing was written.",
                hint="Wait for it to finish, then run the command again.",
            ) from None
        yield
    finally:
        os.close(handle)  # closing the last descriptor releases the lock


def change_exclusively(root: Path, change: Callable[[], T]) -> T:
    """Run `change`, a command's writes into the existing project `root`, holding the writer lock.

    Ctrl-C during it becomes the command's Interrupted error: its journal leaves the project as it was or
    complete, so the message can say nothing was left half-written.
    """
    # dataforge.render imports dataforge.project: imported here, the cycle never forms at import time
    from dataforge.render.place import interrupted

    with exclusive(root):
        try:
            return change()
        except KeyboardInterrupt:
            raise interrupted(root, existed=True) from None
