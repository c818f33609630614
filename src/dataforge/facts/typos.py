"""Typo tolerance: map a misspelt technology name onto the catalogue, conservatively."""

from __future__ import annotations

from collections.abc import Mapping

# English words within one edit of a technology spelling; never "corrected".
_NEAR_MISSES = frozenset(
    {
        "strip", "strips", "stride", "strike", "striped", "stripes", "workdays", "deltas", "market",
        "markets", "oracles", "dynamic", "delay", "delays", "kinesiology", "postures", "sales",
    }
)  # fmt: skip


def edit_distance(left: str, right: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of neighbours counts once), capped at limit + 1."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(right) + 1))
    for i, lch in enumerate(left, start=1):
        current = [i] + [0] * len(right)
        for j, rch in enumerate(right, start=1):
            cost = 0 if lch == rch else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and lch == right[j - 2] and left[i - 2] == rch:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> int:
    """How many edits a word of this length may carry and still be read as a typo."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 9 else 2


def closest(word: str, spellings: Mapping[str, str]) -> tuple[str, str] | None:
    """The (spelling, id) nearest to word within the allowed edits.

    ``spellings`` maps each known spelling to its id. None when nothing is near enough, or
    when the nearest spellings belong to different ids (a guess would be a coin toss).
    """
    limit = allowed_edits(word)
    if limit == 0 or word in _NEAR_MISSES or not word.isalpha():
        return None
    scored = sorted((edit_distance(word, s, limit), s) for s in spellings if len(s) >= 5)
    if not scored or scored[0][0] > limit:
        return None
    best = [s for d, s in scored if d == scored[0][0]]
    ids = {spellings[s] for s in best}
    return (best[0], spellings[best[0]]) if len(ids) == 1 else None
