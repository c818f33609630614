"""Stage 1: requirement text -> facts. Pure functions over the catalogue; nothing is decided here."""

from __future__ import annotations

import re
from collections.abc import Collection

from dataforge.catalog import Catalog, load_catalog
from dataforge.facts.direction import assign_roles
from dataforge.facts.formats import find_file_format
from dataforge.facts.measures import (
    find_concurrent_queries,
    find_latency,
    find_query_goal,
    find_schedule,
    find_volume,
    is_negated,
)
from dataforge.facts.mentions import Mention, PhraseIndex, default_index, find_mentions
from dataforge.facts.model import Correction, Facts
from dataforge.facts.text import normalise, tokenise
from dataforge.facts.window import find_window

__all__ = ["Correction", "Facts", "extract_facts"]

# Capitalised words mid-sentence that are ordinary English or acronyms we do not need to flag.
_ORDINARY = frozenset(
    {
        "i", "we", "ml", "ai", "bi", "sla", "slas", "etl", "elt", "csv", "json", "jsonl", "xml", "pii",
        "gdpr", "sql", "kpi", "kpis", "tb", "gb", "pb", "mb", "id", "ids", "ui", "us", "eu", "uk", "eta",
        "python", "scala", "java", "parquet", "avro", "orc", "excel", "lake", "data", "cloud", "the",
    }
)  # fmt: skip
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][A-Za-z0-9]{2,})\b")


def _first_cloud(
    mentions: list[Mention], catalog: Catalog, wanted: Collection[str], ids: list[str]
) -> str | None:
    for mention in mentions:
        tech = catalog.technology(mention.id) if mention.type == "technology" else None
        if tech is not None and mention.cloud_hint and tech.kind in wanted and (not ids or mention.id in ids):
            return mention.cloud_hint
    return None


def _unrecognised(requirement: str, index: PhraseIndex) -> list[str]:
    known = {word for phrase in index.phrases for word in phrase}
    flagged: list[str] = []
    for match in _CAPITALISED.finditer(requirement):
        word = match.group(1)
        lowered = word.lower()
        if lowered not in known and lowered not in _ORDINARY and word not in flagged:
            flagged.append(word)
    return flagged


def extract_facts(requirement: str, catalog: Catalog | None = None) -> Facts:
    """Read a (checked) requirement into facts: technologies and their roles, intents, measures."""
    catalog = catalog or load_catalog()
    index = default_index()
    text = normalise(requirement)
    tokens = tokenise(text)
    mentions = find_mentions(tokens, index)
    techs = [m for m in mentions if m.type == "technology"]
    sources, sinks = assign_roles(tokens, mentions, catalog)
    sinks = _lake_rewritten_in_place(sources, sinks, {m.id for m in mentions if m.type == "intent"}, catalog)
    if "api" in sources and any(catalog.technology(s).kind == "saas" for s in sources):
        sources = [
            s for s in sources if s != "api"
        ]  # "Stripe via its REST API": the API is how Stripe is read

    volume, volume_spans = find_volume(text)
    unscheduled = text
    for start, end in volume_spans:  # "10TB daily" is a volume, not a schedule
        unscheduled = unscheduled[:start] + " " * (end - start) + unscheduled[end:]
    latency = find_latency(text)
    schedule = find_schedule(unscheduled)
    window = find_window(text)

    def kinds(*wanted: str) -> list[str]:
        return _dedupe(m.id for m in techs if catalog.technology(m.id).kind in wanted)

    data_kinds = {t.kind for t in catalog.technologies if t.is_data}
    return Facts(
        requirement=requirement,
        sources=sources,
        sinks=sinks,
        technologies=_dedupe(m.id for m in techs),
        intents=_dedupe(
            m.id for m in mentions if m.type == "intent" and not is_negated(text, tokens[m.first_token].start)
        ),
        explicit_cloud=next((m.cloud_hint for m in techs if catalog.technology(m.id).kind == "cloud"), None),
        source_cloud=_first_cloud(techs, catalog, data_kinds, sources),
        sink_cloud=_first_cloud(techs, catalog, data_kinds, [s for s in sinks if s not in sources]),
        service_cloud=_first_cloud(techs, catalog, {"cloud_service"}, []),
        clouds=_dedupe(m.cloud_hint for m in techs if m.cloud_hint),
        ci=next(iter(kinds("ci")), None),
        table_formats=kinds("table_format"),
        engines=kinds("engine"),
        latency_seconds=latency.seconds if latency else None,
        latency_class=latency.latency_class if latency else None,
        latency_phrase=latency.phrase if latency else None,
        schedule_cron=schedule.cron if schedule else None,
        schedule_period_seconds=schedule.period_seconds if schedule else None,
        schedule_phrase=schedule.phrase if schedule else None,
        events_per_second=volume.events_per_second if volume else None,
        bytes_per_day=volume.bytes_per_day if volume else None,
        total_records=volume.total_records if volume else None,
        total_bytes=volume.total_bytes if volume else None,
        volume_class=volume.volume_class if volume and volume.phrases_of_data else None,
        queries_per_second=volume.queries_per_second if volume else None,
        concurrent_queries=find_concurrent_queries(text),
        query_goal_phrase=find_query_goal(text),
        file_format=find_file_format(text),
        incremental_phrase=window.incremental_phrase,
        full_refresh_phrase=window.full_refresh_phrase,
        corrections=[
            Correction(written=m.corrected_from, read_as=m.spelling, technology=m.id)
            for m in techs
            if m.corrected_from
        ],
        unrecognised=_unrecognised(requirement, index),
    )


_IN_PLACE_INTENTS = frozenset({"compaction", "acid", "time_travel", "data_lake"})


def _lake_rewritten_in_place(
    sources: list[str], sinks: list[str], intents: set[str], catalog: Catalog
) -> list[str]:
    """A lake rewritten in place is read and written ("convert our S3 lake to Delta", "ACID on our lake")."""
    kind = {t: catalog.technology(t).kind for t in [*sources, *sinks]}
    lake = sources[0] if sources and kind[sources[0]] == "object_store" else None
    if lake is None or not intents & _IN_PLACE_INTENTS or any(kind[s] != "table_format" for s in sinks):
        return sinks
    return [*sinks, lake]


def _dedupe(items: object) -> list[str]:
    seen: list[str] = []
    for item in items:  # type: ignore[attr-defined]
        if item not in seen:
            seen.append(item)
    return seen
