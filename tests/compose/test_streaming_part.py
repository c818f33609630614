"""The streaming part renders into a kappa project: its stream modules and tests are valid Python.

The generated project's own tests (`tests/stream`) prove the streaming semantics with Spark; the end-to-end run
that executes them lives with the e2e tests. Here the render is checked without Spark: every file of the part
is rendered and compiles.
"""

from __future__ import annotations

import py_compile
from pathlib import Path

import pytest

from dataforge.commands.new import generate

MODULES = ("__init__", "events", "functions", "settings", "sink", "job")


@pytest.fixture(scope="module")
def kappa_project(tmp_path_factory) -> Path:
    return generate("Kafka to BigQuery streaming", output=tmp_path_factory.mktemp("kappa"), git=False).path


def test_the_stream_modules_and_their_tests_compile(kappa_project: Path) -> None:
    package = kappa_project / "src" / kappa_project.name / "stream"
    files = [package / f"{name}.py" for name in MODULES]
    files += sorted((kappa_project / "tests" / "stream").glob("*.py"))
    assert len(files) > len(MODULES)
    for path in files:
        py_compile.compile(str(path), doraise=True)
    assert "[[" not in (kappa_project / "tests" / "stream" / "conftest.py").read_text()


def test_the_streaming_steps_and_settings_reach_the_shared_files(kappa_project: Path) -> None:
    makefile = (kappa_project / "Makefile").read_text()
    assert "-m $(PROJECT).stream.events --ds $(DS)" in makefile
    assert "-m $(PROJECT).stream.job --ds $(DS)" in makefile
    assert "stream-reset:" in makefile
    env = (kappa_project / ".env.example").read_text()
    assert all(name in env for name in ("STREAM_WATERMARK", "STREAM_WINDOW", "CHECKPOINT_ROOT"))
