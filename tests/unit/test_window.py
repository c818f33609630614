"""Time windows and incrementality: phrases -> facts -> the load_mode decision -> answers."""

from __future__ import annotations

import pytest

from dataforge.answers import apply_overrides, build_answers
from dataforge.answers.schema import schedule_grain
from dataforge.decision import decide
from dataforge.errors import UsageError
from dataforge.facts import extract_facts
from dataforge.facts.text import normalise
from dataforge.facts.window import find_window

MYSQL_CLICKHOUSE = "Every night pull yesterday's orders from a MySQL database and load them into ClickHouse"


@pytest.mark.parametrize(
    ("text", "incremental", "full_refresh"),
    [
        (MYSQL_CLICKHOUSE, "yesterday's", None),
        ("Every night pull yesterday\u2019s orders from MySQL", "yesterday\u2019s", None),
        ("load the previous day of events from Postgres", "the previous day", None),
        ("every hour copy the last hour of clicks", "the last hour", None),
        ("sync the changes since the last run into Snowflake", "changes since", None),
        ("load Postgres incrementally into BigQuery", "incrementally", None),
        ("CDC from Oracle to Snowflake", "cdc", None),
        ("a delta load every night", "delta load", None),
        ("nightly full refresh of the customer table", None, "full refresh"),
        ("copy the entire table every day", None, "the entire table"),
        ("take a daily snapshot of the products table", None, "snapshot"),
        ("truncate and reload the warehouse nightly", None, "truncate and reload"),
        ("hourly incremental sync instead of a full reload", "incremental", None),
        ("no full refresh: yesterday's rows only", "yesterday's", None),
        ("an initial full load, then yesterday's changes every night", "yesterday's", "full load"),
        ("nightly load of Postgres tables into Snowflake", None, None),
        ("keep table snapshots for time travel", None, None),  # versioning, not a full refresh
    ],
)
def test_window_phrases_become_facts(text: str, incremental: str | None, full_refresh: str | None) -> None:
    window = find_window(normalise(text))
    assert (window.incremental_phrase, window.full_refresh_phrase) == (incremental, full_refresh)
    facts = extract_facts(text)
    assert (facts.incremental_phrase, facts.full_refresh_phrase) == (incremental, full_refresh)


def reason(decision, prefix: str = "load-mode.") -> tuple[str, str]:  # type: ignore[no-untyped-def]
    found = [(r.rule, r.because) for r in decision.reasons if r.rule.startswith(prefix)]
    assert len(found) == 1, decision.reasons
    return found[0]


def test_yesterdays_orders_are_read_incrementally_and_the_reason_quotes_the_phrase() -> None:
    decision = decide(extract_facts(MYSQL_CLICKHOUSE))
    assert decision.load_mode == "incremental"
    rule, because = reason(decision)
    assert rule == "load-mode.incremental-stated"
    assert '"yesterday\'s"' in because
    assert not [a for a in decision.assumptions if "load mode" in a.lower()]
    assert decision.to_json_dict()["load_mode"] == "incremental"
    assert decision.to_json_dict()["facts"]["incremental_phrase"] == "yesterday's"


def test_a_full_refresh_is_honoured() -> None:
    decision = decide(extract_facts("Nightly full refresh of the Postgres tables into Snowflake"))
    assert decision.load_mode == "full_refresh"
    assert reason(decision) == (
        "load-mode.full-refresh-stated",
        'The requirement asks for whole tables ("full refresh"): each run re-reads every row and replaces the '
        "warehouse copy.",
    )


def test_a_stated_window_outranks_a_full_load_and_the_loser_is_reported() -> None:
    decision = decide(
        extract_facts("An initial full load, then yesterday's changes every night from MySQL to Snowflake")
    )
    assert decision.load_mode == "incremental"
    assert ("load-mode.full-refresh-stated", "load-mode.incremental-stated") in {
        (o.rule, o.lost_to) for o in decision.overruled if o.field == "load_mode"
    }


def test_a_database_with_no_phrase_defaults_to_the_interval_as_a_stated_assumption() -> None:
    decision = decide(extract_facts("Daily load from Postgres to Snowflake"))
    assert decision.load_mode == "incremental"
    rule, because = reason(decision)
    assert rule == "load-mode.database-default-interval"
    assert because in decision.assumptions
    assert "postgres" in because
    assert '"full refresh"' in because


def test_without_a_database_the_general_default_applies() -> None:
    decision = decide(extract_facts("Daily CSV files from S3 into Snowflake"))
    assert decision.load_mode == "incremental"
    rule, because = reason(decision)
    assert rule == "load-mode.default-interval"
    assert because in decision.assumptions


@pytest.mark.parametrize(
    ("schedule", "grain"),
    [
        ("0 2 * * *", "day"),
        ("@daily", "day"),
        ("0 3 * * 1", "day"),
        ("@hourly", "hour"),
        ("0 * * * *", "hour"),
        ("*/15 * * * *", "hour"),
        ("30 * * * *", "hour"),
        ("0 0-23 * * *", "hour"),
        # intervals longer than an hour would lose the hours after the first: day grain, the day re-read
        ("0 */6 * * *", "day"),
        ("0 0,12 * * *", "day"),
        ("0 8-18 * * *", "day"),
        ("*/10 2 * * *", "day"),
        ("@continuous", "day"),
    ],
)
def test_the_partition_grain_follows_how_often_the_schedule_fires(schedule: str, grain: str) -> None:
    assert schedule_grain(schedule) == grain


def test_answers_carry_the_load_mode_and_the_grain() -> None:
    answers = build_answers(decide(extract_facts(MYSQL_CLICKHOUSE)), "nightly_orders")
    assert (answers.load_mode, answers.partition_grain, answers.schedule) == (
        "incremental",
        "day",
        "0 2 * * *",
    )
    hourly = apply_overrides(answers, {"schedule": "0 * * * *", "load_mode": "full_refresh"})
    assert (hourly.load_mode, hourly.partition_grain) == ("full_refresh", "hour")


def test_the_grain_is_derived_and_a_load_mode_outside_the_schema_is_refused() -> None:
    answers = build_answers(decide(extract_facts(MYSQL_CLICKHOUSE)), "nightly_orders")
    with pytest.raises(UsageError, match="Derived answer 'partition_grain' cannot be set"):
        apply_overrides(answers, {"partition_grain": "hour"})
    with pytest.raises(UsageError, match="load_mode must be one of"):
        apply_overrides(answers, {"load_mode": "sometimes"})
