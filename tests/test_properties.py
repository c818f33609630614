"""Arbitrary text never crashes the parser or the planner, and planning is deterministic."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataforge.commands.plan import plan
from dataforge.errors import DataforgeError

WORDS = [
    "kafka",
    "to",
    "into",
    "from",
    "bigquery",
    "nightly",
    "real-time",
    "<5min",
    "10TB",
    "daily",
    "Iceberg",
    "on",
    "GCS",
    "->",
    "CDC",
    "{{",
    "}}",
    "[[",
    "%",
    "backfill",
    "azure",
    "kafak",
    "in",
    "the",
    ".",
    "every",
]

texts = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_planner_raises_only_documented_errors_and_is_deterministic(text: str) -> None:
    first: dict[str, object] = {}
    try:
        first = plan(text).to_json_dict()
    except DataforgeError as error:
        failure = error
    else:
        failure = None
    if failure is not None:
        assert failure.message
        assert failure.hint
        return
    assert plan(text).to_json_dict() == first
    assert first["pattern"] in {"batch", "kappa", "lambda", "lakehouse"}
    assert first["sources"]
    assert first["sinks"]
