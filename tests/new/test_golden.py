"""The whole tree generated for one batch requirement, compared file by file with tests/golden.

After an intended change to a blueprint: `pytest tests/new/test_golden.py --update-golden`, then review
the diff of tests/golden in the commit. Volatile values (version, hashes) are masked.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from dataforge import __version__
from dataforge.commands.new import generate

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "nightly_postgres_snowflake"
REQUIREMENT = "nightly load of Postgres tables into Snowflake"
_SHA = re.compile(r'"sha256": "[0-9a-f]{64}"')


def masked(text: str) -> str:
    text = _SHA.sub('"sha256": "<sha256>"', text)
    return text.replace(__version__, "<version>")


def golden_name(rel: str) -> str:
    # A .gitignore stored in tests/golden would make git ignore golden files below it.
    return rel.replace(".gitignore", "dot-gitignore")


def read(path: Path) -> str:
    """A file as text; the pristine render archive as the list of files it holds (its bytes hold hashes)."""
    if path.name == "pristine.tar.gz" and path.read_bytes()[:2] == b"\x1f\x8b":  # golden holds the list
        import io
        import tarfile

        with tarfile.open(fileobj=io.BytesIO(path.read_bytes())) as archive:
            return "\n".join(sorted(archive.getnames())) + "\n"
    return masked(path.read_text())


def snapshot(root: Path) -> dict[str, str]:
    return {
        golden_name(p.relative_to(root).as_posix()): read(p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def test_generated_tree_matches_golden(tmp_path: Path, update_golden: bool) -> None:
    project = generate(REQUIREMENT, output=tmp_path, git=False).path
    actual = snapshot(project)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in actual.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text)
    expected = snapshot(GOLDEN)
    assert sorted(actual) == sorted(expected), "file list differs; rerun with --update-golden if intended"
    for rel, text in expected.items():
        assert actual[rel] == text, f"{rel} differs from tests/golden; rerun with --update-golden if intended"
