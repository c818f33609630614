"""`git init` and a first commit for a new project; a missing git is a warning, not a failure."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

_FALLBACK_IDENTITY = ("-c", "user.name=dataforge", "-c", "user.email=dataforge@localhost")


def init_repository(path: Path, message: str) -> str | None:
    """Initialise a repository with one commit; return a warning when that could not be done."""
    git = shutil.which("git")
    if git is None:
        return "git is not on PATH; the project was not put under version control."

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([git, *args], cwd=path, capture_output=True, text=True, check=False)

    has_identity = run("config", "user.email").returncode == 0 and run("config", "user.name").returncode == 0
    identity = () if has_identity else _FALLBACK_IDENTITY
    steps = {
        "init": ("init", "-q", "-b", "main"),
        "add": ("add", "-A"),
        "commit": (*identity, "commit", "-q", "--no-verify", "-m", message),
    }
    for name, args in steps.items():
        done = run(*args)
        if done.returncode != 0:
            return f"git {name} failed, so the project is not committed: {done.stderr.strip()[:200]}"
    return None
