"""The pure functions of the stream on static DataFrames: parse, dedupe and windows, no streaming query needed."""

from __future__ import annotations

from nightly_eventhubs_synapse.schema import fact
from nightly_eventhubs_synapse.stream.events import payload, plan_events
from nightly_eventhubs_synapse.stream.functions import REASON, dead_letters, parse, valid, window_counts

FACT = fact()


def test_parse_types_good_records_and_gives_a_reason_for_bad_ones(spark):
    plan = plan_events("2024-01-01", 6)
    good = next(iter(plan.valid[FACT.name].values()))
    lines = [payload(good), "not json", payload({**good, FACT.event_time: "yesterday"})]
    parsed = parse(spark.createDataFrame([(line,) for line in lines], "value string"), FACT)
    rows = valid(parsed).collect()
    assert [row[FACT.primary_key] for row in rows] == [good[FACT.primary_key]]
    reasons = sorted(row[REASON] for row in dead_letters(parsed).collect())
    assert reasons == ["invalid JSON", f"{FACT.event_time} is not a {FACT.column(FACT.event_time).type}"]


def test_window_counts_count_each_event_in_its_window(spark):
    plan = plan_events("2024-01-01", 6)
    rows = list(plan.valid[FACT.name].values())
    frame = valid(parse(spark.createDataFrame([(payload(row),) for row in rows], "value string"), FACT))
    counted = window_counts(frame, FACT, "1 day").collect()
    assert [(str(row["window_start"]), row["events"]) for row in counted] == [("2024-01-01 00:00:00", len(rows))]
