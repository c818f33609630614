"""The deploy cloud's object store (Amazon S3): how production code writes a file to it."""

from __future__ import annotations

from pathlib import Path


def upload(local: Path, uri: str) -> None:
    """Copy one local file to `s3://bucket/key` (boto3 is a production dependency, imported here only)."""
    import boto3

    bucket, _, key = uri.removeprefix("s3://").partition("/")
    boto3.client("s3").upload_file(str(local), bucket, key)
