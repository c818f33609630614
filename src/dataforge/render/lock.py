"""Stage 5b: pin the staged project's dependencies in `uv.lock` (`uv lock`) before the project is placed.

The lock is generated output: it is written into the staging folder, so it lands with the project (and in
its first commit) or not at all. It needs uv and the package index, so when uv is missing, offline, slow
or failing, the project is still written, unlocked, with a one-line warning; its `make setup` (or
`make lock`) writes the lock later.

uv runs on a copy of `pyproject.toml` in a private scratch folder, never in the user's tree: the lock
depends only on that file (its metadata is static), and uv would otherwise adopt an enclosing uv
workspace and rewrite that workspace's `uv.lock` outside the target.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

from dataforge.render.place import temp_scratch

LOCK_FILE = "uv.lock"
#: How the lock is derived from the render; recorded in the manifest so `update` re-runs it.
LOCK_COMMAND = "uv lock"
#: A cold uv cache resolves a generated project in about a minute; this leaves room without hanging.
LOCK_TIMEOUT_SECONDS = 180.0
_HINT = "run `make lock` in the project once uv and the package index are reachable"
# A quoted value naming this machine: an absolute or home path, a file URL, a Windows drive.
_MACHINE_PATH = re.compile(r"""["'](?:/|~|file:|[A-Za-z]:[\\/])""")


def machine_paths(text: str) -> list[str]:
    """The lines of a lock file that name a place on this machine (they would not work anywhere else)."""
    return [line.strip() for line in text.splitlines() if _MACHINE_PATH.search(line)]


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill uv and everything it started (builds of source distributions hold its pipes open)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):  # a child that left the group: stop waiting for it
        process.communicate(timeout=5)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=1)  # uv itself is dead either way: reap it


def _run_uv(uv: str, folder: Path, timeout: float) -> str | None:
    """Run `uv lock` in folder; return why it failed, or None."""
    env = {**os.environ, "UV_NO_PROGRESS": "1"}
    for name in ("UV_FROZEN", "UV_LOCKED", "VIRTUAL_ENV"):  # they would stop or redirect a fresh lock
        env.pop(name, None)
    process = subprocess.Popen(
        [uv, "lock", "--quiet"],
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, so a timeout or Ctrl-C stops all of it
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        return f"`uv lock` did not finish within {timeout:.0f} s"
    except BaseException:  # Ctrl-C, SIGTERM: the group does not get the terminal's signal, so stop it here
        _stop(process)
        raise
    if process.returncode != 0:
        lines = [line for line in stderr.decode(errors="replace").splitlines() if line.strip()]
        errors = [line for line in lines if line.lstrip().startswith("error")]
        reason = (errors or lines or [""])[0]
        return f"`uv lock` failed ({reason.strip()[:160] or f'exit {process.returncode}'})"
    return None


def lock_dependencies(staging: Path, *, seed: Path | None = None, timeout: float | None = None) -> str | None:
    """Write `staging/uv.lock` from `staging/pyproject.toml`; return a warning when no lock was written.

    `seed` is an existing `uv.lock` (the target's, for `new --force`): uv starts from it, so the pins it
    holds are kept wherever the new pyproject.toml still allows them.
    """
    timeout = LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    uv = shutil.which("uv")
    if uv is None:
        return f"uv is not on PATH, so no {LOCK_FILE} was written: {_HINT}."
    if not (staging / "pyproject.toml").is_file():
        return f"the project has no pyproject.toml, so no {LOCK_FILE} was written."
    # In the system temp folder (see the module docstring); a killed run's folder is removed by the next run.
    with temp_scratch("lock") as folder:
        shutil.copyfile(staging / "pyproject.toml", folder / "pyproject.toml")
        if seed is not None and seed.is_file() and not seed.is_symlink():
            shutil.copyfile(seed, folder / LOCK_FILE)
        failure = _run_uv(uv, folder, timeout)
        lock = folder / LOCK_FILE
        if failure is None and not lock.is_file():
            failure = f"`uv lock` wrote no {LOCK_FILE}"
        if failure is None and (found := machine_paths(lock.read_text(encoding="utf-8", errors="replace"))):
            failure = f"{LOCK_FILE} names a path on this machine ({found[0][:80]}), so it was not kept"
        if failure is not None:
            return f"{failure}; the project is complete but has no {LOCK_FILE}: {_HINT}."
        shutil.copyfile(lock, staging / LOCK_FILE)
    return None
