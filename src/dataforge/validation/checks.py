"""Structural checks: every Python, YAML, JSON and TOML file parses, and nothing machine-specific leaks.

Unrendered copier syntax is not looked for here: a rendered file can hold `[[ ` only from a blueprint file
copied verbatim (no `.jinja` suffix), which a test of the blueprint sources refuses
(tests/compose/test_blueprint_sources.py), or from what the user typed, which is data and may hold anything.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a rendered file."""

    path: str
    message: str


def _parse(path: Path, text: str) -> str | None:
    suffix = path.suffix
    try:
        if suffix == ".py":
            compile(text, str(path), "exec")
        elif suffix in {".yml", ".yaml"}:
            import yaml

            list(yaml.safe_load_all(text))
        elif suffix == ".json":
            json.loads(text)
        elif suffix == ".toml":
            tomllib.loads(text)
    except Exception as error:  # any parser's complaint is a problem to report
        return f"does not parse: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    return None


def check_tree(root: Path, forbidden: list[str]) -> list[Problem]:
    """Check every file under root; ``forbidden`` are strings that must appear nowhere (machine paths)."""
    problems: list[Problem] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(".git/"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary files are copied verbatim
        if problem := _parse(path, text):
            problems.append(Problem(rel, problem))
        problems += [Problem(rel, f"contains a machine path ({f})") for f in forbidden if f and f in text]
    return problems
