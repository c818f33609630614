"""Normalising and tokenising requirement text, shared by every extractor."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Arrows are direction markers; "." and ";" end a clause; "/" joins "Pub/Sub" and "readings/hour".
_TOKEN = re.compile(r"->|=>|→|[a-z0-9]+(?:[-'.][a-z0-9]+)*|[/.;]")


@dataclass(frozen=True)
class Token:
    """A lowercase word or marker with its position in the normalised text."""

    text: str
    index: int
    start: int
    end: int


def normalise(text: str) -> str:
    """Fold Unicode compatibility forms and case; collapse whitespace."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = folded.replace("\u2011", "-").replace("\u2013", "-").replace("\u2014", " - ")
    return " ".join(folded.split())


def tokenise(normalised: str) -> list[Token]:
    """Split normalised text into tokens; arrows survive as single tokens."""
    return [
        Token(match.group(0), index, match.start(), match.end())
        for index, match in enumerate(_TOKEN.finditer(normalised))
    ]


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The token sequence a catalogue phrase must match."""
    return tuple(token.text for token in tokenise(normalise(phrase)))
