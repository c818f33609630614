from pathlib import Path

import pytest

from nightly_postgres_snowflake import extract
from nightly_postgres_snowflake.config import ConfigError, Settings, load_settings, storage_uri
from nightly_postgres_snowflake.schema import ENTITIES


def test_settings_default_to_local():
    settings = load_settings({})
    assert settings.env == "local"
    assert not settings.is_prod
    assert settings.raw_root == str(Path("data") / "raw")
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


def test_raw_key_layout():
    assert extract.raw_key("things", "2024-01-01") == "things/ingest_date=2024-01-01/things.csv"
    with pytest.raises(ValueError, match="isoformat"):
        extract.raw_key("things", "01/01/2024")


def test_paginate_follows_next_links():
    pages = {"p1": ([{"id": 1}, {"id": 2}], "p2"), "p2": ([{"id": 3}], None)}
    assert [r["id"] for r in extract.paginate(pages.__getitem__, "p1")] == [1, 2, 3]


def test_paginate_stops_runaway_loops():
    with pytest.raises(RuntimeError, match="pages"):
        list(extract.paginate(lambda url: ([], url), "loop", max_pages=3))


def test_with_retries_backs_off_then_succeeds():
    calls, delays = [], []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("boom")
        return "ok"

    assert extract.with_retries(flaky, retries=3, backoff=0.5, sleep=delays.append) == "ok"
    assert delays == [0.5, 1.0]


def test_with_retries_gives_up():
    with pytest.raises(ConnectionError):
        extract.with_retries(lambda: (_ for _ in ()).throw(ConnectionError("x")), retries=2, sleep=lambda _: None)


def test_to_rows_keeps_entity_columns():
    entity = next(iter(ENTITIES))
    rows = extract.to_rows(entity, [{"extra": 1, **{c: c for c in ENTITIES[entity].column_names}}])
    assert list(rows[0]) == ENTITIES[entity].column_names


def test_local_run_lands_sample_data(local_env):
    result = extract.run("2024-01-01", rows=10)
    assert result.mode == "local"
    for entity in ENTITIES:
        landed = Path(result.landed[entity])
        assert landed == local_env / "raw" / entity / "ingest_date=2024-01-01" / f"{entity}.csv"
        assert len(landed.read_text(encoding="utf-8").splitlines()) == 11
    # idempotent: a second run rewrites the same files
    assert extract.run("2024-01-01", rows=10).landed == result.landed


def test_cli(local_env, capsys):
    assert extract.main(["--ds", "2024-01-02", "--rows", "3"]) == 0
    assert "2024-01-02" in capsys.readouterr().out


def test_prod_land_uses_the_object_store(monkeypatch, tmp_path):
    uploads = []
    monkeypatch.setattr(extract, "upload", lambda local, uri: uploads.append((local, uri)))
    settings = Settings(env="prod", raw_bucket="raw-b", storage_account="acct")
    source = tmp_path / "x.csv"
    source.write_text("a\n", encoding="utf-8")
    entity = next(iter(ENTITIES))
    landed = extract.land_raw({entity: str(source)}, "2024-01-01", settings)
    assert landed[entity].endswith(f"/raw/{entity}/ingest_date=2024-01-01/x.csv")
    assert uploads == [(source, landed[entity])]


def test_prod_extract_only_records_the_run(tmp_path):
    assert extract.extract_source(Settings(env="prod", data_dir=tmp_path), "2024-01-01") == {}
