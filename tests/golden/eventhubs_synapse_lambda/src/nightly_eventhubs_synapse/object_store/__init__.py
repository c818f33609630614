"""The deploy cloud's object store (ADLS Gen2): how production code writes a file to it."""

from __future__ import annotations

from pathlib import Path


def upload(local: Path, uri: str) -> None:
    """Copy one local file to `abfss://container@account.dfs.core.windows.net/key` (Azure SDKs: production)."""
    from azure.identity import DefaultAzureCredential
    from azure.storage.filedatalake import DataLakeServiceClient

    container_account, _, key = uri.removeprefix("abfss://").partition("/")
    container, _, host = container_account.partition("@")
    service = DataLakeServiceClient(f"https://{host}", credential=DefaultAzureCredential())
    with local.open("rb") as handle:
        service.get_file_system_client(container).get_file_client(key).upload_data(handle, overwrite=True)
