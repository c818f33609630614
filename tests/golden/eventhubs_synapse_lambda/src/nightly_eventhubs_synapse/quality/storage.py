"""Where data lives: a local path, or a URI that fsspec opens (`file://`, `s3://`, `gs://`, `abfss://`, `memory://`).

Locally the curated zone is a folder under `DATA_DIR`; in production it is the cloud's object store, read with the
filesystem package of the `prod` dependency group (s3fs, gcsfs or adlfs). Credentials come from the environment
or the runtime's identity, never from this code.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .suites import QualityInputError

# abfss://<container>@<account>.dfs.core.windows.net/<path>: the ADLS Gen2 form Spark and config.py use
_ABFSS = re.compile(
    r"^abfss?://(?P<container>[^@/]+)@(?P<account>[^./]+)\.(?:dfs|blob)\.core\.windows\.net/?(?P<path>.*)$"
)
_PACKAGES = {"s3": "s3fs", "gs": "gcsfs", "gcs": "gcsfs", "abfs": "adlfs", "abfss": "adlfs", "az": "adlfs"}
_PROD_HINT = "install the production extras: uv pip install --group prod"


@dataclass(frozen=True)
class Location:
    """A filesystem and a path on it; `uri` is how reports name it."""

    fs: Any  # fsspec.AbstractFileSystem
    path: str
    uri: str

    def child(self, path: str) -> Location:
        """A path below this one on the same filesystem, named like this location (`s3://bucket/curated/x/...`)."""
        if path.startswith(self.path):
            return Location(self.fs, path, self.uri.rstrip("/") + path[len(self.path) :])
        return Location(self.fs, path, path)


def resolve(location: str | Path) -> Location:
    """Open `location` (a local path or a URI) with fsspec; raise `QualityInputError` when the URI's filesystem
    package is missing or its scheme is unknown."""
    import fsspec

    text = str(location)
    if "://" not in text:
        return Location(fsspec.filesystem("file"), Path(text).resolve().as_posix(), text)
    protocol = text.split("://", 1)[0].lower()
    try:
        match = _ABFSS.match(text)
        if match:  # adlfs takes the account as an option and the container as the first path part
            fs = fsspec.filesystem("abfs", account_name=match["account"], anon=False)
            return Location(fs, posixpath.join(match["container"], match["path"]).rstrip("/"), text)
        if protocol == "file":  # file:// URIs are percent-encoded (`ingest_date%3D...`)
            text = "file://" + unquote(text.split("://", 1)[1])
        fs, path = fsspec.core.url_to_fs(text)
    except ImportError:
        package = _PACKAGES.get(protocol, "the fsspec filesystem package")
        raise QualityInputError(f"cannot open {text}: {package} is not installed", _PROD_HINT) from None
    except ValueError as exc:
        hint = "use a local path or an s3://, gs:// or abfss:// URI"
        raise QualityInputError(f"cannot open {text}: {exc}", hint) from None
    return Location(fs, path, text)


def join(root: str | Path, *parts: str) -> str:
    """`root/part/...` for a local path or a URI (URIs always use `/`)."""
    text = str(root)
    if "://" in text:
        return "/".join([text.rstrip("/"), *parts])
    return str(Path(text, *parts))
