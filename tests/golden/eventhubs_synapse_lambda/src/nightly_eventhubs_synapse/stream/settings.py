"""The streaming settings, from STREAM_* / CHECKPOINT_ROOT environment variables (see `.env.example`).

Kept apart from `config.Settings` because only the streaming job needs them, and the event generator must place
its late events relative to the same watermark the job applies.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..config import ConfigError, Settings

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
INTERVAL = re.compile(r"^\s*(\d+)\s+(second|minute|hour|day)s?\s*$")


def interval_seconds(text: str) -> int:
    """Seconds in a Spark interval such as `10 minutes` (the form withWatermark and window take)."""
    match = INTERVAL.match(text)
    if not match or int(match[1]) < 1:
        raise ConfigError(f"{text!r} is no interval: write e.g. '10 minutes' or '1 hour'")
    return int(match[1]) * UNITS[match[2]]


@dataclass(frozen=True)
class StreamSettings:
    """How late an event may be (watermark), the window of the counts, the production trigger, where state lives."""

    watermark: str = "10 minutes"
    window: str = "1 hour"
    trigger_seconds: int = 60
    checkpoint_root: str = ""
    dead_letter_root: str = ""

    @property
    def watermark_seconds(self) -> int:
        """The watermark delay in seconds."""
        return interval_seconds(self.watermark)

    def checkpoint(self, query: str) -> str:
        """The checkpoint folder of one streaming query (its offsets, state and the sink's batch ledger)."""
        return f"{self.checkpoint_root.rstrip('/')}/{query}"

    def dead_letters(self, entity: str) -> str:
        """Where the records of `entity` that cannot be used land, with their reason and raw payload."""
        return f"{self.dead_letter_root.rstrip('/')}/{entity}"


def load_stream_settings(settings: Settings, environ: Mapping[str, str] | None = None) -> StreamSettings:
    """Read the STREAM_* variables; checkpoints and dead letters default to `_checkpoints` and `_dead_letter`
    under the curated zone (under DATA_DIR locally, so `make clean` removes them)."""
    env = os.environ if environ is None else environ
    root = settings.curated_root.rstrip("/")
    result = StreamSettings(
        watermark=env.get("STREAM_WATERMARK") or "10 minutes",
        window=env.get("STREAM_WINDOW") or "1 hour",
        trigger_seconds=int(env.get("STREAM_TRIGGER_SECONDS") or 60),
        checkpoint_root=env.get("CHECKPOINT_ROOT") or f"{root}/_checkpoints",
        dead_letter_root=env.get("DEAD_LETTER_ROOT") or f"{root}/_dead_letter",
    )
    interval_seconds(result.window)
    result.watermark_seconds  # noqa: B018 -- fail early on a malformed STREAM_WATERMARK
    return result
