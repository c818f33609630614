"""One answers schema: the catalogue's values, the parts on disk and every copier.yml agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dataforge.answers.schema import SETTABLE, choices
from dataforge.compose import blueprints_root, list_parts

ROOT = Path(__file__).resolve().parents[2]
COPIER_FILES = sorted(blueprints_root().glob("*/*/copier.yml"))
# Add-ons answer their command's options (add-quality-suite's strictness, ...), not the project's answers.
PROJECT_COPIER_FILES = [p for p in COPIER_FILES if p.parent.parent.name != "addons"]


def test_there_are_copier_files_to_check():
    assert len(COPIER_FILES) >= 10


@pytest.mark.parametrize(
    "path", PROJECT_COPIER_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}"
)
def test_every_choice_in_every_copier_yml_is_a_value_the_catalogue_knows(path: Path):
    config = yaml.safe_load(path.read_text())
    schema = choices()
    for question, spec in config.items():
        if question.startswith("_") or not isinstance(spec, dict) or "choices" not in spec:
            continue
        assert question in schema, (
            f"{path}: {question} offers choices that the answers schema does not define"
        )
        unknown = set(spec["choices"]) - set(schema[question])
        assert not unknown, f"{path}: {question} offers {sorted(unknown)}, unknown to the catalogue"


@pytest.mark.parametrize(
    ("answer", "kind"), [("source_reader", "sources"), ("warehouse", "warehouses"), ("cloud", "clouds")]
)
def test_every_catalogue_choice_of_a_slot_has_exactly_one_part(answer: str, kind: str):
    parts = set(list_parts(blueprints_root(), kind))  # type: ignore[arg-type]
    assert set(choices()[answer]) == parts


def test_ci_parts_are_catalogue_ci_providers():
    assert set(list_parts(blueprints_root(), "ci")) <= set(choices()["ci_provider"])


def test_docs_list_every_settable_answer():
    text = (ROOT / "docs" / "blueprints.md").read_text()
    missing = [name for name in SETTABLE if f"`{name}`" not in text]
    assert not missing, f"docs/blueprints.md does not document {missing}"


@pytest.mark.parametrize("path", COPIER_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_every_copier_yml_uses_the_shared_header_and_leaves_the_answers_file_to_dataforge(path: Path):
    header = yaml.safe_load((blueprints_root() / "_shared" / "copier-header.yml").read_text())
    config = yaml.safe_load(path.read_text())
    settings = {k: v for k, v in config.items() if k.startswith("_")}
    assert settings == header, f"{path} differs from blueprints/_shared/copier-header.yml"


def test_every_part_declares_dependencies_that_render_as_plain_toml_strings():
    """pyproject.toml renders requirement strings between double quotes without escaping (they are ours)."""
    from dataforge.compose import load_part
    from dataforge.compose.parts import PART_KINDS

    root = blueprints_root()
    for kind in PART_KINDS:
        for name in list_parts(root, kind):
            part = load_part(root, kind, name)
            assert part is not None
            for group, requirements in part.spec.dependencies.items():
                # a bare TOML key and a PEP 735 group name
                assert re.fullmatch(r"[a-z][a-z0-9_-]*", group), (part.id, group)
                for requirement in requirements:
                    assert not set(requirement) & set('"\\\n'), (part.id, requirement)
