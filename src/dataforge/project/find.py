"""Finding the dataforge project a command runs in, and reading it through one object."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataforge.errors import ProjectError
from dataforge.project.layout import RECORDS, unsafe
from dataforge.project.pristine import read_pristine
from dataforge.project.records import Entry, is_user_edited, load_manifest, read_answers


@dataclass(frozen=True)
class Project:
    """A dataforge project: its root folder and its manifest as read when it was found."""

    root: Path
    manifest: dict[str, Any]

    @property
    def files(self) -> dict[str, Entry]:
        """The manifest's files: path -> {part, sha256}."""
        files: dict[str, Entry] = self.manifest["files"]
        return files

    def part_of(self, rel: str) -> str | None:
        """The part that generated `rel`, or None when dataforge did not."""
        return (self.files.get(rel) or {}).get("part")

    def answers(self) -> dict[str, Any]:
        """The recorded answers (see `read_answers`)."""
        return read_answers(self.root)

    def pristine(self) -> dict[str, bytes]:
        """The pristine bytes of every generated file (see `read_pristine`)."""
        return read_pristine(self.root)

    def is_user_edited(self, rel: str) -> bool:
        """True when `rel` exists and differs from what dataforge recorded (or was never recorded)."""
        return is_user_edited(self.root, rel, self.files)


def find_project(start: Path) -> Project:
    """The dataforge project containing `start` (walking up to the first `.dataforge/` folder).

    ProjectError when there is none, or its manifest is missing, corrupt or names unsafe paths.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        records = folder / RECORDS
        if records.is_symlink():
            raise unsafe(str(folder), RECORDS.as_posix())
        if records.is_dir():
            return Project(folder, load_manifest(folder))
    raise ProjectError(f"{start} is not inside a dataforge project (no .dataforge/ folder).")
