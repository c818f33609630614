"""How much of the source each run reads: a time window ("yesterday's", "changes since") or everything.

Two phrase families, kept apart so the rules can weigh them: incremental phrases (the run reads one time
window or the changes since the last run) and full-refresh phrases (the run re-reads whole tables). A
requirement may hold both ("a full load once, then incremental"): the facts keep both and the rules decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A window of time relative to the run, or changes since the last one.
_INCREMENTAL = re.compile(
    r"\byesterday(?:['\u2019]s)?\b"
    r"|\b(?:the )?(?:previous|prior|last|past) (?:day|hour|night|24 hours)(?:['\u2019]s)?\b"
    r"|\b(?:the )?day before\b|\bchanges? since\b|\bchanged since\b|\bsince the last (?:run|load|sync)\b"
    r"|\bnew (?:and|or) (?:changed|updated) (?:rows|records)\b|\bonly (?:the )?new (?:rows|records)\b"
    r"|\bincremental(?:ly)?\b|\bdelta (?:loads?|extracts?)\b|\bwatermark\b|\bhigh[- ]water ?mark\b"
    r"|\bcdc\b|\bchange data capture\b"
)
# Whole tables re-read on every run. "snapshots" (plural) is table versioning, an intent of its own.
_FULL_REFRESH = re.compile(
    r"\bfull(?:[- ]table)? (?:refresh(?:es)?|re-?loads?|loads?|extracts?|dumps?|copy|copies|snapshot)\b"
    r"|\b(?:the )?(?:whole|entire|complete) tables?\b|\ball (?:the )?rows\b|\btruncate and (?:re)?load\b"
    r"|\breload (?:everything|all)\b|\bsnapshot\b"
)
# "instead of a full refresh", "no full reload": the phrase is what the user does not want.
_NEGATED = re.compile(
    r"(?:\bno|\bnot|\bnever|\bwithout|\binstead of|\brather than|\bavoid(?:ing)?)\s+(?:an? |the )?$"
)


@dataclass(frozen=True)
class Window:
    """The phrases that say how much each run reads; None where the text says nothing of that kind."""

    incremental_phrase: str | None
    full_refresh_phrase: str | None


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    for match in pattern.finditer(text):
        if not _NEGATED.search(text[max(0, match.start() - 20) : match.start()]):
            return match.group(0)
    return None


def find_window(text: str) -> Window:
    """The first incremental and the first full-refresh phrase in normalised text (negated ones skipped)."""
    return Window(_first(_INCREMENTAL, text), _first(_FULL_REFRESH, text))
