"""Stage 6: moving a validated tree into place, atomically, without touching the user's files.

A new project is rendered into a hidden staging folder beside the target and renamed into place in
one step, so after any error, Ctrl-C or kill the target is either absent or complete. Writing into an
existing folder needs --force, and even then only files dataforge generated there before (and the
user has not edited since) may be replaced; nothing is ever deleted, and nothing is written through or over
a link, a file where a folder belongs or a folder where a file belongs. One writer at a time: `writing_into`
holds the project's lock (`dataforge.project.exclusive`) while it is written.

Scratch folders outside the target (the dry run's, `uv lock`'s) live in the system temp folder with a
marker file their run holds an flock on; the kernel drops it when the run ends however it ends, so the next
run removes exactly the folders whose run is gone (`remove_stale_scratch`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from types import FrameType

from dataforge.errors import Interrupted, TargetError
from dataforge.project import (
    JOURNAL,
    MANIFEST,
    PRISTINE,
    exclusive,
    is_user_edited,
    load_manifest,
    manifest_bytes,
    obstacle,
    pristine_with,
    read_manifest,
    read_pristine,
    recover,
    replace_files,
    sha256,
)

STAGING_PREFIX = ".dataforge-staging-"
#: Scratch folders in the system temp folder: `dataforge-<kind>-<random>`, holding `_OWNER`.
SCRATCH_PREFIX = "dataforge-"
_OWNER = ".dataforge-owner"


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


def _missing_folders(folder: Path) -> list[Path]:
    """`folder` and its ancestors that do not exist yet, deepest first (what creating it would make)."""
    missing = []
    while not folder.exists() and not folder.is_symlink() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first; stops at the first that is no longer empty
        try:
            folder.rmdir()
        except OSError:
            return


def interrupted(target: Path, existed: bool) -> Interrupted:
    """The error that says exactly what a Ctrl-C or SIGTERM left in `target`.

    Into an existing project, what the interrupt left is settled first (`recover`: a committed unit is
    completed, an uncommitted one discarded), so the message is true when it is printed.
    """
    if not existed:
        if target.is_dir() and (target / MANIFEST).is_file():  # the one rename had happened
            return Interrupted(f"Interrupted after {target} was written; the project is complete.")
        return Interrupted("Interrupted; nothing was written.")
    committed = (target / JOURNAL).is_file()
    try:
        recover(target)
    except Exception:  # what is left is still settled by the next run; say so rather than fail here
        return Interrupted(
            f"Interrupted while writing into {target}.",
            hint="Run the command again: it first completes or discards the interrupted change.",
        )
    if committed:
        return Interrupted(f"Interrupted while writing into {target}; the change was completed.")
    return Interrupted(f"Interrupted; nothing in {target} was changed.")


@contextmanager
def writing_into(target: Path, force: bool) -> Iterator[bool]:
    """Check the target and hold it while a project is written; yields whether it exists (see check_target).

    An existing target is locked against other writers. Folders made for the output are removed again
    when the command fails, and an interrupt becomes an `Interrupted` error that says what it left.
    """
    created = _missing_folders(target.parent)
    try:
        existing = check_target(target, force)
        remove_stale_staging(target)
        remove_stale_scratch()
        with exclusive(target) if existing else nullcontext():
            try:
                yield existing
            except KeyboardInterrupt:
                raise interrupted(target, existing) from None
    except BaseException:
        _remove_empty(created)
        raise


@contextmanager
def temp_scratch(kind: str) -> Iterator[Path]:
    """A private scratch folder in the system temp folder, removed on exit.

    A killed run's folder is removed by the next run (`remove_stale_scratch`), never while its run is alive.
    """
    remove_stale_scratch()
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{kind}-"))
    # Locked before it gets its name, so a marker is never seen unlocked while its run is alive.
    claim = folder / f"{_OWNER}.new"
    owner = os.open(claim, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(owner, fcntl.LOCK_EX)
        claim.rename(folder / _OWNER)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(owner)


def remove_stale_scratch(within: Path | None = None) -> list[Path]:
    """Remove scratch folders (`temp_scratch`) of runs that are gone: ours (marker, same user) and unlocked.

    Folders without the marker are left alone: they may be another program's, or a run still starting.
    """
    removed = []
    for folder in (within or Path(tempfile.gettempdir())).glob(f"{SCRATCH_PREFIX}*"):
        marker = folder / _OWNER
        try:
            if folder.is_symlink() or marker.is_symlink() or folder.lstat().st_uid != os.getuid():
                continue
            handle = os.open(marker, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        except OSError:  # no marker (not ours, or still starting), or gone meanwhile
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # its run holds it: alive
            continue
        finally:
            os.close(handle)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


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
    # A file where a folder belongs (or the reverse) or a link on the way: refused before anything is
    # written, or the journal would be committed and then fail half-way through its moves.
    blocked = list(dict.fromkeys(why for rel in staged if (why := obstacle(target, rel.as_posix()))))
    if blocked:
        listed = "; ".join(blocked[:3]) + (f"; and {len(blocked) - 3} more" if len(blocked) > 3 else "")
        raise TargetError(
            f"--force cannot write into {target}: {listed}; nothing was written.",
            hint="Move those away (dataforge never writes through or over links, or files and folders it did "
            "not make), or generate into a new folder.",
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
