"""`dataforge update`'s plan on a generated project: the same blueprints change nothing; a blueprint change and a
user edit on other lines merge; the same lines conflict with both sides kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataforge.commands.new import generate
from dataforge.commands.rerender import recorded_answers
from dataforge.commands.update import plan_update
from dataforge.project import find_project
from dataforge.project.merge import Outcome


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("update")
    return generate("nightly load of Postgres tables into Snowflake", output=out, name="upd", git=False).path


def plan(project: Path, tmp_path: Path):
    return plan_update(project, tmp_path / "render", recorded_answers(find_project(project)))


def test_the_same_blueprints_and_answers_change_nothing(project: Path, tmp_path: Path) -> None:
    result = plan(project, tmp_path)
    assert result.merges
    assert result.changes == {}, sorted(result.changes)


def test_a_user_edit_survives_and_a_blueprint_change_arrives(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = project / "README.md"
    original = readme.read_bytes()
    try:
        readme.write_bytes(original.replace(b"## Architecture", b"## Architecture\n\nOur own note.", 1))
        from dataforge.commands import rerender

        rendered = rerender.render_project

        def changed_blueprints(answers, into):  # the installed blueprints now end the README with a new line
            owners = rendered(answers, into)
            (into / "README.md").write_bytes((into / "README.md").read_bytes() + b"\nA new blueprint line.\n")
            return owners

        monkeypatch.setattr(rerender, "render_project", changed_blueprints)
        result = plan(project, tmp_path)
        assert result.files(Outcome.MERGED) == ["README.md"]
        merged = result.merges["README.md"].content
        assert merged is not None
        assert b"Our own note." in merged
        assert merged.endswith(b"A new blueprint line.\n")
    finally:
        readme.write_bytes(original)


def test_update_writes_the_merge_and_a_second_update_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    from dataforge.commands import rerender
    from dataforge.commands.update import update

    root = generate(
        "nightly load of Postgres tables into Snowflake", output=tmp_path, name="upd2", git=False
    ).path
    makefile = root / "Makefile"
    makefile.write_bytes(makefile.read_bytes() + b"\nmine: ## a target of my own\n\t@echo mine\n")
    rendered = rerender.render_project

    def changed_blueprints(answers, into):
        owners = rendered(answers, into)
        (into / "Makefile").write_bytes(
            b"# a new first line from the blueprints\n" + (into / "Makefile").read_bytes()
        )
        return owners

    monkeypatch.setattr(rerender, "render_project", changed_blueprints)
    first = update(root)
    assert first.files(Outcome.MERGED) == ["Makefile"]
    text = makefile.read_text()
    assert text.startswith("# a new first line from the blueprints\n")
    assert "mine: ## a target of my own" in text
    second = update(root)
    assert second.changes == {}, sorted(second.changes)
    assert makefile.read_text() == text


def test_check_lists_the_files_behind_the_blueprints(project: Path, tmp_path: Path, monkeypatch) -> None:
    from dataforge.commands import rerender

    (tmp_path / "same").mkdir()
    (tmp_path / "changed").mkdir()
    assert plan(project, tmp_path / "same").behind == []
    rendered = rerender.render_project

    def changed_blueprints(answers, into):
        owners = rendered(answers, into)
        (into / ".env.example").write_bytes((into / ".env.example").read_bytes() + b"NEW_SETTING=1\n")
        return owners

    monkeypatch.setattr(rerender, "render_project", changed_blueprints)
    assert plan(project, tmp_path / "changed").behind == [".env.example"]
