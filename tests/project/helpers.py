"""A small dataforge project built by hand: files, then the records `new` would write beside them."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from dataforge.project import write_records

FILES = {
    "README.md": ("stages/base", b"# shop\n"),
    "src/shop/__init__.py": ("stages/base", b""),
    "src/shop/quality/validate.py": ("stages/quality", b"def main() -> None:\n    pass\n"),
    "quality/expectations/customers.json": ("stages/quality", b'{"name": "customers", "expectations": []}\n'),
    ".dataforge/answers/stages-base.yml": ("stages/base", b"_src_path: dataforge:stages/base\n"),
}


def build_project(root: Path, files: dict[str, tuple[str, bytes]] | None = None) -> Path:
    """Write `files` ({path: (part, bytes)}) under root and record them as generated. Returns root."""
    files = FILES if files is None else files
    for rel, (_, data) in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    write_records(
        root,
        {"pattern": "batch", "reasons": []},
        {"project_name": "shop", "pattern": "batch"},
        {rel: part for rel, (part, _) in files.items()},
        sorted({part for part, _ in files.values()}),
    )
    return root


def tar_gz(*members: tuple[tarfile.TarInfo, bytes]) -> bytes:
    """An archive with exactly these members (to plant unsafe ones)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            archive.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return buffer.getvalue()


def member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    """A tar entry of the given type."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info
