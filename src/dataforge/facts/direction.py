"""Deciding which mentioned technologies are sources and which are sinks.

Markers in the sentence decide first ("from X", "to Y", "X into Y", "X -> Y", "land X in Y");
technologies no marker reaches are placed by their kind (a warehouse is a sink, a stream or a
database a source).
"""

from __future__ import annotations

from typing import Literal

from dataforge.catalog import Catalog
from dataforge.catalog.model import SINK_KINDS
from dataforge.facts.mentions import Mention
from dataforge.facts.text import Token

Role = Literal["source", "sink"]

_SOURCE_MARKERS = frozenset({"from"})
_SINK_MARKERS = frozenset({"to", "into", "onto", "towards", "->", "=>", "→"})
# "in"/"on"/"at" only mark a sink after a landing verb: "land events in S3", "store it on GCS".
_PLACE_WORDS = frozenset({"in", "on", "at", "inside"})
_LANDING_VERBS = frozenset(
    {
        "land", "lands", "landed", "landing", "store", "stored", "storing", "write", "writes", "written",
        "writing", "persist", "persisted", "load", "loaded", "loading", "sink", "sinking", "publish",
        "published", "deliver", "delivered", "materialize", "materialise", "dump", "dumped", "save",
        "saved", "keep", "kept", "archive", "archived", "serve", "served", "query", "queried",
    }
)  # fmt: skip
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
_CLAUSE_BREAKS = frozenset({".", ";"})
# Words that end the noun phrase a "from" opened: "from Kinesis for dashboards ... in Redshift".
_SOURCE_SCOPE_ENDS = frozenset(
    {"for", "with", "in", "on", "using", "via", "where", "while", "plus", "then", "so", "that", "which", "at"}
)


def _marker_state(words: list[str], i: int, current: Role | None) -> Role | None:
    """The marker state after reading word i."""
    word = words[i]
    if word in _CLAUSE_BREAKS:
        return None
    if word in _SOURCE_MARKERS:
        return "source"
    if word in _SINK_MARKERS:
        following = words[i + 1] if i + 1 < len(words) else ""
        return current if following in _VERBS_AFTER_TO else "sink"
    if word in _PLACE_WORDS and _LANDING_VERBS.intersection(words[max(0, i - 4) : i]):
        return "sink"
    if current == "source" and word in _SOURCE_SCOPE_ENDS:
        return None
    return current


def marker_roles(tokens: list[Token]) -> list[Role | None]:
    """For each token, the role that markers before it give a mention starting there."""
    words = [t.text for t in tokens]
    roles: list[Role | None] = []
    current: Role | None = None
    for i in range(len(words)):
        roles.append(current)
        current = _marker_state(words, i, current)
    return roles


def _first_sink_marker(roles: list[Role | None]) -> int:
    return next((i for i, role in enumerate(roles) if role == "sink"), len(roles))


def assign_roles(
    tokens: list[Token], mentions: list[Mention], catalog: Catalog
) -> tuple[list[str], list[str]]:
    """Split data-technology mentions into (sources, sinks), each in order of first mention."""
    roles = marker_roles(tokens)
    first_sink = _first_sink_marker(roles)
    data = [m for m in mentions if m.type == "technology" and catalog.technology(m.id).is_data]
    placed: list[tuple[Mention, Role | None]] = []
    for mention in data:
        role = roles[mention.first_token]
        if role is None and mention.first_token < first_sink < len(roles):
            role = "source"  # "Postgres to Snowflake": what precedes the first "to" is read from
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
    return sources, sinks


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
