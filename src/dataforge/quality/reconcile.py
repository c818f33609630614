"""Merge a suite proposed from a data file into the suite already there, so the result accepts that file.

The suite already there is the project's schema-derived suite of an entity of the same name, a suite an
earlier `add-quality-suite` wrote, or one the user wrote; its expectations are sorted by where they came from:

- `dataforge`: written by `add-quality-suite` and unedited (its fingerprint matches): the new proposal
  replaces it, as for an unedited suite;
- `schema`: derived from the project's schema and unedited (as recorded in the pristine copy): kept only when
  the file passes it, as far as the profile (and one regex pass) can tell; type expectations always come from
  the profile;
- `user`: added or edited by the user: kept unless the file fails it.

Whatever the origin, an expectation on a column the file lacks is dropped, and one the file fails is replaced
by the proposal's expectation of the same kind (or dropped when there is none). Every decision is a `Change`,
shown before anything is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dataforge.quality.profile import TableProfile
from dataforge.quality.suite import Change, Key, column_label, is_user_owned, key_of, short
from dataforge.quality.verify import PASSES, columns_of, count_misses, patterns_to_check, verdict

TYPE_CHECK = "expect_column_values_to_be_in_type_list"
NO_COLUMN = "the file has no column"  # how a change dropped for a missing column begins


def canonical(expectation: dict[str, Any]) -> str:
    """An expectation's content as comparable text (GX's `id` and `meta` left out: they are not rules)."""
    return json.dumps([expectation.get("type"), expectation.get("kwargs") or {}], sort_keys=True, default=str)


def schema_expectations(pristine: bytes | None) -> set[str] | None:
    """The canonical forms of the expectations in the suite as dataforge last wrote it (None if unknown)."""
    if pristine is None:
        return None
    try:
        loaded = json.loads(pristine)
    except ValueError:
        return None
    items = loaded.get("expectations") if isinstance(loaded, dict) else None
    return {canonical(e) for e in items if isinstance(e, dict)} if isinstance(items, list) else None


def origin(expectation: dict[str, Any], recorded: set[str] | None) -> str:
    """`dataforge`, `schema` or `user` (see the module's docstring)."""
    meta = expectation.get("meta") or {}
    if meta.get("generated_by") != "dataforge":
        return "user"
    if "fingerprint" in meta:
        return "user" if is_user_owned(expectation) else "dataforge"
    if recorded is not None and canonical(expectation) not in recorded:
        return "user"  # a schema-derived expectation the user edited
    return "schema"


def reconcile(
    current: dict[str, Any],
    fresh: list[dict[str, Any]],
    profile: TableProfile,
    sample: Path,
    *,
    keep_user: bool,
    recorded: set[str] | None = None,
) -> tuple[list[dict[str, Any]], list[Change]]:
    """The expectations to write and what changed; `keep_user` False: the current suite is dataforge's own.

    `recorded` holds the canonical forms of the current suite's expectations as dataforge last wrote them
    (to tell a schema-derived expectation from one the user edited).
    """
    old = list(current.get("expectations") or [])
    previously = set((current.get("meta") or {}).get("dataforge", {}).get("generated") or [])
    have = set(profile.columns)
    misses = count_misses(sample, patterns_to_check(old, have))
    fresh_by_key = {key_of(e): e for e in fresh}
    held: dict[Key, dict[str, Any]] = {}  # old expectations kept in place of the proposal's
    extra: list[dict[str, Any]] = []  # old expectations kept beside the proposal
    ours: dict[Key, dict[str, Any]] = {}  # dataforge's own earlier expectations, which the proposal updates
    changes: list[Change] = []
    settled: set[Key] = set()  # proposal keys whose change is already listed
    for e in old:
        key = key_of(e)
        source = origin(e, recorded) if keep_user else "dataforge"
        counterpart = fresh_by_key.get(key)
        lacking = [c for c in columns_of(e) if c not in have]
        if lacking:
            changes.append(_change("dropped", e, f"{NO_COLUMN} {', '.join(lacking)}"))
        elif source == "dataforge" and counterpart is not None:
            ours[key] = e
        elif source == "dataforge":
            changes.append(_change("removed", e, "no longer supported by the data"))
        else:
            found = verdict(e, profile, misses)
            if e.get("type") == TYPE_CHECK and source == "schema" and counterpart is not None:
                same = counterpart["kwargs"] == e.get("kwargs")
                found = found if same else "types come from the file's profile"
            whose = "yours" if source == "user" else "the schema's"
            if found == PASSES or (found is None and source == "user"):
                if counterpart is None or key in held:
                    extra.append(e)
                else:
                    held[key] = e
                    settled.add(key)
                detail = "yours" if source == "user" else "from the schema; the file passes it"
                changes.append(_change("kept", e, detail))
            elif counterpart is not None and key not in held:
                reason = found or "cannot be checked against the file"
                changes.append(
                    _change("replaced", e, f"{reason}; {whose} {short(e)} -> {short(counterpart)}")
                )
                settled.add(key)
            else:
                changes.append(
                    _change("dropped", e, f"{whose}: {found or 'cannot be checked against the file'}")
                )
    result = []
    for expectation in fresh:
        key = key_of(expectation)
        if key in held:
            result.append(held[key])
            continue
        before = ours.get(key)
        if keep_user and before is None and key not in settled and "|".join(key) in previously:
            changes.append(Change("skipped", key[0], column_label(key), "you removed it; not re-added"))
            continue
        result.append(expectation)
        if key in settled:
            continue
        if before is None:
            changes.append(Change("added", key[0], column_label(key), short(expectation)))
        elif (before.get("kwargs") or {}) != expectation["kwargs"]:
            changes.append(
                Change("changed", key[0], column_label(key), f"{short(before)} -> {short(expectation)}")
            )
    return result + extra, changes


def _change(action: str, expectation: dict[str, Any], detail: str) -> Change:
    key = key_of(expectation)
    return Change(action, key[0], column_label(key), detail)
