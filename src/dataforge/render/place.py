"""Stage 6: moving a validated tree into place, atomically, without touching the user's files.

A new project is rendered into a hidden staging folder beside the target and renamed into place in
one step, so after any error, Ctrl-C or kill the target is either absent or complete. Writing into an
existing folder needs --force, and even then only files dataforge generated there before (and the
user has not edited since) may be replaced; nothing is ever deleted.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from dataforge.errors import TargetError
from dataforge.project import (
    MANIFEST,
    PRISTINE,
    is_user_edited,
    load_manifest,
    manifest_bytes,
    pristine_with,
    read_manifest,
    read_pristine,
    recover,
    replace_files,
    sha256,
)

STAGING_PREFIX = ".dataforge-staging-"


def check_target(target: Path, force: bool) -> bool:
    """Refuse unusable targets; return True when the target exists and will be written into."""
    if target.exists() and not target.is_dir():
        raise TargetError(f"{target} exists and is a file.", hint="Choose another --output folder or --name.")
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise TargetError(
                f"{target} already exists and is not empty.",
                hint="Choose another --name or --output, or pass --force (it never overwrites your files).",
            )
        return True
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TargetError(f"Cannot create {parent}: {error.strerror}.") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise TargetError(
            f"{parent} is not writable.", hint="Choose a folder you can write to with --output."
        )
    return False


def remove_stale_staging(target: Path, within: Path | None = None) -> list[Path]:
    """Remove staging folders a killed run (kill -9) left beside the target (or in `within`): owner gone."""
    removed = []
    prefix = f"{STAGING_PREFIX}{target.name}-"
    for folder in (within or target.parent).glob(f"{prefix}*"):
        pid = folder.name[len(prefix) :].split("-", 1)[0]
        try:
            os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
        except (OSError, ValueError):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextmanager
def staging_folder(target: Path, within: Path | None = None) -> Iterator[Path]:
    """A scratch folder on the target's file system, removed on any exit (also SIGTERM).

    It is made beside the target, or in `within` (commands that change an existing project stage inside
    its `.dataforge/`, so they never write outside the project).
    """
    staging = Path(
        tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{target.name}-{os.getpid()}-", dir=within or target.parent)
    )
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the project folder should not be

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate) if _main_thread() else None
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def move_into_place(staging: Path, target: Path) -> None:
    """Rename the staged project to the target in one step (target absent or an empty folder)."""
    try:
        if target.is_dir():
            target.rmdir()  # only ever an empty folder here; check_target refused anything else
        staging.rename(target)
    except OSError as error:
        raise TargetError(f"Cannot write {target}: {error.strerror}.") from None


def merge_into(staging: Path, target: Path) -> list[str]:
    """Write staged files into an existing folder (--force). Returns the files written.

    Refuses, writing nothing, when any staged file would replace a file dataforge did not generate
    or that was edited since it was generated. dataforge's own records under `.dataforge/` are always
    rewritten; the manifest and the pristine render keep the entries that later commands
    (`add-quality-suite`) added. So are derived files (uv.lock): the staged lock was computed from the
    target's own lock, keeping its pins. The writes go through the journal, so a kill at any moment
    leaves the old or the new files, not a mix.
    """
    recover(target)  # finish or discard what an interrupted command left before reading the manifest
    previous = read_manifest(target)
    fresh = load_manifest(staging)
    derived = {rel for rel, entry in fresh["files"].items() if "derived" in entry}
    staged = sorted(
        p.relative_to(staging) for p in staging.rglob("*") if p.is_file() and ".git" not in p.parts
    )
    conflicts = []
    writes = []
    for rel in staged:
        dest = target / rel
        key = rel.as_posix()
        if key in (MANIFEST.as_posix(), PRISTINE.as_posix()):
            continue  # merged below
        if not dest.exists() or key.startswith(".dataforge/"):
            writes.append(key)
        elif sha256(dest) == sha256(staging / rel):
            continue
        elif key in derived or not is_user_edited(target, key, previous):
            writes.append(key)
        else:
            conflicts.append(key)
    if conflicts:
        listed = ", ".join(conflicts[:3]) + (f" and {len(conflicts) - 3} more" if len(conflicts) > 3 else "")
        raise TargetError(
            f"--force would overwrite files dataforge did not generate or that were edited: {listed}.",
            hint="Move those files away, or generate into a new folder and merge by hand.",
        )
    contents = {rel: (staging / rel).read_bytes() for rel in writes}
    fresh["files"] = {**previous, **fresh["files"]}
    contents[MANIFEST.as_posix()] = manifest_bytes(fresh)
    # The pristine bytes of every file the merged manifest records: the fresh render's, then the earlier
    # ones of files only earlier commands wrote.
    contents[PRISTINE.as_posix()] = pristine_with(target, read_pristine(staging), keep=set(fresh["files"]))
    replace_files(target, contents)
    return writes
