"""Stage 0: the requirement text itself. Refuses what no extractor should be asked to read."""

from __future__ import annotations

import unicodedata

from dataforge.errors import RequirementError

MAX_LENGTH = 1000


def has_undecodable_bytes(text: str) -> bool:
    """Whether text holds bytes that were not UTF-8 (Python keeps them as lone surrogates, e.g. in argv)."""
    return any("\ud800" <= c <= "\udfff" for c in text)


def check_requirement(text: str) -> str:
    """Return the requirement with surrounding whitespace removed, or raise RequirementError."""
    if has_undecodable_bytes(text):
        raise RequirementError(
            "The requirement is not valid UTF-8 text.",
            hint="Check your terminal's encoding (e.g. LANG=C.UTF-8) and type the sentence again.",
        )
    if "\x00" in text or "\ufffd" in text:
        raise RequirementError("The requirement looks like binary data, not a sentence.")
    stripped = text.strip()
    if not stripped:
        raise RequirementError("The requirement is empty.")
    if len(stripped) > MAX_LENGTH:
        raise RequirementError(
            f"The requirement is {len(stripped)} characters long; the limit is {MAX_LENGTH}.",
            hint="Say the essentials in one or two sentences: sources, destinations, latency, cloud.",
        )
    controls = [c for c in stripped if unicodedata.category(c) == "Cc" and c not in "\t\n\r"]
    if controls:
        raise RequirementError("The requirement contains control characters; it looks like binary data.")
    if not any(c.isalnum() for c in stripped):
        raise RequirementError("The requirement has no words in it.")
    return stripped
