"""`dataforge update` and `dataforge check` end to end, through the CLI of a changed dataforge.

A blueprint change is made the way users meet it: a copy of this dataforge (code and blueprints, as an
editable install is) whose blueprints were edited. The project was generated (and committed) by the dataforge
under test; the copy updates it. Every test reads the project back from disk.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dataforge
from dataforge.commands.new import generate
from dataforge.compose import blueprints_root
from dataforge.project.pristine import read_pristine
from dataforge.project.records import digest, sha256

BATCH = "nightly load of Postgres tables into Snowflake"
BASE = "stages/base/template"


class Changed:
    """A copy of this dataforge whose blueprints a test edits: the `dataforge` a user upgraded to."""

    def __init__(self, folder: Path) -> None:
        shutil.copytree(Path(dataforge.__file__).parent, folder / "src" / "dataforge")
        shutil.copytree(blueprints_root(), folder / "blueprints")
        self.folder = folder
        self.blueprints = folder / "blueprints"

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace `old` (which must be there) by `new` in one blueprint file."""
        path = self.blueprints / rel
        text = path.read_text()
        assert old in text, f"{old!r} is not in {rel}"
        path.write_text(text.replace(old, new, 1))

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "dataforge", *args]

    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(self.folder / "src"), "NO_COLOR": "1", "COLUMNS": "200"}

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            cwd=cwd,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


@pytest.fixture
def changed(tmp_path: Path) -> Changed:
    return Changed(tmp_path / "dataforge-next")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generate(BATCH, output=tmp_path / "projects", name="shop", git=True).path


def git(root: Path, *args: str) -> str:
    who = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid"]
    return subprocess.run(["git", *who, *args], cwd=root, capture_output=True, text=True, check=True).stdout


def commit(root: Path, message: str = "my change") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the project but git's own, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts[:1]
    }


def records_match(root: Path) -> bool:
    """The pristine render holds exactly the generated files of the manifest, with the recorded hashes."""
    files = json.loads((root / ".dataforge/manifest.json").read_text())["files"]
    pristine = read_pristine(root)
    generated = {rel for rel, e in files.items() if e["part"] != "dataforge"}
    return set(pristine) == generated and all(
        files[rel]["sha256"] == digest(data) for rel, data in pristine.items()
    )


def lines_of(output: str, word: str) -> list[str]:
    """The files a summary line of `update` lists under one outcome word."""
    return sorted(line.split()[-1] for line in output.splitlines() if line.startswith(word))


def test_a_blueprint_change_and_your_edit_on_other_lines_merge_and_a_second_update_changes_nothing(
    changed: Changed, project: Path
) -> None:
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text() + "\nmine: ## a target of my own\n\t@echo mine\n")
    commit(project)
    changed.edit(f"{BASE}/Makefile.jinja", "VENV ?= .venv\n", "VENV ?= .venv\nNEW_FROM_BLUEPRINTS := 1\n")

    done = changed.run("update", "--yes", cwd=project)
    assert done.returncode == 0, done.stderr
    assert lines_of(done.stdout, "merged") == ["Makefile"]
    assert "Updated: 1 merged." in done.stdout
    text = makefile.read_text()
    assert "NEW_FROM_BLUEPRINTS := 1\n" in text
    assert "mine: ## a target of my own" in text
    assert "<<<<<<<" not in text
    assert git(project, "status", "--porcelain").split() == [
        "M",
        ".dataforge/manifest.json",
        "M",
        ".dataforge/pristine.tar.gz",
        "M",
        "Makefile",
    ]
    assert b"NEW_FROM_BLUEPRINTS" in read_pristine(project)["Makefile"]  # the new base for the next update
    assert b"mine:" not in read_pristine(project)["Makefile"]
    assert records_match(project)
    assert (
        subprocess.run(["make", "-n", "mine"], cwd=project, capture_output=True, check=False).returncode == 0
    )

    commit(project, "update")
    before = tree(project)
    again = changed.run("update", "--yes", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "Up to date with the installed blueprints; nothing to change." in again.stdout
    assert tree(project) == before
    assert changed.run("check", cwd=project).returncode == 0


def test_the_same_lines_conflict_with_both_sides_kept_and_listed(changed: Changed, project: Path) -> None:
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text().replace("VENV ?= .venv\n", "VENV ?= .venv-mine\n", 1))
    commit(project)
    changed.edit(f"{BASE}/Makefile.jinja", "VENV ?= .venv\n", "VENV ?= .venv-blueprints\n")

    done = changed.run("update", "--yes", cwd=project)
    assert done.returncode == 10  # CONFLICTS
    assert lines_of(done.stdout, "CONFLICT") == ["Makefile"]
    assert "1 file(s) hold conflict markers" in done.stderr
    text = makefile.read_text()
    ours, theirs = text.index("VENV ?= .venv-mine\n"), text.index("VENV ?= .venv-blueprints\n")
    assert text.index("<<<<<<< yours: Makefile") < ours < text.index("=======") < theirs
    assert theirs < text.index(">>>>>>> blueprints now: Makefile")
    leftovers = [p for p in project.rglob("*") if p.suffix in {".rej", ".orig"} or p.name.endswith("~")]
    assert leftovers == []
    assert records_match(project)


def test_your_files_stay_deleted_files_stay_deleted_and_blueprint_files_come_and_go(
    changed: Changed, project: Path
) -> None:
    (project / "docs" / "runbook-mine.md").write_text("# My runbook\n")
    (project / ".env.example").unlink()
    commit(project)
    changed.edit(f"{BASE}/.env.example.jinja", "\n", "\n# NEW_SETTING=1 (from the blueprints)\n")
    (changed.blueprints / BASE / "docs" / "operations.md").write_text(
        "# Operations\n\nNew in the blueprints.\n"
    )
    gone = next(p for p in sorted((project / "docs" / "adr").glob("*.md")))
    template = changed.blueprints / BASE / "docs" / "adr" / f"{gone.name}.jinja"
    assert template.is_file(), template
    template.unlink()

    done = changed.run("update", "--yes", cwd=project)
    assert done.returncode == 0, done.stderr
    assert lines_of(done.stdout, "kept deleted") == [".env.example"]
    assert lines_of(done.stdout, "added") == ["docs/operations.md"]
    assert lines_of(done.stdout, "removed") == [f"docs/adr/{gone.name}"]
    assert not (project / ".env.example").exists()  # deleted by you: it does not come back
    assert (project / "docs" / "runbook-mine.md").read_text() == "# My runbook\n"
    assert (project / "docs" / "operations.md").read_text().endswith("New in the blueprints.\n")
    assert not gone.exists()
    assert records_match(project)
    commit(project, "update")
    assert changed.run("update", "--yes", cwd=project).stdout.startswith("Up to date")


def test_an_edited_file_the_blueprints_no_longer_render_is_kept_as_yours(
    changed: Changed, project: Path
) -> None:
    adr = sorted((project / "docs" / "adr").glob("*.md"))[0]
    adr.write_text(adr.read_text() + "\nOur decision record.\n")
    commit(project)
    (changed.blueprints / BASE / "docs" / "adr" / f"{adr.name}.jinja").unlink()

    done = changed.run("update", "--yes", cwd=project)
    assert done.returncode == 0, done.stderr
    assert lines_of(done.stdout, "kept (no longer generated") == [f"docs/adr/{adr.name}"]
    assert adr.read_text().endswith("Our decision record.\n")
    files = json.loads((project / ".dataforge/manifest.json").read_text())["files"]
    assert f"docs/adr/{adr.name}" not in files  # the user's file from now on


def test_set_changes_an_answer_and_renders_the_project_again(changed: Changed, project: Path) -> None:
    dags = sorted(p for p in (project / "dags").rglob("*.py") if "0 2 * * *" in p.read_text())
    assert dags, "the generated DAG states the nightly schedule"

    done = changed.run("update", "--yes", "--set", "schedule=0 5 * * *", cwd=project)
    assert done.returncode == 0, done.stderr
    assert all("0 5 * * *" in p.read_text() and "0 2 * * *" not in p.read_text() for p in dags)
    assert "answers changed" in done.stdout
    answers = json.loads((project / ".dataforge/answers.json").read_text())
    assert answers["schedule"] == "0 5 * * *"
    decision = json.loads((project / ".dataforge/decision.json").read_text())
    assert decision.get("schedule", "0 5 * * *") == "0 5 * * *"
    commit(project, "update")
    assert changed.run("check", cwd=project).returncode == 0  # the recorded answer holds from now on


def test_add_ons_are_updated_too_and_your_suite_edits_stay(changed: Changed, project: Path) -> None:
    sample = project / "samples" / "partners.csv"
    sample.parent.mkdir()
    sample.write_text("partner_id,name\n" + "".join(f"{i},partner {i}\n" for i in range(1, 50)))
    commit(project, "sample")
    for args in (
        ("add-quality-suite", "partners", "--from-data", str(sample), "--yes"),
        ("add-ci", "--provider", "gitlab", "--yes"),
    ):
        done = subprocess.run(  # this dataforge (not the changed one) adds the suite and the CI
            [sys.executable, "-m", "dataforge", *args],
            cwd=project, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    suite_path = project / "quality/expectations/partners.json"
    suite = json.loads(suite_path.read_text())
    suite["expectations"].append({"type": "expect_column_values_to_be_unique", "kwargs": {"column": "name"}})
    suite_path.write_text(json.dumps(suite, indent=2) + "\n")
    commit(project, "suite, gitlab and my expectation")
    changed.edit(
        "addons/quality_suite/template/quality/suites/[[ dataset ]].md.jinja", "\n", "\n\nNEW SUITE DOC.\n"
    )
    gitlab = changed.blueprints / "ci/gitlab_ci/template/.gitlab-ci.yml.jinja"
    gitlab.write_text("# NEW CI COMMENT from the blueprints\n" + gitlab.read_text())

    done = changed.run("update", "--yes", cwd=project)
    assert done.returncode == 0, done.stderr
    assert lines_of(done.stdout, "updated") == [".gitlab-ci.yml", "quality/suites/partners.md"]
    assert "NEW SUITE DOC." in (project / "quality/suites/partners.md").read_text()
    assert (project / ".gitlab-ci.yml").read_text().startswith("# NEW CI COMMENT")
    assert json.loads(suite_path.read_text()) == suite  # the user's expectation stays
    assert not (project / ".github").exists()  # the provider recorded by add-ci is the one rendered
    assert records_match(project)


def test_dry_run_and_check_list_the_changes_and_write_nothing(changed: Changed, project: Path) -> None:
    assert changed.run("check", cwd=project).returncode == 0
    changed.edit(f"{BASE}/Makefile.jinja", "VENV ?= .venv\n", "VENV ?= .venv\nNEW_FROM_BLUEPRINTS := 1\n")
    before = tree(project)

    check = changed.run("check", cwd=project)
    assert check.returncode == 9  # BEHIND
    assert check.stdout.split() == ["behind", "Makefile"]
    assert "run `dataforge update`" in check.stderr
    dry = changed.run("update", "--dry-run", cwd=project)
    assert dry.returncode == 0, dry.stderr
    assert lines_of(dry.stdout, "updated") == ["Makefile"]
    assert "Dry run, nothing written: 1 updated." in dry.stdout
    assert tree(project) == before
    assert git(project, "status", "--porcelain") == ""


def _missing_pristine(root: Path) -> None:
    (root / ".dataforge/pristine.tar.gz").unlink()
    commit(root, "a clone without the merge base")


def _dirty(root: Path) -> None:
    (root / "Makefile").write_text((root / "Makefile").read_text() + "\n# uncommitted\n")


@pytest.mark.parametrize(
    ("spoil", "args", "code", "says"),
    [
        (None, ("--project", "{outside}"), 6, "is not inside a dataforge project"),
        (_dirty, (), 6, "has uncommitted changes (Makefile)"),
        (_missing_pristine, (), 6, "has no usable pristine render"),
        (None, ("--set", "colour=blue"), 2, "Unknown answer 'colour' cannot be set"),
        (None, ("--set", "schedule=every tuesday"), 2, "schedule"),
    ],
    ids=["outside-a-project", "dirty-tree", "missing-base", "unknown-answer", "bad-answer"],
)
def test_refusals_say_why_in_one_line_and_change_nothing(
    changed: Changed, project: Path, tmp_path: Path, spoil, args: tuple[str, ...], code: int, says: str
) -> None:
    changed.edit(f"{BASE}/Makefile.jinja", "VENV ?= .venv\n", "VENV ?= .venv\nNEW_FROM_BLUEPRINTS := 1\n")
    if spoil is not None:
        spoil(project)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    before = tree(project)
    done = changed.run("update", "--yes", *(a.format(outside=outside) for a in args), cwd=project)
    assert done.returncode == code, (done.stdout, done.stderr)
    assert says in done.stderr
    assert len(done.stderr.splitlines()) == 2  # error: ..., hint: ...
    assert "Traceback" not in done.stderr
    assert tree(project) == before
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("delay", [0.6, 1.2, 1.8, 2.4, 3.0, 3.6])
def test_kill_9_during_update_leaves_the_project_as_it_was_or_fully_updated(
    changed: Changed, project: Path, tmp_path: Path, delay: float
) -> None:
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text() + "\nmine: ## a target of my own\n\t@echo mine\n")
    commit(project)
    changed.edit(f"{BASE}/Makefile.jinja", "VENV ?= .venv\n", "VENV ?= .venv\nNEW_FROM_BLUEPRINTS := 1\n")
    changed.edit(f"{BASE}/README.md.jinja", "\n", "\n\nA new README line from the blueprints.\n")
    (changed.blueprints / BASE / "docs" / "operations.md").write_text("# Operations\n")
    before = tree(project)
    finished = tmp_path / "finished"
    shutil.copytree(project, finished)
    assert changed.run("update", "--yes", cwd=finished).returncode == 0
    after = tree(finished)
    assert after != before

    process = subprocess.Popen(
        changed.command("update", "--yes"), cwd=project, env=changed.env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    check = changed.run("check", cwd=project)  # the next command first cleans up what the kill left
    assert check.returncode in (0, 9), check.stderr
    state = tree(project)
    assert state in (before, after), sorted(
        k for k in set(state) | set(after) if state.get(k) != after.get(k)
    )
    if state == before:  # killed before its single commit point: running it again does the whole update
        again = changed.run("update", "--yes", cwd=project)
        assert again.returncode == 0, again.stderr
        assert tree(project) == after


def test_a_changed_pyproject_is_locked_again(changed: Changed, tmp_path: Path) -> None:
    root = generate(BATCH, output=tmp_path / "locked", name="shop", git=True, lock=True).path
    old_lock = (root / "uv.lock").read_text()
    changed.edit(f"{BASE}/pyproject.toml.jinja", 'version = "0.1.0"', 'version = "0.2.0"')

    done = changed.run("update", "--yes", cwd=root)
    assert done.returncode == 0, done.stderr
    assert lines_of(done.stdout, "updated") == ["pyproject.toml"]
    lock = (root / "uv.lock").read_text()
    assert 'name = "shop"\nversion = "0.2.0"' in lock
    entry = json.loads((root / ".dataforge/manifest.json").read_text())["files"]["uv.lock"]
    assert entry["sha256"] == sha256(root / "uv.lock")
    assert entry["derived"] == "uv lock"
    unchanged_pins = [line for line in old_lock.splitlines() if line.startswith('version = "')]
    assert len(unchanged_pins) == len([line for line in lock.splitlines() if line.startswith('version = "')])


def test_on_a_terminal_update_shows_the_changes_and_asks_first(changed: Changed, project: Path) -> None:
    import pexpect

    changed.edit(f"{BASE}/Makefile.jinja", "VENV ?= .venv\n", "VENV ?= .venv\nNEW_FROM_BLUEPRINTS := 1\n")
    before = tree(project)
    env = {**changed.env(), "TERM": "dumb"}
    child = pexpect.spawn(
        sys.executable, ["-m", "dataforge", "update"], cwd=str(project), env=env, encoding="utf-8", timeout=120,
        dimensions=(50, 200),
    )  # fmt: skip
    child.expect(r"updated\s+Makefile")
    child.expect(r"Write these changes\? \[Y/n\]:")
    child.sendline("n")
    child.expect("Nothing was written.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert tree(project) == before

    child = pexpect.spawn(
        sys.executable, ["-m", "dataforge", "update"], cwd=str(project), env=env, encoding="utf-8", timeout=120,
        dimensions=(50, 200),
    )  # fmt: skip
    child.expect(r"Write these changes\? \[Y/n\]:")
    child.sendline("y")
    child.expect(r"Updated: 1 updated\.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "NEW_FROM_BLUEPRINTS := 1" in (project / "Makefile").read_text()


def test_set_ci_provider_none_removes_the_ci_you_never_edited(changed: Changed, project: Path) -> None:
    workflow = project / ".github/workflows/ci.yml"
    assert workflow.is_file()

    done = changed.run("update", "--yes", "--set", "ci_provider=none", cwd=project)
    assert done.returncode == 0, done.stderr
    assert ".github/workflows/ci.yml" in lines_of(done.stdout, "removed")
    assert not workflow.exists()
    answers = json.loads((project / ".dataforge/answers.json").read_text())
    assert answers["ci_provider"] == "none"
    assert "ci" not in answers["components"]
    assert records_match(project)
    commit(project, "no CI")
    assert changed.run("check", cwd=project).returncode == 0
