"""The commands that change an existing project keep its records consistent: manifest = pristine = disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.project.helpers import FILES, build_project
from tests.quality_suite import datagen

from dataforge.errors import TargetError
from dataforge.project import MANIFEST, Rendered, commit, digest, read_pristine
from dataforge.render.place import merge_into


def consistent(root: Path) -> None:
    """Every generated file's manifest hash is the hash of its pristine bytes, and nothing else is kept."""
    files = json.loads((root / MANIFEST).read_text())["files"]
    pristine = read_pristine(root)
    assert set(pristine) == {rel for rel, e in files.items() if e["part"] != "dataforge"}
    for rel, data in pristine.items():
        assert files[rel]["sha256"] == digest(data), rel


def test_merge_into_keeps_the_pristine_render_of_what_later_commands_added(tmp_path: Path) -> None:
    target = build_project(tmp_path / "shop")
    added = {"quality/expectations/partners.json": b"{}\n"}
    commit(target, added, {rel: Rendered("addons/quality_suite", d) for rel, d in added.items()})
    (target / "src/shop/__init__.py").unlink()  # the user deleted a generated file
    regenerated = {**FILES, "README.md": ("stages/base", b"# shop, regenerated\n")}
    staging = build_project(tmp_path / "staging", regenerated)
    written = merge_into(staging, target)
    assert "README.md" in written
    assert "src/shop/__init__.py" in written
    pristine = read_pristine(target)
    assert pristine["README.md"] == b"# shop, regenerated\n"
    assert pristine["quality/expectations/partners.json"] == b"{}\n"
    consistent(target)


def test_merge_into_refuses_edited_files_and_leaves_the_records_alone(tmp_path: Path) -> None:
    target = build_project(tmp_path / "shop")
    (target / "README.md").write_text("# mine\n")
    records = {p.name: p.read_bytes() for p in (target / ".dataforge").iterdir() if p.is_file()}
    staging = build_project(tmp_path / "staging", {**FILES, "README.md": ("stages/base", b"# new\n")})
    with pytest.raises(TargetError, match=r"README\.md"):
        merge_into(staging, target)
    assert records == {p.name: p.read_bytes() for p in (target / ".dataforge").iterdir() if p.is_file()}


def test_add_quality_suite_on_a_project_built_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Independent of `dataforge new`: stages inside the project, records every file it writes."""
    from dataforge.commands.add_quality_suite import plan_suite, write_suite
    from dataforge.render import tree

    root = build_project(tmp_path / "shop")
    sample = datagen.write_csv(root / "samples" / "partners.csv", datagen.rows())
    into: list[Path] = []
    real = tree.render_part

    def spying(part: Any, data: Any, folder: Path) -> None:
        into.append(folder)
        real(part, data, folder)

    monkeypatch.setattr(tree, "render_part", spying)
    plan = write_suite(plan_suite(root, "partners", from_data=sample))
    assert into
    assert into[0].is_relative_to(root / ".dataforge")  # never in the project's parent folder
    assert not into[0].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop"]
    expected = {
        "quality/expectations/partners.json",
        "quality/checkpoints/partners.json",
        "quality/suites/partners.md",
        "tests/quality/test_suite_partners.py",
        ".dataforge/answers/addons-quality_suite-partners.yml",
    }
    assert set(plan.written) == expected
    files = json.loads((root / MANIFEST).read_text())["files"]
    assert {rel for rel, e in files.items() if e["part"] == "addons/quality_suite"} == expected
    answers = (root / ".dataforge/answers/addons-quality_suite-partners.yml").read_text()
    assert "_src_path: dataforge:addons/quality_suite" in answers
    assert str(root) not in answers
    consistent(root)
    assert read_pristine(root)["quality/expectations/partners.json"] == (root / plan.suite_path).read_bytes()

    # Again, after the user edited the checkpoint: the checkpoint and its records are left alone.
    checkpoint = root / "quality/checkpoints/partners.json"
    checkpoint.write_text(checkpoint.read_text() + " ")
    pristine_checkpoint = read_pristine(root)["quality/checkpoints/partners.json"]
    again = write_suite(plan_suite(root, "partners", from_data=sample))
    assert again.kept == ["quality/checkpoints/partners.json"]
    assert again.written == []
    assert read_pristine(root)["quality/checkpoints/partners.json"] == pristine_checkpoint
