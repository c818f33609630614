"""The records under `.dataforge/` (see `dataforge.project.layout`): what was decided, answered and generated.

`write_records` writes them into a freshly rendered project; later commands read them back and change them
with `record_files`/`commit`, which keep the manifest and the pristine render in step and write both in the
same journal unit as the files themselves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from dataforge import __version__
from dataforge.errors import GenerationError, ProjectError
from dataforge.project.journal import replace_files
from dataforge.project.layout import ANSWERS, DECISION, MANIFEST, OWNER, PRISTINE, RECORDS, checked_rel
from dataforge.project.pristine import pack, pristine_with

#: Bumped whenever the meaning or the set of recorded answers changes; `update` migrates older records.
ANSWERS_SCHEMA_VERSION = 3
#: A manifest entry: {"part": "<kind>/<name>" or "dataforge", "sha256": "<hex of the pristine bytes>"}, plus
#: "derived": "<command>" for a file a tool computed from the render (uv.lock), which has no pristine bytes.
Entry = dict[str, str]

_RESTORE = "Restore .dataforge/ from version control (git checkout -- .dataforge)."


class Rendered(NamedTuple):
    """A file as dataforge generated it: the part that wrote it and its exact bytes."""

    part: str
    data: bytes


def sha256(path: Path) -> str:
    """Content hash used to tell generated files from user edits."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digest(data: bytes) -> str:
    """`sha256` of bytes in memory."""
    return hashlib.sha256(data).hexdigest()


class _Corrupt(Exception):
    """A record that does not parse or has the wrong shape."""


def _parse_files(raw: object) -> dict[str, Entry]:
    if not isinstance(raw, dict):
        raise _Corrupt
    files: dict[str, Entry] = {}
    for rel, entry in raw.items():
        if not isinstance(entry, dict) or not all(isinstance(v, str) for v in entry.values()):
            raise _Corrupt
        files[checked_rel(rel, MANIFEST.as_posix())] = {str(k): str(v) for k, v in entry.items()}
    return files


def _load(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise _Corrupt from None
    if not isinstance(manifest, dict):
        raise _Corrupt
    manifest["files"] = _parse_files(manifest.get("files"))
    return manifest


def load_manifest(root: Path) -> dict[str, Any]:
    """The whole manifest, its `files` checked; ProjectError when it is missing, corrupt or unsafe."""
    try:
        return _load(root)
    except _Corrupt:
        raise ProjectError(f"{root / MANIFEST} is missing or corrupt.", hint=_RESTORE) from None


def read_manifest(root: Path) -> dict[str, Entry]:
    """The manifest's files (path -> {part, sha256}); empty when missing or corrupt.

    A corrupt manifest proves nothing, so every existing file is then treated as the user's. A manifest
    naming a path outside the project is refused (ProjectError), never half-used.
    """
    try:
        files: dict[str, Entry] = _load(root)["files"]
    except _Corrupt:
        return {}
    return files


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """The manifest as written on disk (files sorted, so diffs stay small)."""
    payload = {**manifest, "files": dict(sorted(manifest["files"].items()))}
    return (json.dumps(payload, indent=2) + "\n").encode()


def read_answers(root: Path) -> dict[str, Any]:
    """The project's answers; ProjectError when missing, corrupt, or written by a newer answers schema."""
    path = root / ANSWERS
    corrupt = ProjectError(f"{path} is missing or corrupt.", hint="Restore .dataforge/ from version control.")
    try:
        answers = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise corrupt from None
    if not isinstance(answers, dict):
        raise corrupt
    version = answers.setdefault("answers_schema_version", 1)  # the first records had no version
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise corrupt
    if version > ANSWERS_SCHEMA_VERSION:
        raise ProjectError(
            f"{path} was written by a newer dataforge (answers schema {version}; dataforge {__version__} "
            f"reads up to {ANSWERS_SCHEMA_VERSION}).",
            hint="Upgrade dataforge (pip install --upgrade dataforge), then run the command again.",
        )
    return answers


def is_user_edited(root: Path, rel: str, files: Mapping[str, Entry] | None = None) -> bool:
    """True when `rel` exists and is not what dataforge generated there (unrecorded, or its hash differs).

    `files` is the manifest's files when the caller has them already (read from root otherwise).
    """
    key = checked_rel(rel, "a generated path")
    path = root / key
    if not path.is_file():
        return False
    recorded = (read_manifest(root) if files is None else files).get(key)
    return recorded is None or recorded.get("sha256") != sha256(path)


def record_files(
    root: Path,
    files: Mapping[str, Rendered],
    *,
    forget: Sequence[str] = (),
    records: Mapping[str, bytes] | None = None,
    parts: Sequence[str] | None = None,
) -> dict[str, bytes]:
    """The manifest and pristine archive with `files` recorded as generated; bytes to commit with them.

    Entries of other files are kept, except those named in `forget` (files the same unit removes).
    `records` are records rewritten in the same unit (`.dataforge/answers.json`): the manifest takes their
    new hash, the pristine archive never holds them. `parts` replaces the manifest's list of parts. Put the
    result in the same `replace_files` unit as the files, or use `commit`, so the records never describe
    files that are not there.
    """
    manifest = load_manifest(root)
    for rel in forget:
        manifest["files"].pop(checked_rel(rel, "a removed path"), None)
    for rel, data in (records or {}).items():
        manifest["files"][checked_rel(rel, "a record")] = {"part": OWNER, "sha256": digest(data)}
    if parts is not None:
        manifest["parts"] = list(parts)
    for rel, rendered in files.items():
        manifest["files"][checked_rel(rel, "a generated path")] = {
            "part": rendered.part,
            "sha256": digest(rendered.data),
        }
    pristine = pristine_with(root, {rel: r.data for rel, r in files.items()}, keep=set(manifest["files"]))
    return {MANIFEST.as_posix(): manifest_bytes(manifest), PRISTINE.as_posix(): pristine}


def commit(
    root: Path,
    writes: Mapping[str, bytes],
    files: Mapping[str, Rendered],
    *,
    remove: Sequence[str] = (),
    records: Mapping[str, bytes] | None = None,
    parts: Sequence[str] | None = None,
) -> None:
    """Write `writes` and `records`, delete `remove`, record `files` as generated: all or nothing (one unit).

    The removed files leave the manifest and the pristine archive in the same unit.
    """
    recorded = record_files(root, files, forget=remove, records=records, parts=parts)
    replace_files(root, {**writes, **(records or {}), **recorded}, remove=remove)


def write_records(
    staging: Path,
    decision: dict[str, Any],
    answers: Mapping[str, Any],
    owners: Mapping[str, str],
    parts: list[str],
    derived: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Write the records into a staged project; return file -> owner (the records included).

    decision.json, answers.json, manifest.json (every file with its part and sha256) and pristine.tar.gz
    (the exact bytes of every rendered file, the records excepted). The manifest is what lets
    `new --force`, `add-quality-suite` and `update` tell generated files from user edits; the pristine
    render is what `update` merges against.

    `derived` are files a tool computed from the render (`uv.lock` -> `uv lock`). They are recorded as
    dataforge's, with their sha256 and the command (`"derived": "uv lock"`), and kept out of the pristine
    archive like the records: a lock is not merged line by line, `update` re-runs its command instead.
    """
    (staging / RECORDS).mkdir(exist_ok=True)
    rendered: dict[str, bytes] = {}
    for rel in sorted(owners):
        path = staging / rel
        if path.is_symlink() or not path.is_file():
            raise GenerationError(f"Part {owners[rel]} rendered {rel}, which is not a regular file.")
        rendered[rel] = path.read_bytes()
    decision_payload = {"dataforge_version": __version__, **decision}
    (staging / DECISION).write_text(json.dumps(decision_payload, indent=2) + "\n")
    answers_payload = {"answers_schema_version": ANSWERS_SCHEMA_VERSION, **answers}
    (staging / ANSWERS).write_text(json.dumps(answers_payload, indent=2) + "\n")
    (staging / PRISTINE).write_bytes(pack(rendered))
    records = {
        DECISION.as_posix(): (staging / DECISION).read_bytes(),
        ANSWERS.as_posix(): (staging / ANSWERS).read_bytes(),
    }
    files = {rel: {"part": owners[rel], "sha256": digest(data)} for rel, data in rendered.items()}
    files.update({rel: {"part": OWNER, "sha256": digest(data)} for rel, data in records.items()})
    for rel, command in (derived or {}).items():
        files[checked_rel(rel, "a derived file")] = {
            "part": OWNER,
            "sha256": digest((staging / rel).read_bytes()),
            "derived": command,
        }
    manifest = {
        "dataforge_version": __version__,
        "pattern": decision.get("pattern"),
        "parts": parts,
        "files": files,
    }
    (staging / MANIFEST).write_bytes(manifest_bytes(manifest))
    records_owned = (DECISION, ANSWERS, PRISTINE, MANIFEST)
    return {**owners, **dict.fromkeys(derived or {}, OWNER), **{p.as_posix(): OWNER for p in records_owned}}
