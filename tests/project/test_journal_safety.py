"""The journal is read back from disk: a planted one must not move or write anything outside the project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dataforge.errors import ProjectError
from dataforge.project import JOURNAL, PENDING, recover, replace_files


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A user's home with a project two folders down: home/work/shop."""
    (tmp_path / ".bashrc").write_text("the user's own\n")
    (tmp_path / "work" / "shop" / ".dataforge").mkdir(parents=True)
    return tmp_path


def plant(project: Path, files: list[str], pending: dict[str, str]) -> None:
    for rel, text in pending.items():
        path = project / PENDING / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (project / JOURNAL).write_text(json.dumps({"files": files}))


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "rel", ["../../.bashrc", "src/../../../.bashrc", "/HOME/.bashrc", "", "a\\..\\b", 7, None]
)
def test_a_journal_naming_a_path_outside_moves_nothing(home: Path, rel: object) -> None:
    project = home / "work" / "shop"
    target = str(home / ".bashrc") if rel == "/HOME/.bashrc" else rel
    # `.dataforge/pending/../../.bashrc` is the project's own `.bashrc`: the planted payload.
    (project / ".bashrc").write_text("planted\n")
    plant(project, ["README.md", target], {"README.md": "fine\n"})  # type: ignore[list-item]
    before = snapshot(home)
    with pytest.raises(ProjectError, match="unsafe path") as error:
        recover(project)
    assert "pending.json" in error.value.message
    assert snapshot(home) == before  # not even the safe entry was moved


def test_a_journal_through_a_link_leading_out_moves_nothing(home: Path) -> None:
    project = home / "work" / "shop"
    (project / "link").symlink_to(home)
    plant(project, ["link/.bashrc"], {"link/.bashrc": "planted\n"})
    with pytest.raises(ProjectError, match="unsafe path"):
        recover(project)
    assert (home / ".bashrc").read_text() == "the user's own\n"


def test_a_pending_folder_linked_outside_is_not_emptied_or_read(home: Path) -> None:
    project = home / "work" / "shop"
    (project / PENDING).symlink_to(home)
    (project / JOURNAL).write_text(json.dumps({"files": [".bashrc"]}))
    with pytest.raises(ProjectError, match="unsafe path"):
        recover(project)
    assert (home / ".bashrc").read_text() == "the user's own\n"
    assert not (project / ".bashrc").exists()


def test_an_uncommitted_pending_link_is_removed_not_followed(home: Path) -> None:
    project = home / "work" / "shop"
    (project / PENDING).symlink_to(home)
    assert recover(project) is not None
    assert not (project / PENDING).is_symlink()
    assert (home / ".bashrc").read_text() == "the user's own\n"


def test_replace_files_refuses_paths_outside_and_writes_nothing(home: Path) -> None:
    project = home / "work" / "shop"
    before = snapshot(home)
    with pytest.raises(ProjectError, match="unsafe path"):
        replace_files(project, {"README.md": b"x", "../../.bashrc": b"planted\n"})
    assert snapshot(home) == before


def test_a_planted_scratch_link_is_not_written_through(home: Path) -> None:
    project = home / "work" / "shop"
    (project / JOURNAL.with_name("pending.json.tmp")).symlink_to(home / ".bashrc")
    replace_files(project, {"README.md": b"# shop\n"})
    assert (project / "README.md").read_bytes() == b"# shop\n"
    assert (home / ".bashrc").read_text() == "the user's own\n"


def test_a_linked_records_folder_is_refused(home: Path) -> None:
    project = home / "work" / "other"
    project.mkdir()
    (project / ".dataforge").symlink_to(home)
    with pytest.raises(ProjectError, match="unsafe path"):
        replace_files(project, {"README.md": b"x"})
    assert not (home / "pending").exists()
