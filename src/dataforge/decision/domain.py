"""Which sample domain a project models: what the requirement is about, else what its source usually holds.

The domains and their keywords are data (catalog/domains.toml). A keyword is a word or phrase matched as
whole words of the requirement; the keyword mentioned first wins (at the same word, the longer phrase, so
"sales orders" beats "sales"). When no keyword is mentioned, the domain follows the primary source. A named
SaaS connector (Stripe, GitHub, HubSpot) lands its API's own objects, so its domain comes first of all.
"""

from __future__ import annotations

from dataforge.catalog import Catalog
from dataforge.catalog.model import Domain
from dataforge.decision.model import Reason
from dataforge.facts.text import normalise, phrase_key, tokenise


def _first_position(words: list[str], phrase: tuple[str, ...]) -> int | None:
    for start in range(len(words) - len(phrase) + 1):
        if tuple(words[start : start + len(phrase)]) == phrase:
            return start
    return None


def _mentioned(requirement: str, catalog: Catalog) -> tuple[Domain, str] | None:
    """The domain whose keyword the requirement mentions first, with the words as written there."""
    words = [token.text for token in tokenise(normalise(requirement))]
    for ignored in map(phrase_key, catalog.not_domain_phrases):
        while (start := _first_position(words, ignored)) is not None:
            words[start : start + len(ignored)] = [""] * len(ignored)  # no keyword matches an empty word
    best: tuple[int, int, int] | None = None
    found: tuple[Domain, str] | None = None
    for order, domain in enumerate(catalog.domains):
        for keyword in domain.keywords:
            phrase = phrase_key(keyword)
            position = _first_position(words, phrase)
            if position is None:
                continue
            rank = (position, -len(phrase), order)
            if best is None or rank < best:
                best, found = rank, (domain, " ".join(words[position : position + len(phrase)]))
    return found


def _entities(domain: Domain) -> str:
    return " and ".join(entity.name for entity in domain.entity)


def choose_domain(requirement: str, source: str | None, catalog: Catalog) -> tuple[str, Reason]:
    """The sample domain's id and the reason the plan shows for it."""
    bound = catalog.connector_domain(source or "")
    if bound is not None and source:
        because = (
            f"The {catalog.technology(source).name} connector lands the objects its API returns: the sample "
            f"entities are {_entities(bound)} ({bound.id})."
        )
        return bound.id, Reason(rule="domain.connector", because=because)
    mentioned = _mentioned(requirement, catalog)
    if mentioned is not None:
        domain, words = mentioned
        because = (
            f'The requirement speaks of "{words}": the sample entities are {_entities(domain)} ({domain.id}).'
        )
        return domain.id, Reason(rule="domain.keyword", because=because)
    domain = catalog.domain_for(source or "")
    listed = bool(source) and source in domain.sources
    usual = f", the usual example for a {catalog.technology(source).name} source" if listed and source else ""
    because = (
        f"The requirement does not say what the data is about; the sample entities are {_entities(domain)} "
        f"({domain.id}){usual}: replace them with your own."
    )
    return domain.id, Reason(rule="domain.source" if listed else "domain.default", because=because)
