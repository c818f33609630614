"""Quantities in a requirement: latency targets, schedules and data volumes."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT_SECONDS = {
    "ms": 0.001, "msec": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
}  # fmt: skip
_UNIT = r"(ms|msec|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)"

_LATENCY_BOUND = re.compile(
    r"(?:<=?|≤|under|below|less than|within|in under|at most|no more than|max(?:imum)?|sub-?"
    r"|p\d\d\s*(?:of|<)?)"
    rf"\s*(\d+(?:\.\d+)?)\s*-?\s*{_UNIT}\b"
)
_LATENCY_NOUN = re.compile(
    rf"(\d+(?:\.\d+)?)\s*-?\s*{_UNIT}\s+(?:end-to-end\s+)?(?:latency|freshness|sla|delay)\b"
)
_LATENCY_OF = re.compile(
    rf"(?:latency|freshness|sla)\s+(?:of|under|below|<=?|within)\s*(\d+(?:\.\d+)?)\s*{_UNIT}\b"
)
_LATENCY_WORDS = re.compile(
    r"(?:under|within|less than|in under|below)\s+(?:a|an|one)\s+(second|minute|hour)\b"
)
_NEAR_REALTIME = re.compile(
    r"near[\s-]+real[\s-]*time|\bnrt\b|\b(?:with)?in (?:a few )?(?:seconds|minutes)\b"
    r"|\bseconds of (?:lag|latency|delay)\b"
)
_REALTIME = re.compile(r"(?<!near )(?<!near-)\breal[\s-]*time\b|\bsub[\s-]?second\b|\bmillisecond")

# How fast queries, searches or dashboards answer is a goal for the store and its models, not the
# pipeline's latency: "reduce query time from hours to under 30 s", "dashboards load in under 5 s".
# A bound counts as one when its clause, before it, reads like this ("queryable within 30 s" does not).
_QUERY_SPEED = re.compile(
    r"\bquery (?:time|times|latency|latencies|speed|performance|response)\b"
    r"|\bquer(?:y|ies) (?:from|return|returns|run|runs|take|takes|complete|completes|finish|finishes"
    r"|respond)\b"
    r"|\bspeed up\b.*\bquer(?:y|ies)\b|\b(?:search|lookup) latency\b|\b(?:response|load|page load) times?\b"
    r"|\b(?:dashboards?|reports?|pages?)\b(?: (?!load|render|return|respond)[a-z]+){0,3} "
    r"(?:(?:should|must|need to|have to|to) )?(?:load|loads|render|renders|return|returns|respond|responds)\b"
    # "goal is every query under 5 seconds": the bound follows the queries it limits
    r"|\b(?:every|each|all|any|most|p\d\d) quer(?:y|ies) $"
)
# "we don't need real-time", "nobody reads it in real time": a negated need is no need.
_NEGATION = re.compile(r"\b(?:not|no|never|nobody|don't|dont|doesn't|doesnt|isn't|aren't|without)\b")


def is_negated(text: str, start: int) -> bool:
    """Whether the clause before ``start`` negates what starts there (within its last five words)."""
    before = text[:start]
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    words = before[clause_start:].split()[-5:]
    return _NEGATION.search(" ".join(words)) is not None


_CLAUSE_END = re.compile(r"[;,:]|\.\s")

REALTIME_MAX_SECONDS = 1.0
NEAR_REALTIME_MAX_SECONDS = 900.0


def latency_class(seconds: float) -> str:
    """Realtime (<= 1 s), near_realtime (<= 15 min) or batch."""
    if seconds <= REALTIME_MAX_SECONDS:
        return "realtime"
    if seconds <= NEAR_REALTIME_MAX_SECONDS:
        return "near_realtime"
    return "batch"


@dataclass(frozen=True)
class Latency:
    """The tightest latency the requirement states."""

    seconds: float | None
    latency_class: str
    phrase: str


def is_query_speed(text: str, start: int) -> bool:
    """Whether the bound starting at ``start`` is a query-speed goal rather than pipeline latency."""
    before = text[:start]
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    return _QUERY_SPEED.search(before[clause_start:]) is not None


def find_query_goal(text: str) -> str | None:
    """The first query-speed goal ("dashboards load in under 2 s"): a target for the store, not latency."""
    for pattern in (_LATENCY_BOUND, _LATENCY_NOUN, _LATENCY_OF):
        for match in pattern.finditer(text):
            if is_query_speed(text, match.start()):
                return match.group(0).strip()
    return None


def find_latency(text: str) -> Latency | None:
    """The smallest stated latency bound, else a class from words like "real-time".

    Query-speed goals ("queries return in under 10 s") are not pipeline latency and are skipped.
    """
    bounds: list[tuple[float, str]] = []
    for pattern in (_LATENCY_BOUND, _LATENCY_NOUN, _LATENCY_OF):
        for match in pattern.finditer(text):
            if not is_query_speed(text, match.start()):
                bounds.append((float(match.group(1)) * _UNIT_SECONDS[match.group(2)], match.group(0)))
    for match in _LATENCY_WORDS.finditer(text):
        if not is_query_speed(text, match.start()):
            bounds.append((_UNIT_SECONDS[match.group(1)], match.group(0)))
    if bounds:
        seconds, phrase = min(bounds)
        return Latency(seconds, latency_class(seconds), phrase.strip())
    stated = (m for m in _NEAR_REALTIME.finditer(text) if not is_negated(text, m.start()))
    near = next((m for m in stated if not is_query_speed(text, m.start())), None)
    if near is not None:
        return Latency(None, "near_realtime", near.group(0))
    real = next((m for m in _REALTIME.finditer(text) if not is_negated(text, m.start())), None)
    if real is not None:
        return Latency(None, "realtime", real.group(0))
    return None


@dataclass(frozen=True)
class Schedule:
    """A stated run schedule as an Airflow-compatible cron expression."""

    cron: str
    period_seconds: int
    phrase: str


_SCHEDULES: tuple[tuple[re.Pattern[str], str, int], ...] = (
    (re.compile(r"\bevery minute\b"), "* * * * *", 60),
    (re.compile(r"\bevery (?:quarter[- ]hour|quarter of an hour)\b"), "*/15 * * * *", 900),
    (re.compile(r"\bevery half[- ]hour\b|\bhalf[- ]hourly\b"), "*/30 * * * *", 1800),
    (re.compile(r"\btwice (?:a|per) day\b|\btwice daily\b"), "0 0,12 * * *", 43200),
    (re.compile(r"\bhourly\b|\bevery hour\b|\beach hour\b|\bonce an hour\b"), "0 * * * *", 3600),
    (re.compile(r"\bnightly\b|\bevery night\b|\beach night\b|\bovernight\b"), "0 2 * * *", 86400),
    (re.compile(r"\bdaily\b|\bevery day\b|\beach day\b|\bonce a day\b|\bend of day\b"), "0 0 * * *", 86400),
    (re.compile(r"\bweekly\b|\bevery week\b|\bonce a week\b"), "0 3 * * 1", 604800),
    (re.compile(r"\bmonthly\b|\bevery month\b|\bonce a month\b"), "0 3 1 * *", 2592000),
)
_EVERY_N = re.compile(r"\bevery (\d+)\s*(min|mins|minutes?|m|h|hrs?|hours?)\b")


def find_schedule(text: str) -> Schedule | None:
    """The first schedule phrase in the text ("every 15 minutes", "nightly", "twice a day"...)."""
    found: list[tuple[int, Schedule]] = []
    for match in _EVERY_N.finditer(text):
        count, unit = int(match.group(1)), match.group(2)
        if count <= 0:
            continue
        if unit.startswith("m") and count < 60:
            found.append((match.start(), Schedule(f"*/{count} * * * *", count * 60, match.group(0))))
        elif unit.startswith("h") and count < 24:
            found.append((match.start(), Schedule(f"0 */{count} * * *", count * 3600, match.group(0))))
    for pattern, cron, period in _SCHEDULES:
        # "not the nightly sync": a schedule the user turns away from is not theirs
        if hit := next((m for m in pattern.finditer(text) if not is_negated(text, m.start())), None):
            found.append((hit.start(), Schedule(cron, period, hit.group(0))))
    return min(found, key=lambda item: item[0])[1] if found else None


_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12}
_BYTES = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "pb": 1e15, "kib": 1024.0, "mib": 1024.0**2,
          "gib": 1024.0**3, "tib": 1024.0**4, "pib": 1024.0**5}  # fmt: skip
_RATE_SECONDS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600, "hourly": 3600,
    "day": 86400, "days": 86400, "daily": 86400, "month": 2592000, "monthly": 2592000,
}  # fmt: skip
_VOLUME = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<mult>thousand|million|billion|[kmbt](?![a-z]))?\+?\s*"
    r"(?:(?P<bytes>[kmgtp]i?b)\b|(?:[a-z][a-z-]{2,}\s+)?(?P<count>events?|records?|rows?|messages?|msgs?|readings?"
    r"|quer(?:y|ies)|requests?|changes?|transactions?|txns?|clicks?|page ?views?|documents?|docs?"
    r"|updates?|inserts?|writes?|reads?|lookups?|files?|orders?|trades?|logs?|log lines|tweets?)\b)"
    r"(?:\s*(?:/|per|an?|each|every)\s*|\s+)?(?P<rate>seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?"
    r"|daily|hourly|monthly|month)?\b"
)


# A serving concurrency: "500 concurrent dashboard queries", "2K simultaneous users" (queries in flight).
_CONCURRENT = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<mult>thousand|k(?![a-z]))?\+?\s+(?:concurrent|simultaneous|parallel)\s+"
    r"(?:[a-z-]+\s+){0,2}?(?:quer(?:y|ies)|users?|requests?)\b"
)


def find_concurrent_queries(text: str) -> float | None:
    """Queries the stores run at once, when the requirement states a concurrency rather than a rate."""
    match = _CONCURRENT.search(text.lower())
    if match is None:
        return None
    return float(match.group("num")) * _MULTIPLIERS.get(match.group("mult") or "", 1.0)


# Counted things that are reads a store serves, not records the pipeline moves.
_SERVED = re.compile(r"quer(?:y|ies)|requests?|lookups?|reads?")


@dataclass(frozen=True)
class Volume:
    """Stated data volumes, normalised; None where the text says nothing."""

    events_per_second: float | None
    bytes_per_day: float | None
    total_records: float | None
    total_bytes: float | None
    phrases: tuple[str, ...]
    queries_per_second: float | None = None  # reads the stores serve ("100K queries/sec"): not data arriving

    @property
    def phrases_of_data(self) -> bool:
        """Whether any figure is about data moved (not only about queries served)."""
        figures = (self.events_per_second, self.bytes_per_day, self.total_records, self.total_bytes)
        return any(f is not None for f in figures)

    @property
    def volume_class(self) -> str:
        """small, medium or large, from whichever figure is stated."""
        eps, bpd = self.events_per_second or 0, self.bytes_per_day or 0
        total, size = self.total_records or 0, self.total_bytes or 0
        if eps >= 1e4 or bpd >= 1e12 or total >= 1e9 or size >= 1e13:
            return "large"
        if eps >= 100 or bpd >= 1e10 or total >= 1e7 or size >= 1e11:
            return "medium"
        return "small"


def find_volume(text: str) -> tuple[Volume | None, list[tuple[int, int]]]:
    """Stated volumes, and the spans they used (so "10TB daily" is not also a schedule)."""
    eps: list[float] = []
    bpd: list[float] = []
    totals: list[float] = []
    sizes: list[float] = []
    qps: list[float] = []
    phrases: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _VOLUME.finditer(text):
        amount = float(match.group("num")) * _MULTIPLIERS.get(match.group("mult") or "", 1.0)
        rate = _RATE_SECONDS.get(match.group("rate") or "")
        if match.group("bytes"):
            amount *= _BYTES[match.group("bytes")]
            if rate:
                bpd.append(amount * 86400 / rate)
            else:
                sizes.append(amount)
        elif rate and _SERVED.fullmatch(match.group("count") or ""):
            qps.append(amount / rate)
        elif rate:
            eps.append(amount / rate)
        else:
            totals.append(amount)
        phrases.append(match.group(0).strip())
        spans.append(match.span())
    if not phrases:
        return None, spans
    return (
        Volume(
            max(eps, default=None),
            max(bpd, default=None),
            max(totals, default=None),
            max(sizes, default=None),
            tuple(phrases),
            max(qps, default=None),
        ),
        spans,
    )
