"""Build a tiny blueprint set inside a test, from {path: content}, as copier's own tests do."""

from __future__ import annotations

from pathlib import Path

from dataforge.compose.parts import load_part
from dataforge.compose.pattern import load_pattern

HEADER = (Path(__file__).resolve().parents[2] / "blueprints" / "_shared" / "copier-header.yml").read_text()


def build_blueprints(root: Path, files: dict[str, str]) -> Path:
    """Write `files` under root; a `copier.yml` value of "" gets the shared header. Returns root."""
    load_part.cache_clear()
    load_pattern.cache_clear()
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(HEADER + content if rel.endswith("copier.yml") else content)
    return root
