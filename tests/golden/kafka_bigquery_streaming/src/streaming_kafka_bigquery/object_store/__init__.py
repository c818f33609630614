"""The deploy cloud's object store (Google Cloud Storage): how production code writes a file to it."""

from __future__ import annotations

from pathlib import Path


def upload(local: Path, uri: str) -> None:
    """Copy one local file to `gs://bucket/key` (google-cloud-storage is a production dependency)."""
    from google.cloud import storage

    bucket, _, key = uri.removeprefix("gs://").partition("/")
    storage.Client().bucket(bucket).blob(key).upload_from_filename(str(local))
