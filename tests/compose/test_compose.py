"""Composition: a pattern's stages plus one part per technology slot, and the assembly of their declarations."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.compose.helpers import build_blueprints

from dataforge.compose import compose
from dataforge.errors import GenerationError, UsageError
from dataforge.render.tree import render_tree

PATTERN = """
description = "tiny"
components = ["a"]
stages = ["base", "work"]
technologies = ["warehouse"]
run = ["first", "second"]
"""
BASE = {
    "stages/base/part.toml": 'description = "Base"\n[dependencies]\ndev = ["pytest"]\n',
    "stages/base/copier.yml": "",
    "stages/base/template/Makefile.jinja": (
        "run:[% for s in assembly.steps %] [[ s.id ]][% endfor %]\n"
        "groups:[% for g in assembly.local_groups %] [[ g ]][% endfor %]\n"
    ),
    "stages/work/part.toml": (
        'description = "Work for {project_name}"\ncomponent = "work"\n'
        '[dependencies]\nwork = ["duckdb"]\ndev = ["pytest", "ruff"]\n'
        '[[steps]]\nid = "second"\nmodule = "b"\nhelp = "then {warehouse_name}"\n'
        '[[steps]]\nid = "first"\nmodule = "a"\nhelp = "first"\n'
        '[[env]]\nname = "WORK_DIR"\ndescription = "where {project_name} works"\n'
        '[[proof]]\nwhat = "work"\nlocal = "runs"\nprod_tests = "parsed"\ncloud_only = "on {warehouse_name}"\n'
    ),
    "warehouses/duck/part.toml": (
        'description = "Duck"\n[dependencies]\nprod-test = ["duck-stand-in"]\nprod = ["duck-adapter"]\n'
        '[[proof]]\nwhat = "duck"\nlocal = "a file"\nprod_tests = "none"\ncloud_only = "all"\n'
        '[provides]\nprofile = { type = "duck", path = "{{ env_var(\'X\') }}/{project_name}" }\n'
    ),
    "warehouses/duck/copier.yml": "",
    "warehouses/duck/template/[[ _copier_conf.answers_file ]].jinja": "[[ _copier_answers|to_nice_yaml ]]\n",
    "warehouses/duck/template/profile.txt.jinja": "[[ tech.warehouse.profile.type ]] [[ tech.warehouse.profile.path ]]\n",
}
DATA = {"pattern": "tiny", "warehouse": "duck", "project_name": "demo", "warehouse_name": "Duck DB"}


def tiny(tmp_path: Path, **changes: str | None) -> Path:
    files = {"patterns/tiny.toml": PATTERN, **BASE, **changes}
    return build_blueprints(tmp_path / "bp", {k: v for k, v in files.items() if v is not None})


def test_the_pattern_orders_the_steps_and_technologies_plug_in(tmp_path: Path):
    composition = compose(DATA, tiny(tmp_path))
    assert composition.part_ids == ["stages/base", "stages/work", "warehouses/duck"]
    assembly = composition.assembly
    assert [s.id for s in assembly.steps] == ["first", "second"]  # the manifest's order, not the part's
    assert assembly.steps[1].help == "then Duck DB"
    assert assembly.dependency_groups == {
        "work": ("duckdb",),
        "dev": ("pytest", "ruff"),
        "prod": ("duck-adapter",),
        "prod-test": ("duck-stand-in",),
    }
    assert assembly.local_groups == ("work", "dev")
    assert assembly.prod_groups == ("prod", "prod-test"), "make test-prod adds both; a deployment only prod"
    assert assembly.env[0].variables[0].description == "where demo works"
    assert assembly.components == ("work",)
    assert [(r.what, r.cloud_only) for r in assembly.proof] == [("work", "on Duck DB"), ("duck", "all")]
    # placeholders are filled; dbt's own Jinja passes through untouched
    assert composition.provides["warehouse"]["profile"]["path"] == "{{ env_var('X') }}/demo"


def test_shared_files_are_rendered_from_the_assembly_and_technologies_from_tech(tmp_path: Path):
    root = tiny(tmp_path)
    composition = compose(DATA, root)
    staging = tmp_path / "out"
    staging.mkdir()
    data = {**DATA, "assembly": composition.assembly.model_dump(mode="json"), "tech": composition.provides}
    owners = render_tree(data, composition, staging)
    assert (staging / "Makefile").read_text() == "run: first second\ngroups: work dev\n"
    assert (staging / "profile.txt").read_text() == "duck {{ env_var('X') }}/demo\n"
    assert owners["profile.txt"] == "warehouses/duck"
    assert (staging / ".dataforge/answers/warehouses-duck.yml").read_text().count(
        "_src_path: dataforge:warehouses/duck"
    ) == 1
    assert not [p for p in staging.iterdir() if p.name.startswith(".render-")]  # scratch folders are gone


def test_two_parts_writing_one_file_is_an_error(tmp_path: Path):
    root = tiny(tmp_path, **{"warehouses/duck/template/Makefile": "clash\n"})
    composition = compose(DATA, root)
    staging = tmp_path / "out"
    staging.mkdir()
    with pytest.raises(GenerationError, match="both write Makefile"):
        render_tree(
            {**DATA, "assembly": composition.assembly.model_dump(mode="json"), "tech": composition.provides},
            composition,
            staging,
        )


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"stages/work/part.toml": 'description = "w"\n'}, GenerationError, "no composed part declares"),
        ({"warehouses/duck/part.toml": None}, UsageError, "no warehouses blueprint named 'duck'"),
        (
            {
                "stages/base/part.toml": 'description = "b"\n[[steps]]\nid = "stray"\nmodule = "s"\nhelp = "h"\n'
            },
            GenerationError,
            "does not order",
        ),
        (
            {"stages/base/part.toml": 'description = "b"\ncolour = "red"\n'},
            GenerationError,
            "invalid part.toml",
        ),
        ({"patterns/tiny.toml": PATTERN + "generate = false\n"}, UsageError, "cannot generate tiny projects"),
    ],
)
def test_composition_refuses_what_does_not_fit(tmp_path: Path, changes, error, message):
    with pytest.raises(error, match=message):
        compose(DATA, tiny(tmp_path, **changes))
