"""A unit of writes is refused before its first write when a destination cannot take a regular file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.project.test_journal_safety import snapshot

from dataforge.errors import ProjectError, TargetError
from dataforge.project import JOURNAL, PENDING, obstacle, recover, replace_files


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A user's home with an outside folder and a project: home/outside, home/shop."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "keep.txt").write_text("the user's own\n")
    (tmp_path / "shop" / ".dataforge").mkdir(parents=True)
    (tmp_path / "shop" / "README.md").write_text("# shop\n")
    return tmp_path


def make_file_where_folder(project: Path, outside: Path) -> None:
    (project / "tests").write_text("a file the user made\n")


def make_folder_where_file(project: Path, outside: Path) -> None:
    (project / "Makefile").mkdir()


def make_folder_link_out(project: Path, outside: Path) -> None:
    (project / "tests").symlink_to(outside)


def make_folder_link_in(project: Path, outside: Path) -> None:
    (project / "elsewhere").mkdir()
    (project / "tests").symlink_to(project / "elsewhere")


def make_dangling_link_out(project: Path, outside: Path) -> None:
    (project / "Makefile").symlink_to(outside / "missing")


def make_dangling_link_in(project: Path, outside: Path) -> None:
    (project / "Makefile").symlink_to("missing")


CLASHES = {
    make_file_where_folder: "tests is a file where dataforge writes a folder",
    make_folder_where_file: "Makefile is a folder where dataforge writes a file",
    make_folder_link_out: "tests is a link",
    make_folder_link_in: "tests is a link",
    make_dangling_link_out: "Makefile is a link",
    make_dangling_link_in: "Makefile is a link",
}
WRITES = {"README.md": b"# new\n", "Makefile": b"all:\n", "tests/test_a.py": b"", "tests/unit/test_b.py": b""}


@pytest.mark.parametrize(("clash", "reason"), CLASHES.items(), ids=lambda c: getattr(c, "__name__", ""))
def test_obstacle_names_the_clash(home: Path, clash: object, reason: str) -> None:
    project = home / "shop"
    clash(project, home / "outside")  # type: ignore[operator]
    found = {obstacle(project, rel) for rel in WRITES} - {None}
    assert found == {reason}


def test_no_obstacle_for_missing_or_regular_paths(home: Path) -> None:
    project = home / "shop"
    (project / "tests").mkdir()
    assert [obstacle(project, rel) for rel in WRITES] == [None] * len(WRITES)


@pytest.mark.parametrize(("clash", "reason"), CLASHES.items(), ids=lambda c: getattr(c, "__name__", ""))
def test_replace_files_refuses_a_clash_before_writing_anything(
    home: Path, clash: object, reason: str
) -> None:
    project = home / "shop"
    clash(project, home / "outside")  # type: ignore[operator]
    before = snapshot(home)
    links = sorted(p.relative_to(home) for p in home.rglob("*") if p.is_symlink())
    with pytest.raises(TargetError, match=reason):
        replace_files(project, WRITES)
    assert snapshot(home) == before
    assert sorted(p.relative_to(home) for p in home.rglob("*") if p.is_symlink()) == links
    assert not (project / JOURNAL).exists()
    assert not (project / PENDING).exists()
    assert recover(project) is None  # nothing for the next run to replay: later writes are not blocked


def test_a_committed_journal_whose_destination_became_blocked_moves_nothing(home: Path) -> None:
    project = home / "shop"
    for rel in ("README.md", "tests/test_a.py"):
        (project / PENDING / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / PENDING / rel).write_text("staged\n")
    (project / JOURNAL).write_text(json.dumps({"files": ["README.md", "tests/test_a.py"]}))
    (project / "tests").write_text("a file the user made\n")
    before = snapshot(home)
    with pytest.raises(ProjectError, match="tests is a file where dataforge writes a folder"):
        recover(project)
    assert snapshot(home) == before
