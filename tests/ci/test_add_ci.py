"""`dataforge add-ci`: add or replace a project's CI, all or nothing, never over the user's edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.commands.add_ci import add_ci
from dataforge.commands.new import generate
from dataforge.errors import Interrupted
from dataforge.project import read_pristine, recover, replace_files, sha256

REQUIREMENT = "nightly postgres orders to snowflake"
GITHUB = ".github/workflows/ci.yml"
GITLAB = ".gitlab-ci.yml"


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("add-ci")
    return {
        ci: generate(REQUIREMENT, output=out / ci.replace("-", "_"), name="shop", ci=ci, git=False).path
        for ci in ("github", "gitlab", "none")
    }


def copy_of(templates: dict[str, Path], ci: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(templates[ci], tmp_path / "shop"))


def run(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["add-ci", *args, "--project", str(project), "--yes"])
    return result.exit_code, result.stdout, result.stderr


def tree(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()}


def manifest(project: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((project / ".dataforge" / "manifest.json").read_text())
    return loaded


def answers(project: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((project / ".dataforge" / "answers.json").read_text())
    return loaded


def assert_records_match_the_files(project: Path) -> None:
    """Every recorded file is on disk with its recorded hash; the pristine archive holds exactly those bytes."""
    files = manifest(project)["files"]
    assert isinstance(files, dict)
    pristine = read_pristine(project)
    for rel, entry in files.items():
        assert (project / rel).is_file(), f"{rel} is recorded but missing"
        assert sha256(project / rel) == entry["sha256"], f"{rel} differs from its record"
        if entry["part"] != "dataforge":
            assert pristine[rel] == (project / rel).read_bytes(), rel
    assert set(pristine) <= set(files)


def test_adds_ci_to_a_project_without_one(templates: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(templates, "none", tmp_path)
    code, out, err = run(project, "--provider", "gitlab")
    assert code == 0, err
    assert f"wrote {GITLAB}" in out
    # byte for byte what `new --ci gitlab` writes for the same project
    assert (project / GITLAB).read_bytes() == (templates["gitlab"] / GITLAB).read_bytes()
    assert (project / "README.md").read_bytes() != (templates["none"] / "README.md").read_bytes()
    assert "`.gitlab-ci.yml`" in (project / "README.md").read_text()
    recorded = answers(project)
    assert recorded["ci_provider"] == "gitlab_ci"
    assert recorded["components"][-1] == "ci"  # type: ignore[index]
    assert "ci/gitlab_ci" in manifest(project)["parts"]  # type: ignore[operator]
    assert manifest(project)["files"][GITLAB]["part"] == "ci/gitlab_ci"  # type: ignore[index]
    assert_records_match_the_files(project)


def test_replaces_github_by_gitlab(templates: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(templates, "github", tmp_path)
    (project / "notes.md").write_text("mine\n")  # a file of the user's own stays
    code, out, err = run(project, "--provider", "gitlab")
    assert code == 0, err
    assert f"removed {GITHUB}" in out
    assert not (project / ".github").exists()  # the folders it leaves empty go too
    assert not (project / ".dataforge/answers/ci-github_actions.yml").exists()
    assert (project / GITLAB).read_bytes() == (templates["gitlab"] / GITLAB).read_bytes()
    assert (project / "notes.md").read_text() == "mine\n"
    files = manifest(project)["files"]
    assert isinstance(files, dict)
    assert GITHUB not in files
    assert ".dataforge/answers/ci-github_actions.yml" not in files
    parts = manifest(project)["parts"]
    assert isinstance(parts, list)
    assert "ci/gitlab_ci" in parts
    assert "ci/github_actions" not in parts
    assert GITHUB not in read_pristine(project)
    assert answers(project)["ci_provider"] == "gitlab_ci"
    decision = json.loads((project / ".dataforge/decision.json").read_text())
    assert decision["ci_provider"] == "gitlab_ci"
    rules = [r["rule"] for r in answers(project)["reasons"]]  # type: ignore[attr-defined]
    assert "override.ci_provider" in rules
    assert "ci.default-github" not in rules
    assert_records_match_the_files(project)
    # the rest of the project is as `new --ci gitlab` made it; the README and ADR name the new CI and give
    # add-ci as the reason (where `new` gives --ci)
    prose = {"README.md", "docs/adr/0001-architecture.md"}
    same = {
        k: v
        for k, v in tree(templates["gitlab"]).items()
        if not k.startswith(".dataforge/") and k not in prose
    }
    assert {k: v for k, v in tree(project).items() if k in same} == same
    for rel in prose:
        assert "add-ci --provider gitlab" in (project / rel).read_text(), rel
    assert "`.gitlab-ci.yml`" in (project / "README.md").read_text()
    assert "`.github/workflows/ci.yml`" not in (project / "README.md").read_text()


def test_an_edited_workflow_is_never_deleted(templates: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(templates, "github", tmp_path)
    with (project / GITHUB).open("a") as handle:
        handle.write("# my own step\n")
    before = tree(project)
    code, _out, err = run(project, "--provider", "gitlab")
    assert code == 5
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("error: ")
    assert lines[1].startswith("hint: ")
    assert GITHUB in lines[0]
    assert "delete" in lines[0]
    assert "nothing was written" in lines[0]
    assert tree(project) == before


def test_a_file_of_the_users_own_where_the_new_provider_writes_is_never_overwritten(
    templates: dict[str, Path], tmp_path: Path
) -> None:
    project = copy_of(templates, "github", tmp_path)
    (project / GITLAB).write_text("test:\n  script: [echo mine]\n")
    before = tree(project)
    code, _, err = run(project, "--provider", "gitlab")
    assert code == 5
    assert GITLAB in err
    assert "overwrite" in err
    assert tree(project) == before


def test_an_edited_readme_is_kept_and_said(templates: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(templates, "github", tmp_path)
    with (project / "README.md").open("a") as handle:
        handle.write("\nOur notes.\n")
    readme = (project / "README.md").read_bytes()
    code, out, err = run(project, "--provider", "gitlab")
    assert code == 0, err
    assert "kept your edited README.md" in out
    assert (project / "README.md").read_bytes() == readme
    assert (project / GITLAB).is_file()
    assert not (project / GITHUB).exists()


def test_a_second_run_changes_nothing(templates: dict[str, Path], tmp_path: Path) -> None:
    project = copy_of(templates, "gitlab", tmp_path)
    before = tree(project)
    code, out, err = run(project, "--provider", "gitlab")
    assert code == 0, err
    assert "Already up to date" in out
    assert tree(project) == before


def test_a_second_run_restores_a_deleted_ci_file_and_keeps_an_edited_one(
    templates: dict[str, Path], tmp_path: Path
) -> None:
    project = copy_of(templates, "gitlab", tmp_path)
    (project / GITLAB).unlink()
    change = add_ci(project, "gitlab")
    assert change.written == [GITLAB]
    assert (project / GITLAB).read_bytes() == (templates["gitlab"] / GITLAB).read_bytes()
    (project / GITLAB).write_text("# mine\n")
    change = add_ci(project, "gitlab")
    assert change.written == []
    assert change.kept == [GITLAB]
    assert (project / GITLAB).read_text() == "# mine\n"


def test_outside_a_project_is_exit_6(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "--provider", "gitlab")
    assert code == 6
    assert "not inside a dataforge project" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("provider", ["circleci", "none", "github_actions"])
def test_an_unknown_provider_is_exit_2_and_lists_the_valid_ones(
    templates: dict[str, Path], tmp_path: Path, provider: str
) -> None:
    project = copy_of(templates, "github", tmp_path)
    before = tree(project)
    code, _, err = run(project, "--provider", provider)
    assert code == 2
    assert f"Unknown --provider value {provider!r}" in err
    assert "github, gitlab, azure-devops" in err
    assert tree(project) == before


def test_a_removal_committed_before_a_kill_is_completed_by_the_next_run(tmp_path: Path) -> None:
    """The journal's `remove` list is replayed like its moves: the unit ends complete, never half-applied."""
    (tmp_path / ".dataforge").mkdir()
    (tmp_path / "old" / "deep").mkdir(parents=True)
    (tmp_path / "old" / "deep" / "ci.yml").write_text("old\n")
    (tmp_path / ".dataforge" / "pending").mkdir()
    (tmp_path / ".dataforge" / "pending" / "new.yml").write_text("new\n")
    (tmp_path / ".dataforge" / "pending.json").write_text(
        json.dumps({"files": ["new.yml"], "remove": ["old/deep/ci.yml"]})
    )
    assert recover(tmp_path) is not None
    assert (tmp_path / "new.yml").read_text() == "new\n"
    assert not (tmp_path / "old").exists()
    assert not (tmp_path / ".dataforge" / "pending.json").exists()


def test_a_removal_outside_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".dataforge").mkdir()
    with pytest.raises(Exception, match="unsafe path"):
        replace_files(tmp_path, {"a.txt": b"a"}, remove=["../outside.txt"])
    assert not (tmp_path / "a.txt").exists()


def test_an_interrupt_after_the_commit_point_completes_the_change(
    templates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataforge.project.journal as journal

    project = copy_of(templates, "github", tmp_path)
    real = journal._replay
    interrupted: list[bool] = []

    def stop_once(*args: object, **kwargs: object) -> None:
        if not interrupted:
            interrupted.append(True)
            raise KeyboardInterrupt
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(journal, "_replay", stop_once)
    with pytest.raises(Interrupted, match="the change was completed"):
        add_ci(project, "gitlab")
    assert (project / GITLAB).is_file()
    assert not (project / GITHUB).exists()
    assert answers(project)["ci_provider"] == "gitlab_ci"
    assert_records_match_the_files(project)


def test_an_interrupt_before_the_commit_point_changes_nothing(
    templates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataforge.project.records as records

    project = copy_of(templates, "github", tmp_path)
    before = tree(project)

    def stop(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(records, "record_files", stop)
    with pytest.raises(Interrupted, match=r"nothing in .* was changed"):
        add_ci(project, "gitlab")
    assert tree(project) == before


def test_add_ci_writes_only_inside_the_project(templates: dict[str, Path], tmp_path: Path) -> None:
    import tempfile

    from tests.project.test_writes_stay_inside import written_paths

    project = copy_of(templates, "github", tmp_path)
    with written_paths() as written:
        change = add_ci(project, "azure-devops")
    assert change.written
    assert written  # the hook saw the writes
    beside = [path for path in written if not Path(path).is_relative_to(project)]
    elsewhere = {"/dev/null", tempfile.gettempdir()}  # copier's own scratch
    assert [p for p in beside if not any(Path(p).is_relative_to(e) for e in elsewhere)] == []
    assert [p for p in beside if Path(p).is_relative_to(tmp_path)] == []  # nothing beside the project
