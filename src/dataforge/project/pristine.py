"""`.dataforge/pristine.tar.gz`: the exact bytes dataforge generated, kept so `update` can merge three ways.

A hash tells whether the user edited a file; only the pristine bytes let a later version of dataforge merge
its new render with the user's edits (base = pristine, ours = the file on disk, theirs = the new render)
without the old blueprints. The archive holds every generated file except the records themselves, and is
deterministic: sorted entries, mtime 0, uid/gid 0, no user names, gzip mtime 0, so the same render always
gives the same bytes (and a clean `git diff`).

Invariant kept by every writer: for each file the archive holds, the manifest records the sha256 of those
bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from dataforge.errors import ProjectError
from dataforge.project.layout import PRISTINE, checked_rel, unsafe

#: Refuse archives that unpack to more than this (a planted gzip bomb must not exhaust memory).
MAX_PRISTINE_BYTES = 512 * 1024 * 1024


def pack(files: Mapping[str, bytes]) -> bytes:
    """A deterministic tar.gz of `files` (relative POSIX path -> bytes)."""
    import gzip
    import tarfile

    buffer = io.BytesIO()
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for rel in sorted(files):
            data = files[rel]
            info = tarfile.TarInfo(checked_rel(rel, "the pristine render"))
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def unpack(blob: bytes, where: str = PRISTINE.as_posix()) -> dict[str, bytes]:
    """The files of an archive made by `pack`; ProjectError when it is corrupt or holds unsafe entries."""
    import tarfile
    import zlib

    corrupt = ProjectError(
        f"{where} is corrupt.",
        hint="Restore .dataforge/ from version control (git checkout -- .dataforge), "
        "or delete the archive to start a new one.",
    )
    files: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as archive:
            for member in archive:
                rel = checked_rel(member.name, where)
                if not member.isreg() or rel in files:  # links, devices, folders, duplicates
                    raise unsafe(where, member.name)
                total += member.size
                if total > MAX_PRISTINE_BYTES:
                    raise corrupt
                handle = archive.extractfile(member)
                if handle is None:
                    raise corrupt
                files[rel] = handle.read()
    except (tarfile.TarError, OSError, EOFError, zlib.error):
        raise corrupt from None
    return files


def read_pristine(root: Path) -> dict[str, bytes]:
    """The pristine bytes of every generated file; empty for a project made before dataforge kept them."""
    path = root / PRISTINE
    if path.is_symlink():
        raise unsafe(PRISTINE.as_posix(), PRISTINE.as_posix())
    if not path.is_file():
        return {}
    return unpack(path.read_bytes())


def pristine_with(root: Path, files: Mapping[str, bytes], keep: set[str] | None = None) -> bytes:
    """The archive with `files` added or replaced, as bytes to write in the same journal unit as the files.

    With `keep`, only the earlier entries named in it survive (the files the manifest still records).
    """
    current = read_pristine(root)
    if keep is not None:
        current = {rel: data for rel, data in current.items() if rel in keep}
    return pack({**current, **files})
