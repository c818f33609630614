"""Blueprint files that copier copies verbatim (no `.jinja` suffix) hold no copier syntax.

Such a file would reach every project with `[[ ... ]]` or `[% ... %]` unrendered. Checking the sources, not the
rendered tree, is what lets a user's own text hold those characters: it is data, and may hold anything.
"""

from __future__ import annotations

from pathlib import Path

from dataforge.compose import blueprints_root

COPIER_SYNTAX = ("[[ ", "[% ", "[# ")


def verbatim_files(root: Path) -> list[Path]:
    """Files under a part's template/ that copier copies byte for byte (a cloud's warehouses/*.tf are Jinja
    includes, rendered)."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(".jinja") and "template" in p.relative_to(root).parts[2:-1]
    )


def test_verbatim_blueprint_files_hold_no_copier_syntax():
    root = blueprints_root()
    files = verbatim_files(root)
    assert len(files) > 20, "the walk found the blueprints' template files"
    offending = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary assets
        if any(token in text for token in COPIER_SYNTAX):
            offending.append(path.relative_to(root).as_posix())
    assert offending == [], f"copier syntax in files without .jinja (add the suffix): {offending}"


def test_the_check_finds_a_forgotten_suffix(tmp_path):
    template = tmp_path / "stages" / "demo" / "template"
    template.mkdir(parents=True)
    (template / "settings.py").write_text('NAME = "[[ project_name ]]"\n')
    (template / "ok.py.jinja").write_text('NAME = "[[ project_name ]]"\n')
    assert [p.name for p in verbatim_files(tmp_path)] == ["settings.py"]
