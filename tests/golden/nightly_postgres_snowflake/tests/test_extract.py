import io
import json
from pathlib import Path
from urllib.error import HTTPError

import pytest

from nightly_postgres_snowflake import extract, extract_helpers, source
from nightly_postgres_snowflake.config import Settings
from nightly_postgres_snowflake.schema import ENTITIES

DS = "2024-01-01"
ENTITY = next(iter(ENTITIES))


def test_raw_key_layout():
    assert extract.raw_key("things", DS) == "things/ingest_date=2024-01-01/things.csv"
    with pytest.raises(ValueError, match="isoformat"):
        extract.raw_key("things", "01/01/2024")


def test_landing_path_layout(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert extract_helpers.landing_path(settings, "things", DS) == tmp_path / "landing" / f"ds={DS}/things/things.csv"
    assert extract_helpers.landing_path(settings, "things", DS, "t.csv.gz").name == "t.csv.gz"


def test_paginate_follows_next_links():
    pages = {"p1": ([{"id": 1}, {"id": 2}], "p2"), "p2": ([{"id": 3}], None)}
    assert [r["id"] for r in extract_helpers.paginate(pages.__getitem__, "p1")] == [1, 2, 3]


def test_paginate_stops_runaway_loops():
    with pytest.raises(RuntimeError, match="pages"):
        list(extract_helpers.paginate(lambda url: ([], url), "loop", max_pages=3))


def test_with_retries_backs_off_then_succeeds():
    calls, delays = [], []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("boom")
        return "ok"

    assert extract_helpers.with_retries(flaky, retries=3, backoff=0.5, sleep=delays.append) == "ok"
    assert delays == [0.5, 1.0]


def test_with_retries_gives_up():
    with pytest.raises(ConnectionError):
        extract_helpers.with_retries(
            lambda: (_ for _ in ()).throw(ConnectionError("x")), retries=2, sleep=lambda _: None
        )


def test_to_rows_keeps_entity_columns():
    rows = extract_helpers.to_rows(ENTITY, [{"extra": 1, **{c: c for c in ENTITIES[ENTITY].column_names}}])
    assert list(rows[0]) == ENTITIES[ENTITY].column_names


def test_to_rows_maps_source_fields():
    first = ENTITIES[ENTITY].column_names[0]
    assert extract_helpers.to_rows(ENTITY, [{"Src": 7}], {first: "Src"})[0][first] == 7


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_http_get_json_retries_server_errors():
    attempts = []

    def opener(request, timeout):
        attempts.append(request.full_url)
        if len(attempts) == 1:
            raise HTTPError(request.full_url, 503, "busy", {}, None)
        return _Response(b'{"data": []}')

    assert extract_helpers.http_get_json("https://h/x", {}, opener=opener, sleep=lambda _: None) == {"data": []}
    assert len(attempts) == 2


def test_http_get_json_does_not_retry_client_errors():
    def opener(request, timeout):
        raise HTTPError(request.full_url, 404, "missing", {}, None)

    with pytest.raises(HTTPError):
        extract_helpers.http_get_json("https://h/x", {}, opener=opener, sleep=lambda _: None)


def test_http_get_json_refuses_other_schemes():
    with pytest.raises(ValueError, match="http"):
        extract_helpers.http_get_json("file:///etc/passwd", {})


def test_local_run_lands_sample_data(local_env):
    result = extract.run(DS, rows=10)
    assert result.mode == "local"
    for entity in ENTITIES:
        landed = Path(result.landed[entity])
        assert landed == local_env / "raw" / entity / f"ingest_date={DS}" / f"{entity}.csv"
        assert len(landed.read_text(encoding="utf-8").splitlines()) == 11
    # idempotent: a second run rewrites the same files
    assert extract.run(DS, rows=10).landed == result.landed


def test_extract_then_land_as_two_steps(local_env):
    extracted = extract.run(DS, rows=4, only="extract")
    assert extracted.landed == {}
    assert set(extracted.extracted) == set(ENTITIES)
    assert not (local_env / "raw").exists()
    landed = extract.run(DS, only="land")
    assert landed.extracted == {}
    assert set(landed.landed) == set(ENTITIES)
    assert landed.landed == extract.run(DS, rows=4).landed


def test_land_without_extract_lands_nothing(local_env):
    assert extract.run(DS, only="land").landed == {}


def test_a_rerun_clears_the_landing_folder(local_env):
    stale = extract_helpers.landing_path(Settings(data_dir=local_env), ENTITY, DS, "stale.csv")
    stale.parent.mkdir(parents=True)
    stale.write_text("old\n", encoding="utf-8")
    extract.run(DS, rows=2, only="extract")
    assert not stale.exists()


def test_landed_files_keys_several_files_of_one_entity(tmp_path):
    settings = Settings(data_dir=tmp_path)
    for name in ("a.csv", "b.csv"):
        path = extract_helpers.landing_path(settings, ENTITY, DS, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n", encoding="utf-8")
    assert sorted(extract.landed_files(settings, DS)) == [f"{ENTITY}:a.csv", f"{ENTITY}:b.csv"]


def test_run_rejects_unknown_steps_and_dates(local_env):
    with pytest.raises(ValueError, match="only"):
        extract.run(DS, only="transform")
    with pytest.raises(ValueError, match="isoformat"):
        extract.run("yesterday", only="land")


def test_cli(local_env, capsys):
    assert extract.main(["--ds", "2024-01-02", "--rows", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ds"] == "2024-01-02"
    assert set(out["landed"]) == set(ENTITIES)


def test_cli_runs_one_step(local_env, capsys):
    assert extract.main(["--only", "extract", "--ds", DS, "--rows", "3"]) == 0
    assert json.loads(capsys.readouterr().out)["landed"] == {}
    assert extract.main(["--only", "land", "--ds", DS]) == 0
    assert set(json.loads(capsys.readouterr().out)["landed"]) == set(ENTITIES)


def test_prod_extract_calls_the_source_reader(monkeypatch, tmp_path):
    settings = Settings(env="prod", data_dir=tmp_path)
    target = extract_helpers.landing_path(settings, ENTITY, DS)

    def fake_extract_source(got_settings, ds, hour=None):
        assert (got_settings, ds) == (settings, DS)
        target.parent.mkdir(parents=True)
        target.write_text("id\n1\n", encoding="utf-8")
        return {ENTITY: target}

    monkeypatch.setattr(source, "extract_source", fake_extract_source)
    assert extract.extract(DS, settings) == {ENTITY: str(target)}


def test_prod_extract_is_empty_when_spark_reads_the_source(monkeypatch, tmp_path):
    monkeypatch.setattr(source, "extract_source", lambda settings, ds, hour=None: None)
    assert extract.extract(DS, Settings(env="prod", data_dir=tmp_path)) == {}


def test_prod_land_uses_the_object_store(monkeypatch, tmp_path):
    uploads = []
    monkeypatch.setattr(extract, "upload", lambda local, uri: uploads.append((local, uri)))
    settings = Settings(env="prod", raw_bucket="raw-b", storage_account="acct")
    source_file = tmp_path / "x.csv"
    source_file.write_text("a\n", encoding="utf-8")
    landed = extract.land_raw({ENTITY: str(source_file)}, DS, settings)
    assert landed[ENTITY].endswith(f"/raw/{ENTITY}/ingest_date={DS}/x.csv")
    assert uploads == [(source_file, landed[ENTITY])]
