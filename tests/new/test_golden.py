"""The whole tree generated for one requirement per pattern, compared file by file with tests/golden, and the
diffs between patterns for the same requirement (tests/golden/batch_vs_kappa.diff, kappa_vs_lambda.diff), so a
reviewer sees what a pattern changes.

After an intended change to a blueprint: `pytest tests/new/test_golden.py --update-golden`, then review
the diff of tests/golden in the commit. Volatile values (version, hashes) are masked.
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest

from dataforge import __version__
from dataforge.commands.new import generate

GOLDEN_ROOT = Path(__file__).resolve().parents[1] / "golden"
#: golden folder -> requirement (each chooses its own pattern: batch, kappa, lambda)
TREES = {
    "nightly_postgres_snowflake": "nightly load of Postgres tables into Snowflake",
    "kafka_bigquery_streaming": "Kafka to BigQuery streaming",
    "eventhubs_synapse_lambda": "live order counts from Event Hubs and a nightly recompute from ADLS, merged in Synapse",
}
#: The same requirement rendered by two patterns: what the pattern alone changes.
PATTERN_DIFFS = [
    ("Kafka to BigQuery streaming", "batch", "kappa"),
    ("Kafka to BigQuery streaming", "kappa", "lambda"),
]
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


@pytest.mark.parametrize("folder", list(TREES))
def test_generated_tree_matches_golden(tmp_path: Path, update_golden: bool, folder: str) -> None:
    golden = GOLDEN_ROOT / folder
    project = generate(TREES[folder], output=tmp_path, git=False).path
    actual = snapshot(project)
    if update_golden:
        shutil.rmtree(golden, ignore_errors=True)
        for rel, text in actual.items():
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden / rel).write_text(text)
    expected = snapshot(golden)
    assert sorted(actual) == sorted(expected), "file list differs; rerun with --update-golden if intended"
    for rel, text in expected.items():
        assert actual[rel] == text, f"{rel} differs from tests/golden; rerun with --update-golden if intended"


def pattern_diff(before: dict[str, str], after: dict[str, str], labels: tuple[str, str]) -> str:
    """A unified diff of two trees, file by file (added and removed files in full)."""
    lines: list[str] = []
    for rel in sorted(set(before) | set(after)):
        old, new = before.get(rel, ""), after.get(rel, "")
        if old != new:
            lines += difflib.unified_diff(
                old.splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile=f"{labels[0]}/{rel}" if rel in before else "/dev/null",
                tofile=f"{labels[1]}/{rel}" if rel in after else "/dev/null",
            )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@pytest.mark.parametrize(("requirement", "first", "second"), PATTERN_DIFFS)
def test_the_committed_pattern_diff_is_current(
    tmp_path: Path, update_golden: bool, requirement: str, first: str, second: str
) -> None:
    trees = [
        snapshot(generate(requirement, output=tmp_path / p, pattern=p, name="project", git=False).path)
        for p in (first, second)
    ]
    diff = pattern_diff(trees[0], trees[1], (first, second))
    committed = GOLDEN_ROOT / f"{first}_vs_{second}.diff"
    if update_golden:
        committed.write_text(diff)
    assert diff == committed.read_text(), "the pattern diff changed; rerun with --update-golden if intended"
