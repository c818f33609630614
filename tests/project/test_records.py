"""The records owner: deterministic pristine archive, refused unsafe paths, answers schema, find_project."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest
from tests.project.helpers import FILES, build_project, member, tar_gz

from dataforge.errors import ProjectError
from dataforge.project import (
    ANSWERS_SCHEMA_VERSION,
    MANIFEST,
    PRISTINE,
    Rendered,
    commit,
    digest,
    find_project,
    is_user_edited,
    pack,
    read_answers,
    read_manifest,
    read_pristine,
    record_files,
    unpack,
)

GENERATED = {rel: data for rel, (_, data) in FILES.items()}


def manifest_of(root: Path) -> dict[str, dict[str, str]]:
    files: dict[str, dict[str, str]] = json.loads((root / MANIFEST).read_text())["files"]
    return files


# The pristine render ----------------------------------------------------------------------------------


def test_write_records_keeps_the_exact_bytes_of_every_generated_file_but_not_the_records(
    tmp_path: Path,
) -> None:
    root = build_project(tmp_path)
    assert read_pristine(root) == GENERATED
    recorded = manifest_of(root)
    for rel, data in GENERATED.items():
        assert recorded[rel] == {"part": FILES[rel][0], "sha256": digest(data)}
    assert recorded[".dataforge/answers.json"]["part"] == "dataforge"
    assert PRISTINE.as_posix() not in recorded


def test_the_same_render_gives_the_same_archive_bytes(tmp_path: Path) -> None:
    first = build_project(tmp_path / "a")
    second = build_project(tmp_path / "b", dict(reversed(list(FILES.items()))))  # other order, other time
    assert (first / PRISTINE).read_bytes() == (second / PRISTINE).read_bytes()
    assert pack(GENERATED) == (first / PRISTINE).read_bytes()


def test_archive_entries_carry_no_time_owner_or_user_names(tmp_path: Path) -> None:
    blob = (build_project(tmp_path) / PRISTINE).read_bytes()
    assert blob[4:8] == b"\0\0\0\0"  # gzip header mtime
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as archive:
        members = archive.getmembers()
    assert [m.name for m in members] == sorted(GENERATED)
    for m in members:
        assert (m.mtime, m.uid, m.gid, m.uname, m.gname, m.mode) == (0, 0, 0, "", "", 0o644)
        assert m.isreg()


def test_a_project_without_an_archive_has_no_pristine_render(tmp_path: Path) -> None:
    root = build_project(tmp_path)
    (root / PRISTINE).unlink()
    assert read_pristine(root) == {}


@pytest.mark.parametrize(
    "bad",
    [
        member("/etc/passwd"),
        member("../outside.txt"),
        member("src/../../outside.txt"),
        member("link", tarfile.SYMTYPE, "/etc/passwd"),
        member("hard", tarfile.LNKTYPE, "README.md"),
        member("folder", tarfile.DIRTYPE),
        member("dev", tarfile.CHRTYPE),
    ],
    ids=["absolute", "dotdot", "inner-dotdot", "symlink", "hardlink", "folder", "device"],
)
def test_unsafe_archive_entries_are_refused(tmp_path: Path, bad: tarfile.TarInfo) -> None:
    root = build_project(tmp_path)
    (root / PRISTINE).write_bytes(tar_gz((member("README.md"), b"# shop\n"), (bad, b"x")))
    with pytest.raises(ProjectError, match="unsafe path"):
        read_pristine(root)


def test_duplicate_entries_are_refused() -> None:
    with pytest.raises(ProjectError, match="unsafe path"):
        unpack(tar_gz((member("a"), b"1"), (member("a"), b"2")))


@pytest.mark.parametrize("blob", [b"", b"not gzip", gzip.compress(b"not a tar" * 100)])
def test_a_corrupt_archive_is_a_project_error_with_a_hint(tmp_path: Path, blob: bytes) -> None:
    root = build_project(tmp_path)
    (root / PRISTINE).write_bytes(blob)
    with pytest.raises(ProjectError, match=r"pristine\.tar\.gz is corrupt") as error:
        read_pristine(root)
    assert "git checkout -- .dataforge" in error.value.hint


def test_an_archive_linked_elsewhere_is_refused(tmp_path: Path) -> None:
    root = build_project(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere.tar.gz"
    elsewhere.write_bytes(pack({"a": b"a"}))
    (root / PRISTINE).unlink()
    (root / PRISTINE).symlink_to(elsewhere)
    with pytest.raises(ProjectError, match="unsafe path"):
        read_pristine(root)


# The manifest -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["/etc/passwd", "../x", "a/../../x", "C:/x", "a\\..\\x", ""])
def test_a_manifest_naming_unsafe_paths_is_refused(tmp_path: Path, rel: str) -> None:
    root = build_project(tmp_path)
    manifest = json.loads((root / MANIFEST).read_text())
    manifest["files"][rel] = {"part": "stages/base", "sha256": "0" * 64}
    (root / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ProjectError, match="unsafe path"):
        find_project(root)
    with pytest.raises(ProjectError, match="unsafe path"):
        read_manifest(root)


def test_is_user_edited(tmp_path: Path) -> None:
    root = build_project(tmp_path)
    assert not is_user_edited(root, "README.md")
    assert not is_user_edited(root, "missing.txt")  # absent: nothing to keep
    (root / "README.md").write_text("# mine\n")
    assert is_user_edited(root, "README.md")
    (root / "notes.txt").write_text("mine")
    assert is_user_edited(root, "notes.txt")  # never generated
    with pytest.raises(ProjectError):
        is_user_edited(root, "../notes.txt")


def test_commit_writes_files_and_their_records_together(tmp_path: Path) -> None:
    root = build_project(tmp_path)
    new = {"quality/expectations/partners.json": b"{}\n"}
    commit(root, new, {rel: Rendered("addons/quality_suite", data) for rel, data in new.items()})
    assert (root / "quality/expectations/partners.json").read_bytes() == b"{}\n"
    assert read_pristine(root) == {**GENERATED, **new}
    recorded = manifest_of(root)
    assert recorded["quality/expectations/partners.json"] == {
        "part": "addons/quality_suite",
        "sha256": digest(b"{}\n"),
    }
    assert recorded["README.md"]["part"] == "stages/base"  # other entries kept


def test_record_files_records_the_pristine_bytes_not_what_is_on_disk(tmp_path: Path) -> None:
    root = build_project(tmp_path)
    records = record_files(root, {"README.md": Rendered("stages/base", b"# new\n")})
    assert unpack(records[PRISTINE.as_posix()])["README.md"] == b"# new\n"
    manifest = json.loads(records[MANIFEST.as_posix()])
    assert manifest["files"]["README.md"]["sha256"] == digest(b"# new\n")
    assert (root / "README.md").read_bytes() == b"# shop\n"  # nothing written yet


# Answers ------------------------------------------------------------------------------------------------


def test_answers_carry_the_schema_version(tmp_path: Path) -> None:
    answers = read_answers(build_project(tmp_path))
    assert answers["answers_schema_version"] == ANSWERS_SCHEMA_VERSION
    assert answers["project_name"] == "shop"


def test_answers_without_a_version_are_the_first_schema(tmp_path: Path) -> None:
    root = build_project(tmp_path)
    (root / ".dataforge/answers.json").write_text(json.dumps({"project_name": "shop"}))
    assert read_answers(root)["answers_schema_version"] == 1


def test_answers_of_a_newer_schema_are_refused(tmp_path: Path) -> None:
    root = build_project(tmp_path)
    (root / ".dataforge/answers.json").write_text(json.dumps({"answers_schema_version": 99}))
    with pytest.raises(ProjectError, match="newer dataforge") as error:
        read_answers(root)
    assert "answers schema 99" in error.value.message
    assert "Upgrade dataforge" in error.value.hint


@pytest.mark.parametrize(
    "text", ["{not json", "[]", '{"answers_schema_version": "2"}', '{"answers_schema_version": 0}']
)
def test_corrupt_answers_are_a_project_error(tmp_path: Path, text: str) -> None:
    root = build_project(tmp_path)
    (root / ".dataforge/answers.json").write_text(text)
    with pytest.raises(ProjectError, match=r"answers\.json is missing or corrupt"):
        read_answers(root)


# Finding the project ------------------------------------------------------------------------------------


def test_find_project_walks_up_from_a_subfolder(tmp_path: Path) -> None:
    root = build_project(tmp_path)
    project = find_project(root / "src" / "shop")
    assert project.root == root.resolve()
    assert project.part_of("README.md") == "stages/base"
    assert project.part_of("nothing") is None
    assert project.answers()["project_name"] == "shop"
    assert project.pristine() == GENERATED


def test_find_project_outside_any_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="not inside a dataforge project") as error:
        find_project(tmp_path)
    assert "dataforge new" in error.value.hint


@pytest.mark.parametrize("text", [None, "{not json", "[]", '{"files": []}', '{"files": {"a": "hash"}}'])
def test_find_project_with_a_missing_or_corrupt_manifest(tmp_path: Path, text: str | None) -> None:
    root = build_project(tmp_path)
    if text is None:
        (root / MANIFEST).unlink()
    else:
        (root / MANIFEST).write_text(text)
    with pytest.raises(ProjectError, match=r"manifest\.json is missing or corrupt") as error:
        find_project(root)
    assert "git checkout -- .dataforge" in error.value.hint
    assert read_manifest(root) == {}  # the lenient reader treats every file as the user's


def test_find_project_refuses_a_linked_records_folder(tmp_path: Path) -> None:
    elsewhere = build_project(tmp_path / "elsewhere")
    project = tmp_path / "cloned"
    project.mkdir()
    (project / ".dataforge").symlink_to(elsewhere / ".dataforge")
    with pytest.raises(ProjectError, match="unsafe path"):
        find_project(project)
