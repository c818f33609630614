"""The facts extracted from a requirement: what it says, before anything is decided."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Correction(BaseModel):
    """A misspelt technology name read as a catalogue spelling."""

    model_config = ConfigDict(frozen=True)

    written: str
    read_as: str
    technology: str


class Facts(BaseModel):
    """Everything the extractors found, in order of mention. Nothing here is a decision."""

    model_config = ConfigDict(frozen=True)

    requirement: str
    sources: list[str] = []
    sinks: list[str] = []
    technologies: list[str] = []
    intents: list[str] = []
    explicit_cloud: str | None = None
    source_cloud: str | None = None
    sink_cloud: str | None = None
    service_cloud: str | None = None
    clouds: list[str] = []
    ci: str | None = None
    table_formats: list[str] = []
    engines: list[str] = []
    latency_seconds: float | None = None
    latency_class: str | None = None
    latency_phrase: str | None = None
    schedule_cron: str | None = None
    schedule_period_seconds: int | None = None
    schedule_phrase: str | None = None
    events_per_second: float | None = None
    bytes_per_day: float | None = None
    total_records: float | None = None
    total_bytes: float | None = None
    volume_class: str | None = None
    query_goal_phrase: str | None = None  # "under 5 seconds" for queries or dashboards: the store's target
    queries_per_second: float | None = None  # a serving load ("100K queries/sec"), not a data rate
    concurrent_queries: float | None = None  # a serving concurrency ("500 concurrent dashboard queries")
    file_format: str | None = None  # csv, json, parquet, avro or orc: the files the requirement reads
    incremental_phrase: str | None = None  # "yesterday's", "changes since", "incremental", "CDC"...
    full_refresh_phrase: str | None = None  # "full refresh", "whole table", "snapshot"...
    corrections: list[Correction] = []
    unrecognised: list[str] = []

    @property
    def signal_count(self) -> int:
        """How many things were understood at all; zero means the text is not a data requirement."""
        return (
            len(self.technologies)
            + len(self.intents)
            + (self.latency_class is not None)
            + (self.schedule_cron is not None)
        )
