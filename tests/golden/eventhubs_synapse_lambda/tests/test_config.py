from pathlib import Path

import pytest

from nightly_eventhubs_synapse.config import ConfigError, load_settings, require, storage_uri


def test_settings_default_to_local():
    settings = load_settings({})
    assert settings.env == "local"
    assert not settings.is_prod
    assert settings.raw_root == str(Path("data") / "raw")
    assert settings.landing_dir == Path("data") / "landing"
    assert settings.dbt_target == "local"


def test_prod_settings_point_at_the_object_store():
    settings = load_settings(
        {"DATAFORGE_ENV": "prod", "RAW_BUCKET": "r", "CURATED_BUCKET": "c", "AZURE_STORAGE_ACCOUNT": "acct"}
    )
    assert settings.is_prod
    assert settings.dbt_target == "prod"
    assert settings.raw_root.endswith("/raw")
    assert "r" in settings.raw_root
    assert "c" in settings.curated_root


def test_bad_environment_is_rejected():
    with pytest.raises(ConfigError, match="DATAFORGE_ENV"):
        load_settings({"DATAFORGE_ENV": "staging"})


@pytest.mark.parametrize(
    ("store", "expected"),
    [
        ("s3", "s3://b/raw"),
        ("gcs", "gs://b/raw"),
        ("adls", "abfss://b@acct.dfs.core.windows.net/raw"),
    ],
)
def test_storage_uri(store, expected):
    assert storage_uri(store, "b", "/raw/", "acct") == expected


def test_require_names_the_missing_variable():
    assert require("X", {"X": "1"}) == "1"
    with pytest.raises(ConfigError, match="set the environment variable X"):
        require("X", {})
