"""`.dataforge/` inside a generated project: what was decided, answered and generated, file by file.

    .dataforge/decision.json     the plan (rules, reasons) that produced the project
    .dataforge/answers.json      the answers (with `answers_schema_version`), input of every render
    .dataforge/answers/*.yml     copier's record of each part's answers
    .dataforge/manifest.json     every generated file: the part that wrote it and its sha256
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dataforge import __version__

RECORDS = Path(".dataforge")
MANIFEST = RECORDS / "manifest.json"
DECISION = RECORDS / "decision.json"
ANSWERS = RECORDS / "answers.json"
#: Bumped whenever the meaning or the set of recorded answers changes; `update` migrates older records.
ANSWERS_SCHEMA_VERSION = 2
OWNER = "dataforge"


def sha256(path: Path) -> str:
    """Content hash used to tell generated files from user edits."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(root: Path) -> dict[str, dict[str, str]]:
    """The manifest's files (path -> {part, sha256}); empty when missing or corrupt.

    A corrupt manifest proves nothing, so every existing file is then treated as the user's.
    """
    manifest = root / MANIFEST
    if not manifest.is_file():
        return {}
    try:
        files = json.loads(manifest.read_text())["files"]
        return {str(rel): dict(entry) for rel, entry in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_records(
    staging: Path,
    decision: dict[str, Any],
    answers: Mapping[str, Any],
    owners: Mapping[str, str],
    parts: list[str],
) -> dict[str, str]:
    """Write decision.json, answers.json and manifest.json into a staged project; return file -> owner.

    The manifest is what lets `new --force`, `add-quality-suite` and `update` tell generated files from
    user edits.
    """
    (staging / RECORDS).mkdir(exist_ok=True)
    decision_payload = {"dataforge_version": __version__, **decision}
    (staging / DECISION).write_text(json.dumps(decision_payload, indent=2) + "\n")
    answers_payload = {"answers_schema_version": ANSWERS_SCHEMA_VERSION, **answers}
    (staging / ANSWERS).write_text(json.dumps(answers_payload, indent=2) + "\n")
    owners = {**owners, DECISION.as_posix(): OWNER, ANSWERS.as_posix(): OWNER}
    manifest = {
        "dataforge_version": __version__,
        "pattern": decision.get("pattern"),
        "parts": parts,
        "files": {rel: {"part": part, "sha256": sha256(staging / rel)} for rel, part in sorted(owners.items())},
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return {**owners, MANIFEST.as_posix(): OWNER}
