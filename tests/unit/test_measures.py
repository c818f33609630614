from __future__ import annotations

import pytest

from dataforge.facts.measures import find_latency, find_query_goal, find_schedule, find_volume


@pytest.mark.parametrize(
    ("text", "seconds", "klass"),
    [
        ("alerts in <100ms", 0.1, "realtime"),
        ("freshness under a minute", 60, "near_realtime"),
        ("cdc with <5min latency", 300, "near_realtime"),
        ("within 5 seconds", 5, "near_realtime"),
        ("a 30 second freshness sla", 30, "near_realtime"),
        ("latency of 2 hours is fine", 7200, "batch"),
        ("under 10ms, or at most 2s", 0.01, "realtime"),
        ("sub-second dashboards", None, "realtime"),
        ("real-time analytics", None, "realtime"),
        ("near real-time replication", None, "near_realtime"),
        ("near-real-time replication", None, "near_realtime"),
        ("alerts within seconds", None, "near_realtime"),
        ("seconds of lag at most", None, "near_realtime"),
    ],
)
def test_latency(text: str, seconds: float | None, klass: str) -> None:
    latency = find_latency(text)
    assert latency is not None
    assert latency.seconds == (pytest.approx(seconds) if seconds is not None else None)
    assert latency.latency_class == klass


def test_no_latency() -> None:
    assert find_latency("load postgres into snowflake") is None


@pytest.mark.parametrize(
    "text",
    [
        "reduce dashboard query time from hours to under 30 s",
        "so queries return in under 10 seconds",
        "speed up snowflake queries from 5 minutes to under 5 seconds",
        "search latency on elasticsearch must drop below 200 ms",
        "make our redshift dashboards load in under 10 seconds",
        "dashboards should load in under 3 seconds",
        "queries return within seconds",
    ],
)
def test_query_speed_goals_are_not_pipeline_latency(text: str) -> None:
    assert find_latency(text) is None


def test_freshness_stays_latency_next_to_a_query_speed_goal() -> None:
    latency = find_latency("events must be queryable within 30 seconds")
    assert latency is not None
    assert latency.seconds == 30
    latency = find_latency("queries return in under 2 s, and data lands within 5 minutes")
    assert latency is not None
    assert latency.seconds == 300


@pytest.mark.parametrize(
    ("text", "cron", "period"),
    [
        ("hourly sync", "0 * * * *", 3600),
        ("nightly load", "0 2 * * *", 86400),
        ("runs every 15 minutes", "*/15 * * * *", 900),
        ("every 6 hours", "0 */6 * * *", 21600),
        ("twice a day", "0 0,12 * * *", 43200),
        ("weekly export", "0 3 * * 1", 604800),
        ("daily csv files", "0 0 * * *", 86400),
        ("monthly finance close", "0 3 1 * *", 2592000),
    ],
)
def test_schedule(text: str, cron: str, period: int) -> None:
    schedule = find_schedule(text)
    assert schedule is not None
    assert (schedule.cron, schedule.period_seconds) == (cron, period)


def test_first_schedule_phrase_wins() -> None:
    schedule = find_schedule("hourly deltas and a nightly full reload")
    assert schedule is not None
    assert schedule.cron == "0 * * * *"


@pytest.mark.parametrize(
    ("text", "eps", "bpd", "total", "klass"),
    [
        ("1m events/sec", 1e6, None, None, "large"),
        ("10m+ sensor readings/hour", 1e7 / 3600, None, None, "medium"),
        ("10tb daily", None, 1e13, None, "large"),
        ("1b+ database changes", None, None, 1e9, "large"),
        ("500 rows per minute", 500 / 60, None, None, "small"),
    ],
)
def test_volume(text: str, eps: float | None, bpd: float | None, total: float | None, klass: str) -> None:
    volume, spans = find_volume(text)
    assert volume is not None
    assert spans
    assert volume.events_per_second == (pytest.approx(eps) if eps else None)
    assert volume.bytes_per_day == (pytest.approx(bpd) if bpd else None)
    assert volume.total_records == (pytest.approx(total) if total else None)
    assert volume.volume_class == klass


def test_queries_served_are_not_data_arriving() -> None:
    volume, spans = find_volume("100k+ queries/sec over 1m events/sec")
    assert volume is not None
    assert spans
    assert volume.queries_per_second == pytest.approx(1e5)
    assert volume.events_per_second == pytest.approx(1e6)
    only_queries, _ = find_volume("100k lookups per second")
    assert only_queries is not None
    assert (only_queries.events_per_second, only_queries.phrases_of_data) == (None, False)


def test_latency_is_not_a_volume() -> None:
    volume, _ = find_volume("feature store with <10ms lookup time")
    assert volume is None


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("the looker dashboards on top must load in under 2 s.", "in under 2 s"),
        ("reduce query time from hours to under 30 s", "under 30 s"),
        ("kafka to clickhouse within 5 seconds", None),  # pipeline latency, not a query goal
    ],
)
def test_query_speed_goals_are_kept_apart_from_latency(text: str, goal: str | None) -> None:
    assert find_query_goal(text) == goal
