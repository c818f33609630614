"""Deciding which mentioned technologies are sources and which are sinks.

Markers in the sentence decide first ("from X", "to Y", "X into Y", "X -> Y", "store X in Y");
technologies no marker reaches are placed by their kind (a warehouse is a sink, a stream or a
database a source). Where files "land" or "arrive" is where the pipeline picks them up when a
destination follows ("files landing in ADLS, ingested into Databricks").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from dataforge.catalog import Catalog
from dataforge.catalog.model import SINK_KINDS
from dataforge.facts.mentions import Mention
from dataforge.facts.text import Token

Role = Literal["source", "sink"]
MarkerState = Literal["source", "sink", "place"]

_SOURCE_MARKERS = frozenset({"from"})
_SINK_MARKERS = frozenset({"to", "into", "onto", "towards", "->", "=>", "→"})
# "in"/"on"/"at" only mark a sink after a landing verb: "write events to S3", "store it on GCS".
_PLACE_WORDS = frozenset({"in", "on", "at", "inside", "by"})
_LANDING_VERBS = frozenset(
    {
        "store", "stored", "storing", "write", "writes", "written", "writing", "persist", "persisted",
        "load", "loaded", "loading", "sink", "sinking", "publish", "published", "deliver", "delivered",
        "materialize", "materialise", "dump", "dumped", "save", "saved", "keep", "kept", "archive",
        "archived", "serve", "served", "query", "queried", "backed",
    }
)  # fmt: skip
# Files that land, arrive or are dropped somewhere were put there by someone else: the place they
# reach is read by position ("place"), so a destination named later makes it the source.
_ARRIVAL_VERBS = frozenset(
    {
        "land", "lands", "landed", "landing", "arrive", "arrives", "arrived", "arriving",
        "drop", "drops", "dropped", "dropping", "upload", "uploads", "uploaded", "uploading",
        "deposit", "deposits", "deposited",
    }
)  # fmt: skip
# A marker followed by a number or a bound is a range, not a direction: "from 5 minutes to under
# 5 seconds", "load in under 10 seconds"; "up to date" is not a destination either.
_NOT_DIRECTION_NEXT = frozenset(
    {"under", "below", "less", "over", "above", "about", "around", "date", "sync"}
)
# "served from Cassandra": the store results are served from is written to.
_SERVING_VERBS = frozenset({"serve", "served", "serves", "serving", "exposed"})
# "disaster recovery for our BigQuery warehouse", "backups of Postgres": what is protected is read from.
_PROTECTION_WORDS = frozenset({"recovery", "dr", "backup", "backups", "failover"})
# "keep Elasticsearch in sync with MongoDB": what a store is kept in sync with is read from.
_SYNC_WORDS = frozenset({"sync", "synced", "synchronised", "synchronized", "consistent"})
# "to" before a verb is an infinitive ("a pipeline to replicate X"), not a direction.
_VERBS_AFTER_TO = frozenset(
    {
        "ingest", "load", "move", "replicate", "stream", "sync", "copy", "process", "build", "create",
        "handle", "capture", "serve", "feed", "push", "pull", "read", "land", "transform", "aggregate",
        "power", "support", "enable", "detect", "compute", "analyze", "analyse", "track", "monitor",
        "store", "write", "publish", "deliver", "export", "import", "extract", "join", "enrich", "run",
        "get", "keep", "provide", "produce", "collect", "consume", "ship", "send", "migrate", "be",
    }
)  # fmt: skip
# "events already go to Pub/Sub", "CSVs sitting in blob storage": where the data already is, is read from.
_ALREADY_THERE = frozenset({"already", "sitting", "sits", "sit", "lives", "living", "resides", "residing"})
# "instead of copying it into Redshift": what the requirement turns away from is neither read nor written.
_TURNING_AWAY = (("instead", "of"), ("rather", "than"))
_CLAUSE_BREAKS = frozenset({".", ";"})
# Words that end the noun phrase a "from" opened: "from Kinesis for dashboards ... in Redshift".
_SOURCE_SCOPE_ENDS = frozenset(
    {"for", "with", "in", "on", "using", "via", "where", "while", "plus", "then", "so", "that", "which", "at"}
)


def _marker_state(words: list[str], i: int, current: MarkerState | None) -> MarkerState | None:
    """The marker state after reading word i."""
    word = words[i]
    following = words[i + 1] if i + 1 < len(words) else ""
    before = words[max(0, i - 4) : i]
    if word in _CLAUSE_BREAKS:
        return None
    if word in _SOURCE_MARKERS | _SINK_MARKERS | _PLACE_WORDS and (
        following in _NOT_DIRECTION_NEXT or following[:1].isdigit()
    ):
        return current
    if word in ("for", "of") and i and words[i - 1] in _PROTECTION_WORDS:
        return "source"
    if word == "with" and _SYNC_WORDS.intersection(words[max(0, i - 2) : i]):
        return "source"
    if word in _SOURCE_MARKERS:
        return "sink" if i and words[i - 1] in _SERVING_VERBS else "source"
    if word in _SINK_MARKERS | _PLACE_WORDS and _ALREADY_THERE.intersection(words[max(0, i - 3) : i]):
        return "source"
    if word in _SINK_MARKERS | _PLACE_WORDS and _follows_arrival(words, i):
        return "place"
    if word in _SINK_MARKERS and following in _VERBS_AFTER_TO:
        # An infinitive ends the noun phrase a "from" opened: "from MySQL to keep a ClickHouse replica".
        return None if current in ("source", "place") else current
    if word in _SINK_MARKERS:
        return "sink"
    if word in _PLACE_WORDS:
        # "store events in S3" is a destination; "counts in Cassandra" is one only when the
        # sentence already has a source, which assign_roles knows and this scan does not.
        return "sink" if _LANDING_VERBS.intersection(before) else "place"
    if current in ("source", "place") and word in _SOURCE_SCOPE_ENDS:
        return None
    return None if current == "place" else current


def _follows_arrival(words: list[str], i: int) -> bool:
    """Whether word i ends "files land(ed)/arrive/are dropped ..." with no other marker in between."""
    for word in reversed(words[max(0, i - 4) : i]):
        if word in _ARRIVAL_VERBS:
            return True
        if word in _SOURCE_MARKERS | _SINK_MARKERS | _PLACE_WORDS | _CLAUSE_BREAKS:
            return False
    return False


def marker_roles(tokens: list[Token]) -> list[MarkerState | None]:
    """For each token, the marker state that a mention starting there is read in."""
    words = [t.text for t in tokens]
    roles: list[MarkerState | None] = []
    current: MarkerState | None = None
    for i in range(len(words)):
        roles.append(current)
        current = _marker_state(words, i, current)
    return roles


def assign_roles(
    tokens: list[Token], mentions: list[Mention], catalog: Catalog
) -> tuple[list[str], list[str]]:
    """Split data-technology mentions into (sources, sinks), each in order of first mention."""
    roles = marker_roles(tokens)
    ignored = _turned_away(tokens)
    data = [
        m
        for m in mentions
        if m.type == "technology" and catalog.technology(m.id).is_data and m.first_token not in ignored
    ]
    # Only a marker that names a technology counts ("from 50K devices", "to dashboards" do not).
    first_sink = min((m.first_token for m in data if roles[m.first_token] == "sink"), default=len(roles))
    first_source = min((m.first_token for m in data if roles[m.first_token] == "source"), default=len(roles))
    kinds_of = {m.id: catalog.technology(m.id).kind for m in data}
    placed: list[tuple[Mention, Role | None]] = []
    for mention in data:
        state = roles[mention.first_token]
        role: Role | None = None
        if state == "place":
            role = _place_role(
                catalog.technology(mention.id).kind,
                seen_source=any(r == "source" for _, r in placed),
                sink_marker_follows=mention.first_token < first_sink < len(roles),
                source_marker_follows=mention.first_token < first_source < len(roles),
            )
        elif state is not None:
            role = state
        elif mention.first_token < first_sink < len(roles) and kinds_of[mention.id] != "table_format":
            # "Postgres to Snowflake": what precedes the first "to" is read from (but "Hudi upserts from MySQL
            # into GCS" names the table format written, not a source)
            role = "source"
        elif mention.first_token < first_source < len(roles):
            role = "sink"  # "Snowflake, fed from Kafka": what precedes "from" is written to
        placed.append((mention, role))
    kinds = {m.id: catalog.technology(m.id).kind for m in data}
    has_format = "table_format" in kinds.values()
    has_sink_kind = any(k in SINK_KINDS for k in kinds.values())
    has_source_kind = any(k not in SINK_KINDS and k != "object_store" for k in kinds.values())
    sources: list[str] = []
    sinks: list[str] = []
    for mention, role in placed:
        kind = kinds[mention.id]
        if role is None:
            role = _role_by_kind(kind, has_format, has_sink_kind, has_source_kind)
        target = sources if role == "source" else sinks
        if mention.id not in target:
            target.append(mention.id)
    return _files_put_there_first(sources, sinks, kinds)


def _turned_away(tokens: list[Token]) -> set[int]:
    """Token indexes after "instead of" / "rather than", up to the end of the clause."""
    words = [t.text for t in tokens]
    ignored: set[int] = set()
    for i in range(len(words) - 1):
        if (words[i], words[i + 1]) in _TURNING_AWAY:
            j = i + 2
            while j < len(words) and words[j] not in _CLAUSE_BREAKS:
                ignored.add(j)
                j += 1
    return ignored


def _files_put_there_first(
    sources: list[str], sinks: list[str], kinds: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """Files put in an object store, then loaded elsewhere, make the store the source when none is named.

    "A partner writes files to S3; load them into Snowflake": S3 is where this pipeline starts.

    A stream written on the way ("into Kafka, then into Elasticsearch") stays a sink, as the corpora label it.
    """
    into_store_first = len(sinks) > 1 and kinds[sinks[0]] == "object_store"
    if not sources and into_store_first and any(kinds[s] in SINK_KINDS for s in sinks[1:]):
        sources, sinks = [sinks[0]], sinks[1:]
    return sources, sinks


def _place_role(
    kind: str, *, seen_source: bool, sink_marker_follows: bool, source_marker_follows: bool
) -> Role | None:
    """The role of a technology named after "in"/"on"/"by", or None to let its kind decide.

    "files in ADLS loaded into Synapse" is read from; "counts in Cassandra" (after a source),
    "tables on GCS" and "features in DynamoDB from Kinesis" are written to.
    """
    if sink_marker_follows:
        return "source"
    if seen_source or source_marker_follows or kind in SINK_KINDS or kind == "object_store":
        return "sink"
    return None


def _role_by_kind(kind: str, has_format: bool, has_sink_kind: bool, has_source_kind: bool) -> Role:
    if kind in SINK_KINDS:
        return "sink"
    if kind != "object_store":
        return "source"
    # An object store with no marker: the home of the tables when a table format is named,
    # the landing zone when something else feeds it, otherwise the files being read.
    if has_format or (has_source_kind and not has_sink_kind):
        return "sink"
    return "source"
