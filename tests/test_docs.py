"""The CLI reference in docs/ is generated from the app and must not drift from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "cli.md"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "typer",
            "dataforge.cli",
            "utils",
            "docs",
            "--name",
            "dataforge",
            "--output",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert out.read_text() == (ROOT / "docs" / "cli.md").read_text(), (
        "docs/cli.md is stale: run `typer dataforge.cli utils docs --name dataforge --output docs/cli.md`"
    )


def test_every_exit_code_is_documented() -> None:
    from dataforge.errors import ExitCode

    text = (ROOT / "docs" / "exit-codes.md").read_text()
    for code in ExitCode:
        assert f"| {int(code)} | `{code.name}`" in text, code.name
