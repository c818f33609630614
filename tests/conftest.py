from __future__ import annotations

import os
from pathlib import Path

import pytest

#: uv's package cache, shared by every generated project's `make setup` and lock in this run. Tests get a fresh
#: HOME each, and uv keeps its cache under HOME, so without this every project downloaded and unpacked the whole
#: stack again (about 30 s a project; 2 s from a warm cache). The cache holds only packages, keyed by their hashes.
UV_CACHE_DIR = os.environ.get("UV_CACHE_DIR") or str(Path.home() / ".cache" / "uv")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden from the current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the developer's HOME, git identity and terminal width."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("UV_CACHE_DIR", UV_CACHE_DIR)
    monkeypatch.delenv("DATAFORGE_DEBUG", raising=False)
    # `new` locks dependencies with uv and the package index by default; tests that want a lock ask for it.
    monkeypatch.setenv("DATAFORGE_LOCK", "0")
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        monkeypatch.delenv(name, raising=False)
