"""Structural checks: every Python, YAML, JSON and TOML file parses, and nothing machine-specific leaks."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

# Copier's delimiters left in a rendered file mean a blueprint forgot a `.jinja` suffix. Only checked
# in formats where "[[ " / "[% " has no meaning of its own (SQL and prose may hold brackets).
_LEFTOVER = ("[[ ", "[% ")
_CHECK_LEFTOVER = {".py", ".yml", ".yaml", ".toml", ".json", ".tf", ".tfvars", ".cfg"}


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


def check_tree(root: Path, forbidden: list[str], user_texts: tuple[str, ...] = ()) -> list[Problem]:
    """Check every file under root.

    ``forbidden`` are strings that must appear nowhere (machine paths); ``user_texts`` are what the
    user typed, which may hold anything and is removed before looking for copier syntax.
    """
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
        own = text
        for typed in user_texts:
            for form in (typed, json.dumps(typed)[1:-1], typed.replace("'", "''")):
                own = own.replace(form, "")
        if path.suffix in _CHECK_LEFTOVER and any(token in own for token in _LEFTOVER):
            problems.append(Problem(rel, "contains unrendered copier syntax"))
        problems += [Problem(rel, f"contains a machine path ({f})") for f in forbidden if f and f in text]
    return problems
