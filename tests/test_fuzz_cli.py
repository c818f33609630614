"""Fuzzing the command line: whatever a user types, the answer is a documented exit code, never a crash.

Inputs come from hypothesis (requirement, --name, --set KEY=VALUE, answers-file bytes, dataset and column
names). "Never a crash" means: no traceback, no exit 1 (internal error) or 8 (a rendered project that fails
its own validation, "please report this"), and a failure says exactly `error: ...` then `hint: ...`.
Rendering takes seconds, so the broad fuzzing stops after the input checks (`write` is replaced by a stub);
a few hostile texts that pass the checks are then rendered for real with `--dry-run`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dataforge.answers.schema import SETTABLE
from dataforge.cli import app
from dataforge.commands import new as new_command

runner = CliRunner()
REQUIREMENT = "nightly load of Postgres into Snowflake on AWS"
# Characters that have meant something somewhere: template delimiters, quotes, escapes, shell, HCL, YAML.
HOSTILE = st.sampled_from(
    ["[[", "]]", "[%", "%]", "{{", "}}", "${", "%{", "$(", "`", "'", '"', "\\", "\n", "\r", "\t", ": ", "- ",
     "#", "*a", "&a", "\x00", "\x1b[31m", "\udcff", "\u202e", "é", "\u2028", "---", "..", "/", ";", "|"]
)  # fmt: skip
TEXT = st.lists(st.one_of(HOSTILE, st.text(max_size=8)), max_size=8).map("".join)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(result: Any, allowed: set[int]) -> None:
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in allowed, (result.exit_code, result.output)
    if result.exit_code:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 2, result.stderr
        assert lines[0].startswith("error: "), result.stderr
        assert lines[1].startswith("hint: "), result.stderr


@pytest.fixture
def checks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """`new` runs every input check (`prepare`), then stops before rendering."""

    def write(prepared: Any, **_: Any) -> Any:
        return new_command.Generated(prepared.target, prepared.decision, prepared.answers, [], dry_run=True)

    monkeypatch.setattr(new_command, "write", write)


@FUZZ
@given(
    requirement=st.one_of(
        TEXT, TEXT.map(lambda t: f"{REQUIREMENT} {t}"), st.text(min_size=990, max_size=1010)
    )
)
def test_plan_answers_any_requirement(requirement: str) -> None:
    # `--` ends the options, as a shell user writes it for text that starts with `-`
    _check(runner.invoke(app, ["plan", "--", requirement]), {0, 3, 4})


@FUZZ
@given(
    name=st.one_of(st.none(), TEXT, st.from_regex(r"[a-z][a-z0-9_]{0,70}", fullmatch=True)),
    sets=st.lists(
        st.tuples(
            st.one_of(st.sampled_from(SETTABLE), TEXT), st.one_of(TEXT, st.sampled_from(["[]", "{}", "1"]))
        ),
        max_size=3,
    ),
)
def test_new_answers_any_name_and_set_values(
    checks_only: None, tmp_path: Path, name: str | None, sets: list[tuple[str, str]]
) -> None:
    args = ["new", REQUIREMENT, "--yes", "--no-git", "-o", str(tmp_path), "--dry-run"]
    args += ["--name", name] if name is not None else []
    for key, value in sets:
        args += ["--set", f"{key}={value}"]
    _check(runner.invoke(app, args), {0, 2, 3, 4})


ANSWER_VALUES = st.one_of(TEXT, st.integers(), st.booleans(), st.none(), st.lists(TEXT, max_size=3))
ANSWERS = st.one_of(
    st.binary(max_size=300),
    st.dictionaries(st.sampled_from(SETTABLE), ANSWER_VALUES, max_size=4).map(
        lambda d: yaml.safe_dump(d, allow_unicode=True).encode("utf-8", "surrogateescape")
    ),
    st.dictionaries(st.sampled_from(SETTABLE), ANSWER_VALUES, max_size=4).map(
        lambda d: json.dumps(d).encode("utf-8", "surrogateescape")
    ),
    TEXT.map(lambda t: t.encode("utf-8", "surrogateescape")),
)


@FUZZ
@given(content=ANSWERS)
def test_new_answers_any_answers_file(checks_only: None, tmp_path: Path, content: bytes) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_bytes(content)
    args = ["new", REQUIREMENT, "--name", "shop_data", "--yes", "--no-git", "-o", str(tmp_path), "--dry-run"]
    _check(runner.invoke(app, [*args, "--answers-file", str(answers)]), {0, 2})


def test_a_billion_laughs_answers_file_is_refused_at_once(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    bomb = tmp_path / "answers.yml"
    bomb.write_text("\n".join(lines).replace("i: &i", "entities:") + "\n")
    assert len(bomb.read_bytes()) < 500
    args = ["new", REQUIREMENT, "--name", "shop_data", "--yes", "--no-git", "-o", str(tmp_path), "--dry-run"]
    result = runner.invoke(app, [*args, "--answers-file", str(bomb)])
    _check(result, {2})
    assert "aliases" in result.stderr


@pytest.mark.parametrize(
    ("requirement", "title"),
    [(f"{REQUIREMENT} [[ x ]] [% if %] {{{{ y }}}} ${{z}} $(id) `id` 'q' \"q\" é", "[[ a ]] [% b %] ${c} 'q' \"q\""),
     (f"{REQUIREMENT} " + "padding " * 115, "A title"),
     (REQUIREMENT, "[[ x ]] \"q\" \\ é"),
     (REQUIREMENT, "[[ x ]] 'q' and a rather long title that needs wrapping in yaml files ok")],
)  # fmt: skip
def test_hostile_text_that_passes_the_checks_renders(tmp_path: Path, requirement: str, title: str) -> None:
    args = ["new", requirement, "--name", "shop_data", "--yes", "--no-git", "-o", str(tmp_path), "--dry-run"]
    _check(
        runner.invoke(
            app, [*args, "--set", f"project_title={title}", "--set", "schedule=*/15 2-4 * 1-3 mon"]
        ),
        {0},
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dataforge.commands.new import generate

    out = tmp_path_factory.mktemp("fuzz-project")
    return generate(REQUIREMENT, output=out, name="shop_data", git=False).path


COLUMN = st.one_of(TEXT, st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True))


@FUZZ
@given(
    dataset=st.one_of(TEXT, st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)),
    columns=st.lists(COLUMN, min_size=1, max_size=4),
)
def test_add_quality_suite_answers_any_dataset_and_columns(
    project: Path, tmp_path: Path, dataset: str, columns: list[str]
) -> None:
    sample = tmp_path / "sample.csv"
    header = ",".join(json.dumps(c) for c in columns)
    sample.write_bytes(f"{header}\n{','.join('1' for _ in columns)}\n".encode("utf-8", "surrogateescape"))
    args = [
        "add-quality-suite",
        "--from-data",
        str(sample),
        "--project",
        str(project),
        "--dry-run",
        "--",
        dataset,
    ]
    _check(runner.invoke(app, args), {0, 2, 6, 7})


@pytest.mark.parametrize(
    "column",
    ["it's \"quoted\"", "a\\b", "${x}", "$(id)", "é ü", "a|b",
     "a[[ x ]]"],
)  # fmt: skip
def test_add_quality_suite_writes_hostile_column_names(project: Path, tmp_path: Path, column: str) -> None:
    sample = tmp_path / "sample.csv"
    sample.write_text(f"{json.dumps(column)},other\n1,2\n", encoding="utf-8")
    args = ["add-quality-suite", "hostile", "--from-data", str(sample), "--project", str(project), "--yes"]
    _check(runner.invoke(app, args), {0})


def test_an_unreadable_sample_is_a_data_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["add-quality-suite", "orders_sample", "--project", str(project), "--dry-run", "--from-data"]
    too_long = runner.invoke(app, [*args, "x" * 300 + ".csv"])
    _check(too_long, {7})
    assert "Cannot read the sample" in too_long.stderr
    sample = project / "locked.csv"
    sample.write_text("a,b\n1,2\n", encoding="utf-8")
    real_open = Path.open

    def no_permission(self: Path, *a: Any, **k: Any) -> Any:  # running as root, chmod alone would not deny
        if self.name == "locked.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", no_permission)
    _check(runner.invoke(app, [*args, str(sample)]), {7})
