"""Finding catalogue technologies and intents in tokenised text (longest phrase wins)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from dataforge.catalog import Catalog, load_catalog
from dataforge.facts.text import Token, phrase_key
from dataforge.facts.typos import closest

MentionType = Literal["technology", "intent"]


@dataclass(frozen=True)
class Mention:
    """A catalogue entry found in the text."""

    type: MentionType
    id: str
    first_token: int
    last_token: int
    spelling: str
    cloud_hint: str | None = None
    corrected_from: str | None = None


@dataclass(frozen=True)
class _Entry:
    type: MentionType
    id: str
    cloud_hint: str | None


@dataclass(frozen=True)
class PhraseIndex:
    """Every catalogue phrase as a token tuple, and the single-word spellings typos may target."""

    phrases: dict[tuple[str, ...], _Entry]
    longest: int
    typo_targets: dict[str, str]


def build_index(catalog: Catalog) -> PhraseIndex:
    """Index technology synonyms and intent phrases; a phrase may belong to one entry only."""
    phrases: dict[tuple[str, ...], _Entry] = {}

    def put(phrase: str, entry: _Entry) -> None:
        key = phrase_key(phrase)
        existing = phrases.get(key)
        if existing is not None and existing != entry:
            raise ValueError(f"catalogue phrase {phrase!r} names both {existing.id} and {entry.id}")
        phrases[key] = entry

    typo_targets: dict[str, str] = {}
    for tech in catalog.technologies:
        for synonym in tech.synonyms:
            put(synonym, _Entry("technology", tech.id, tech.cloud))
            if tech.is_data and " " not in synonym:
                typo_targets[synonym] = tech.id
        for synonym, cloud in tech.cloud_synonyms.items():
            put(synonym, _Entry("technology", tech.id, cloud))
    for intent in catalog.intents:
        for phrase in intent.phrases:
            put(phrase, _Entry("intent", intent.id, None))
    return PhraseIndex(phrases, max(len(k) for k in phrases), typo_targets)


@cache
def default_index() -> PhraseIndex:
    """The index of the built-in catalogue, built once per process."""
    return build_index(load_catalog())


def find_mentions(tokens: list[Token], index: PhraseIndex | None = None) -> list[Mention]:
    """Scan left to right, taking the longest catalogue phrase at each position.

    A word that matches nothing but is one or two edits from a technology spelling is read as
    that technology, with ``corrected_from`` set so the caller can warn about it.
    """
    index = index or default_index()
    words = [t.text for t in tokens]
    found: list[Mention] = []
    i = 0
    while i < len(words):
        for size in range(min(index.longest, len(words) - i), 0, -1):
            entry = index.phrases.get(tuple(words[i : i + size]))
            if entry is not None:
                spelling = " ".join(words[i : i + size])
                found.append(Mention(entry.type, entry.id, i, i + size - 1, spelling, entry.cloud_hint))
                i += size
                break
        else:
            guess = closest(words[i], index.typo_targets)
            if guess is not None:
                spelling, tech_id = guess
                hint = index.phrases[(spelling,)].cloud_hint
                found.append(Mention("technology", tech_id, i, i, spelling, hint, corrected_from=words[i]))
            i += 1
    return found
