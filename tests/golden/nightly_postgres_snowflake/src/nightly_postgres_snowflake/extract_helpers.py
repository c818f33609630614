"""What every source reader (`source.py`) shares: where extracted files go, records -> rows, paging, retries, HTTP.

Pure functions (no network unless you call `http_get_json`), unit-tested in `tests/test_extract.py`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from .config import Settings, partition_dir
from .schema import ENTITIES

log = logging.getLogger(__name__)


def landing_folder(settings: Settings, ds: str, hour: str | None = None) -> Path:
    """Local scratch folder holding one run's extracted files (`ds=<ds>`, or `ds=<ds>/ingest_hour=<HH>` for an
    hour), one sub-folder per entity."""
    folder = settings.landing_dir / f"ds={ds}"
    return folder if hour is None else folder / partition_dir(ds, hour).split("/", 1)[1]


def landing_path(
    settings: Settings, entity: str, ds: str, filename: str | None = None, hour: str | None = None
) -> Path:
    """Where an extracted file of `entity` waits before landing: `<landing folder>/<entity>/<filename>`."""
    return landing_folder(settings, ds, hour) / entity / (filename or f"{entity}.csv")


def to_rows(entity: str, records: list[dict[str, Any]], mapping: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Keep only the entity's columns from source records (`mapping`: entity column -> source field)."""
    names = ENTITIES[entity].column_names
    mapping = mapping or {}
    return [{name: record.get(mapping.get(name, name)) for name in names} for record in records]


def paginate(
    fetch: Callable[..., tuple[list[dict[str, Any]], str | None]], first_url: str, max_pages: int = 10_000
) -> Iterator[dict[str, Any]]:
    """Yield records page by page: `fetch(url)` returns `(records, next_url_or_None)`."""
    url: str | None = first_url
    pages = 0
    while url:
        pages += 1
        if pages > max_pages:
            raise RuntimeError(f"more than {max_pages} pages; is the API's next link looping?")
        records, url = fetch(url)
        yield from records


def with_retries(
    call: Callable[..., Any],
    retries: int = 4,
    backoff: float = 1.0,
    retry_on: tuple[type[BaseException], ...] = (OSError,),
    sleep: Callable[..., None] = time.sleep,
) -> Any:
    """Run `call`, retrying transient errors with exponential backoff (1s, 2s, 4s, ...)."""
    for attempt in range(retries + 1):
        try:
            return call()
        except retry_on as error:
            if attempt == retries:
                raise
            delay = backoff * (2**attempt)
            log.warning("attempt %d failed (%s); retrying in %.1fs", attempt + 1, error, delay)
            sleep(delay)
    raise AssertionError("unreachable")


def http_get_json(
    url: str,
    headers: dict[str, str],
    timeout: float = 30.0,
    opener: Callable[..., Any] = urlopen,
    retries: int = 4,
    sleep: Callable[..., None] = time.sleep,
) -> Any:
    """GET `url` and decode JSON, retrying timeouts, connection errors, 429 and 5xx responses."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"only http(s) URLs are fetched, not {url!r}")

    def call() -> Any:
        try:
            # The scheme is checked above: no file:// or custom schemes reach urlopen.
            with opener(Request(url, headers=headers), timeout=timeout) as response:  # nosec B310
                return json.loads(response.read().decode("utf-8"))
        except HTTPError as error:
            if error.code == 429 or error.code >= 500:
                raise ConnectionError(f"HTTP {error.code} from {url}") from error
            raise

    return with_retries(call, retries=retries, retry_on=(ConnectionError, URLError, TimeoutError), sleep=sleep)
