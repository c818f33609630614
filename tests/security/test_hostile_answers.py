"""Answers are data, never code (issue 10, item 1).

Every settable answer is checked by type and by the catalogue before anything is rendered, whatever its
source; what passes reaches generated files only as an inert literal. The property test renders projects
with hostile values for every answer a user can give (the requirement, the title, the schedule, entity and
column names, categorical values and bounds) and proves that nothing executes: every Python file has the
same syntax tree as with benign values once string and number constants are masked, `make -n run` and
`make -n lint` print the same commands, and YAML, TOML, JSON, HCL and Markdown carry the values literally.
"""

from __future__ import annotations

import ast
import json
import re
import runpy
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st
from tests.helpers.validators import terraform_fmt_check
from typer.testing import CliRunner

from dataforge import __version__
from dataforge.answers.schema import RESERVED_NAMES, SCHEDULE_PRESETS, check_title
from dataforge.catalog import load_catalog
from dataforge.cli import app
from dataforge.commands.new import NewPlan, prepare, write
from dataforge.errors import RequirementError, UsageError

BATCH = "nightly load of Postgres tables into Snowflake"
NAME = "hostile_probe"
CANARY = "PWNED"  # what the shell and Python payloads below would create if they ever ran
# Fragments that mean something to Python, Make, the shell, HCL, YAML, SQL, Jinja, copier or Markdown.
FRAGMENTS = [
    '"', "'", '"""', "'''", "\\", "\\N{", "\\x", "${var.x}", "%{ if true }", f"$(shell touch {CANARY})",
    f"`touch {CANARY}`", f"$$(touch {CANARY})", "{{ 7*7 }}", "[[7*7]]", "[%if true%]", "{% raw %}", "# ",
    "<script>", "&amp;", ": ", "- ", "*", "'; DROP TABLE x; --", f'"; import os; os.system("touch {CANARY}"); "',
    "é", "😀", "ü", "\u00a0",
]  # fmt: skip
DELIMITERS = ["[[ 7*7 ]]", "[% if true %]", "[# x #]"]  # copier's own, with the spaces it expects
INJECTION = f'T"""; import os; os.system("touch {CANARY}"); """'
WORST_TITLE = 'T """\\N{x}${a}%{b}$(shell touch PWNED)[[ 7*7 ]]{{ 1 }}<b>\'"; import os; #😀'

runner = CliRunner()


# --- what a user may give --------------------------------------------------------------------------------------


def _valid_title(text: str) -> bool:
    try:
        return check_title(text) == text
    except ValueError:
        return False


titles = (
    st.lists(
        st.one_of(st.sampled_from([*FRAGMENTS, *DELIMITERS]), st.text(min_size=1, max_size=4)),
        min_size=1,
        max_size=6,
    )
    .map(lambda parts: ("T " + "".join(parts))[:100].strip())
    .filter(_valid_title)
)
requirement_tails = st.lists(
    st.sampled_from([*FRAGMENTS, *DELIMITERS, "\n", "\n\n# Heading\n", "\r\n"]), max_size=6
).map("".join)
schedules = st.one_of(
    st.sampled_from(SCHEDULE_PRESETS),
    st.tuples(
        st.sampled_from(["*", "*/15", "0", "1-5", "0,30", "2-50/2"]),
        st.sampled_from(["*", "*/6", "2", "9-17", "0,12"]),
        st.sampled_from(["*", "1", "1-15"]),
        st.sampled_from(["*", "JAN-mar", "6"]),
        st.sampled_from(["*", "mon-fri", "0,6"]),
    ).map(" ".join),
)
identifiers = st.from_regex(r"[a-z][a-z0-9_]{1,14}", fullmatch=True).filter(lambda n: n not in RESERVED_NAMES)
labels = st.from_regex(r"[A-Za-z0-9éü][A-Za-z0-9éü _.:+@/&,()-]{0,20}", fullmatch=True).filter(
    lambda v: v == v.strip()
)


def commerce() -> list[dict[str, Any]]:
    domain = next(d for d in load_catalog().domains if d.id == "commerce")
    return [entity.model_dump(mode="json") for entity in domain.entity]


@st.composite
def entity_answers(draw: st.DrawFn) -> list[dict[str, Any]]:
    """The commerce entities with every entity and column renamed and every categorical value replaced."""
    entities = commerce()
    old = sorted({e["name"] for e in entities} | {c["name"] for e in entities for c in e["columns"]})
    new = dict(
        zip(old, draw(st.lists(identifiers, min_size=len(old), max_size=len(old), unique=True)), strict=True)
    )
    for entity in entities:
        entity["name"] = new[entity["name"]]
        entity["primary_key"], entity["event_time"] = new[entity["primary_key"]], new[entity["event_time"]]
        for column in entity["columns"]:
            column["name"] = new[column["name"]]
            if column["references"]:
                table, name = column["references"].split(".")
                column["references"] = f"{new[table]}.{new[name]}"
            if column["values"]:
                n = len(column["values"])
                column["values"] = draw(st.lists(labels, min_size=n, max_size=n, unique=True))
            if column["max"] is not None:
                column["max"] = draw(st.floats(min_value=column["min"] or 0, max_value=1e9))
    return entities


# --- what a generated project is made of, with the values taken out -------------------------------------------


class _MaskConstants(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant(value="<constant>")


def python_shapes(project: Path) -> dict[str, str]:
    """Every Python file's syntax tree with constants masked: what the file would do, not what it says."""
    shapes = {}
    for path in sorted(project.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))  # a SyntaxError fails the test
        shapes[path.relative_to(project).as_posix()] = ast.dump(_MaskConstants().visit(tree))
    return shapes


def make_commands(project: Path, target: str, renamed: dict[str, str]) -> list[list[str]]:
    """What `make -n <target>` would run, with entity names put back, each line's words in order."""
    out = subprocess.run(
        ["make", "-n", target], cwd=project, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    for new, old in renamed.items():
        out = re.sub(rf"(?<![a-z0-9]){re.escape(new)}(?![a-z0-9])", old, out)
    return sorted(sorted(line.split()) for line in out.splitlines())


def render(tmp: Path, requirement: str = BATCH, **overrides: Any) -> tuple[NewPlan, Path]:
    prepared = prepare(requirement, name=NAME, output=tmp, overrides=overrides)
    return prepared, write(prepared, git=False, lock=False).path


class Benign(dict[str, Any]):
    """The benign project's shapes; shown by name only when hypothesis reports a failing example."""

    def __repr__(self) -> str:
        return "<the benign project>"


@pytest.fixture(scope="module")
def benign(tmp_path_factory: pytest.TempPathFactory) -> Benign:
    """One benign project per partition grain: a schedule that fires every hour makes every step take `--hour`,
    a different program by design, so a hostile schedule is compared with the benign project of its grain."""
    shapes: dict[str, Any] = {"decision": prepare(BATCH, name=NAME).decision.to_json_dict()}
    for grain, schedule in (("day", "0 2 * * *"), ("hour", "@hourly")):
        _, project = render(tmp_path_factory.mktemp(f"benign-{grain}"), schedule=schedule)
        shapes[grain] = {
            "python": python_shapes(project),
            "run": make_commands(project, "run", {}),
            "lint": make_commands(project, "lint", {}),
        }
    return Benign(shapes)


def _same_plan(requirement: str, decision: dict[str, Any]) -> bool:
    ignored = {"requirement", "facts", "reasons", "warnings", "assumptions", "overruled"}
    ours = prepare(requirement, name=NAME).decision.to_json_dict()
    return {k: v for k, v in ours.items() if k not in ignored} == {
        k: v for k, v in decision.items() if k not in ignored
    }


# --- the property ---------------------------------------------------------------------------------------------


# A render takes 2-5 s: a few examples, and no shrinking (the failing example is printed as drawn).
@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(
    title=WORST_TITLE, tail="".join(FRAGMENTS + DELIMITERS) + "\n\n# Heading\n", schedule="*/15 1-5 * JAN-mar mon-fri",
    entities=None,
)  # fmt: skip
@example(title=INJECTION, tail="", schedule="@daily", entities=None)  # still valid Python if pasted unescaped
@given(
    title=titles, tail=requirement_tails, schedule=schedules, entities=st.one_of(st.none(), entity_answers())
)
def test_hostile_answers_render_as_inert_literals(
    tmp_path_factory: pytest.TempPathFactory,
    benign: Benign,
    title: str,
    tail: str,
    schedule: str,
    entities: list[dict[str, Any]] | None,
) -> None:
    requirement = f"{BATCH}\n{tail}".strip()
    # A tail that changed the plan (a technology named in it) would change the project, not only its values.
    assume(_same_plan(requirement, benign["decision"]))
    entities = entities or commerce()
    prepared, project = render(
        tmp_path_factory.mktemp("hostile"),
        requirement,
        project_title=title,
        schedule=schedule,
        entities=entities,
    )
    answers = prepared.answers
    same = benign[answers.partition_grain]
    renamed = dict(zip([e["name"] for e in entities], [e["name"] for e in commerce()], strict=True))

    # Python: the same program as with benign values; the values come back as they were given.
    assert python_shapes(project) == same["python"]
    package = project / "src" / NAME
    assert ast.get_docstring(ast.parse((package / "__init__.py").read_text()), clean=False) == (
        f"A data pipeline generated by dataforge {__version__}.\n\nProject: {title}.\n"
    )
    dag = ast.parse((project / "dags" / f"{NAME}_pipeline.py").read_text())
    constants = {
        t.id: n.value for n in dag.body if isinstance(n, ast.Assign) for t in n.targets if hasattr(t, "id")
    }
    assert ast.literal_eval(constants["SCHEDULE"]) == " ".join(schedule.split())
    # Run only now that its tree is known to be the benign one: standard library, data classes and literals.
    schema = runpy.run_path(str(package / "schema.py"))
    assert [e.name for e in schema["ENTITIES"].values()] == [e["name"] for e in entities]
    given_values = {c["name"]: tuple(c["values"]) for e in entities for c in e["columns"] if c["values"]}
    rendered_values = {c.name: c.values for e in schema["ENTITIES"].values() for c in e.columns if c.values}
    assert rendered_values == given_values

    # Make: nothing but the commands of the benign project.
    assert make_commands(project, "run", renamed) == same["run"]
    assert make_commands(project, "lint", renamed) == same["lint"]

    # YAML, TOML and JSON load, and give the values back literally.
    for path in [*project.rglob("*.yml"), *project.rglob("*.yaml")]:
        yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in project.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == f"{title}: generated by dataforge {__version__}"
    recorded = json.loads((project / ".dataforge" / "answers.json").read_text(encoding="utf-8"))
    assert recorded["project_title"] == title
    assert recorded["requirement"] == answers.requirement
    assert recorded["entities"] == entities
    staging = yaml.safe_load((project / "dbt" / "models" / "staging" / "_staging.yml").read_text())
    accepted = [
        test["accepted_values"]["arguments"]["values"]
        for model in staging["models"]
        for column in model["columns"]
        for test in column.get("data_tests", column.get("tests", []))
        if isinstance(test, dict) and "accepted_values" in test
    ]
    assert sorted(map(tuple, accepted)) == sorted(given_values.values())

    # HCL: Terraform's own formatter accepts every file; the title sits in a comment, literally.
    terraform_fmt_check(project / "infra" / "terraform")
    assert (
        f"# Production environment of {title}."
        in (project / "infra/terraform/environments/prod.tfvars").read_text()
    )

    # Markdown: the title is one heading, every line of the requirement stays inside its quote.
    readme = (project / "README.md").read_text(encoding="utf-8").split("\n")
    assert readme[0] == "# " + title.replace("<", "&lt;")
    quoted = answers.requirement.replace("<", "&lt;").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert readme[2 : 2 + len(quoted)] == [f"> {line}" for line in quoted]

    assert not any(project.rglob(CANARY))
    assert not (Path.cwd() / CANARY).exists()


# --- what is refused, and how ---------------------------------------------------------------------------------


# One change each to the commerce entities, and what the refusal says.
ENTITY_CHANGES = {
    "shell name": "not a lower-case identifier",
    "path name": "not a lower-case identifier",
    "reserved column": "reserved in SQL",
    "quoted value": "not a plain label",
    "template value": "not a plain label",
    "unknown type": "Input should be 'integer'",
    "unknown semantic": "Input should be 'id'",
    "missing key": "primary_key of 'customers' must name one of its columns",
    "bad reference": "which is no column here",
    "nan bound": "finite number",
    "two facts": "exactly one dimension and one fact",
    "extra key": "Extra inputs are not permitted",
}


def _entities_with(change: str) -> list[dict[str, Any]]:
    entities = commerce()
    dimension, fact = entities
    if change in ("shell name", "path name"):
        dimension["name"] = f"cust$(shell touch {CANARY})" if change == "shell name" else "../../etc"
        fact["columns"][1]["references"] = f"{dimension['name']}.customer_id"
    elif change == "reserved column":
        dimension["columns"][2]["name"] = "order"
    elif change == "quoted value":
        dimension["columns"][3]["values"] = ["US", "x'); import os; ('"]
    elif change == "template value":
        dimension["columns"][3]["values"] = ["{{ env_var('SECRET') }}"]
    elif change == "unknown type":
        dimension["columns"][0]["type"] = "varchar; drop table x"
    elif change == "unknown semantic":
        dimension["columns"][0]["semantic"] = "__import__('os')"
    elif change == "missing key":
        dimension["primary_key"] = "nope"
    elif change == "bad reference":
        fact["columns"][1]["references"] = "customers.nope"
    elif change == "nan bound":
        fact["columns"][3]["max"] = float("nan")
    elif change == "two facts":
        dimension["role"] = "fact"
    elif change == "extra key":
        dimension["columns"][0]["sql"] = "select 1"
    return entities


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"schedule": '@daily"; import os; os.system("touch PWNED"); _x="'}, "schedule"),
        ({"schedule": "0 2 * * * $(shell touch PWNED)"}, "schedule"),
        ({"schedule": "61 * * * *"}, "minute field"),
        ({"schedule": "0 2 * * *\n"}, "schedule"),
        ({"project_title": "a\x1b[31mred"}, "control characters"),
        ({"project_title": "two\nlines"}, "one line"),
        ({"project_title": "two\u2028lines"}, "one line"),
        ({"project_title": "evil\u202etxt.exe"}, "one line"),
        ({"project_title": "x" * 101}, "limit is 100"),
        ({"project_title": 42}, "valid string"),
        ({"domain": "mars"}, "domain must be one of"),
        ({"requirement": "anything"}, "requirement cannot be set"),
        ({"warehouse_dbt_package": "evil"}, "cannot be set"),
        ({"source_jdbc": {"url_template": '"; import os'}}, "cannot be set"),
        ({"project_slug": "x"}, "cannot be set"),
        *[({"entities": _entities_with(change)}, says) for change, says in ENTITY_CHANGES.items()],
    ],
)
def test_bad_answers_are_refused_before_rendering(overrides: dict[str, Any], fragment: str) -> None:
    with pytest.raises(UsageError) as raised:
        prepare(BATCH, name=NAME, overrides=overrides)
    assert fragment in raised.value.message
    assert raised.value.hint


def test_title_with_copier_delimiters_next_to_quotes_renders(tmp_path: Path) -> None:
    # Once refused as "unrendered copier syntax" (exit 8): the escaped docstring form was taken for a leftover.
    _, project = render(tmp_path, project_title='Café "[[ x ]]"')
    assert '# Café "[[ x ]]"' in (project / "README.md").read_text()


def test_recorded_answers_are_checked_too() -> None:
    answers = prepare(BATCH, name=NAME).answers.model_dump()
    with pytest.raises(RequirementError):
        type(prepare(BATCH, name=NAME).answers)(**{**answers, "requirement": "tables\x1b]0;owned\x07"})


def test_choosing_a_domain_brings_its_entities() -> None:
    answers = prepare(BATCH, name=NAME, overrides={"domain": "crm"}).answers
    assert [e.name for e in answers.entities] == ["accounts", "opportunities"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--set", 'schedule=@daily"; import os; os.system("touch PWNED"); _x="'], "schedule"),
        (["--set", "requirement=\x1b[2Jowned"], "requirement cannot be set"),
        (["--set", "warehouse_dbt_package=evil"], "cannot be set"),
        (["--answers-file", "{answers}"], "entities.0.name"),
    ],
)
def test_cli_refuses_bad_answers_with_one_line_and_exit_2(
    tmp_path: Path, args: list[str], fragment: str
) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(yaml.safe_dump({"entities": _entities_with("shell name")}))
    out = tmp_path / "out"
    out.mkdir()
    argv = ["new", BATCH, "--name", NAME, "--yes", "--no-git", "-o", str(out)]
    result = runner.invoke(app, argv + [a.replace("{answers}", str(answers)) for a in args])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: ")
    assert fragment in lines[0]
    assert lines[1].startswith("hint: ")
    assert len(lines) == 2
    assert list(out.iterdir()) == []
