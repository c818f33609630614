"""Runtime settings, read from environment variables (never from files with secrets).

Project: Nightly Eventhubs Synapse.

`DATAFORGE_ENV=local` (the default) keeps everything on this machine under `DATA_DIR`; `DATAFORGE_ENV=prod`
points the same code at the adls buckets, synapse_spark and Azure Synapse Analytics.
Credentials are only ever read from the environment or the cloud's secret manager.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT = "nightly_eventhubs_synapse"
SLUG = "nightly-eventhubs-synapse"
CLOUD = "azure"
OBJECT_STORE = "adls"
SOURCE = "eventhubs"
SPARK_PLATFORM = "synapse_spark"
WAREHOUSE = "synapse"
ENVIRONMENTS = ("local", "prod")
# How finely the data is partitioned, from the schedule: "day" (`ingest_date=YYYY-MM-DD`) or "hour" (each run of an
# hourly schedule writes `ingest_date=YYYY-MM-DD/ingest_hour=HH`, so it never rewrites the other hours of the day).
PARTITION_GRAIN = "day"


class ConfigError(ValueError):
    """Raised when an environment variable holds a value the project cannot use."""


def storage_uri(object_store: str, bucket: str, prefix: str, account: str = "") -> str:
    """URI of `prefix` in `bucket` of the cloud object store (`s3://`, `gs://` or `abfss://`)."""
    prefix = prefix.strip("/")
    if object_store == "s3":
        return f"s3://{bucket}/{prefix}"
    if object_store == "gcs":
        return f"gs://{bucket}/{prefix}"
    if object_store == "adls":
        if not account:
            raise ConfigError("AZURE_STORAGE_ACCOUNT is required for ADLS paths")
        return f"abfss://{bucket}@{account}.dfs.core.windows.net/{prefix}"
    raise ConfigError(f"unknown object store {object_store!r}")


def hour_text(text: str) -> str:
    """An hour of the day as two digits, `00`..`23` (argparse type of `--hour`)."""
    if not text.isdigit() or not 0 <= int(text) <= 23:
        raise argparse.ArgumentTypeError(f"an hour is 00..23, not {text!r}")
    return f"{int(text):02d}"


def partition_dir(ds: str, hour: str | None = None) -> str:
    """The partition folder of a run: `ingest_date=<ds>`, or `ingest_date=<ds>/ingest_hour=<HH>` for an hour.

    An hour is refused in a day-grain project. In an hour-grain project the steps' command lines require `--hour`;
    a Python caller that passes no hour gets the day folder (all hours of the day below it).
    """
    if hour is None:
        return f"ingest_date={ds}"
    if PARTITION_GRAIN != "hour":
        raise ConfigError(f"this project partitions by {PARTITION_GRAIN}: no hour partitions")
    return f"ingest_date={ds}/ingest_hour={hour_text(str(hour))}"


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The run options every step takes besides `--ds`: `--hour HH` (required) in an hour-grain project, else none."""
    if PARTITION_GRAIN == "hour":
        parser.add_argument("--hour", type=hour_text, required=True, help="hour of the ingest date, 00..23 (UTC)")


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one run."""

    env: str = "local"
    data_dir: Path = Path("data")
    raw_bucket: str = f"{SLUG}-raw"
    curated_bucket: str = f"{SLUG}-curated"
    storage_account: str = ""
    object_store: str = OBJECT_STORE
    spark_platform: str = SPARK_PLATFORM
    dbt_target: str = "local"

    @property
    def is_prod(self) -> bool:
        """True when running against the cloud."""
        return self.env == "prod"

    @property
    def raw_root(self) -> str:
        """Root of the raw landing zone: `data/raw` locally, the raw bucket in production."""
        if self.is_prod:
            return storage_uri(self.object_store, self.raw_bucket, "raw", self.storage_account)
        return str(self.data_dir / "raw")

    @property
    def curated_root(self) -> str:
        """Root of the curated zone: `data/curated` locally, the curated bucket in production."""
        if self.is_prod:
            return storage_uri(self.object_store, self.curated_bucket, "curated", self.storage_account)
        return str(self.data_dir / "curated")

    @property
    def landing_dir(self) -> Path:
        """Local scratch folder where extracted files wait before they are landed in the raw zone."""
        return self.data_dir / "landing"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build `Settings` from environment variables (see `.env.example`); an empty variable counts as unset."""
    env = os.environ if environ is None else environ
    name = env.get("DATAFORGE_ENV", "local").strip().lower() or "local"
    if name not in ENVIRONMENTS:
        raise ConfigError(f"DATAFORGE_ENV must be one of {ENVIRONMENTS}, not {name!r}")
    return Settings(
        env=name,
        data_dir=Path(env.get("DATA_DIR") or "data"),
        raw_bucket=env.get("RAW_BUCKET") or f"{SLUG}-raw",
        curated_bucket=env.get("CURATED_BUCKET") or f"{SLUG}-curated",
        storage_account=env.get("AZURE_STORAGE_ACCOUNT", ""),
        dbt_target=env.get("DBT_TARGET") or ("prod" if name == "prod" else "local"),
    )


def require(name: str, environ: Mapping[str, str] | None = None) -> str:
    """Return the environment variable `name`, or raise `ConfigError` saying which variable to set."""
    env = os.environ if environ is None else environ
    value = env.get(name, "")
    if not value:
        raise ConfigError(f"set the environment variable {name} (see .env.example)")
    return value
