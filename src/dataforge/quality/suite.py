"""Suites in GX's JSON format, and updating one without losing the user's edits.

Every expectation dataforge writes carries `meta.generated_by = "dataforge"` and `meta.fingerprint`, the
hash of its type and kwargs when written. An expectation whose content no longer matches its fingerprint was
edited by the user; one without `generated_by` was added by the user. Both are kept on update. The suite's
`meta.dataforge.generated` lists the keys dataforge wrote, so an expectation the user deleted is not re-added.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from dataforge.quality.propose import Proposal, Proposed

GX_VERSION = "1.24.1"
Key = tuple[str, str]


def fingerprint(kind: str, kwargs: dict[str, Any]) -> str:
    """A short hash of an expectation's content."""
    return hashlib.sha256(json.dumps([kind, kwargs], sort_keys=True, default=str).encode()).hexdigest()[:16]


def key_of(expectation: dict[str, Any]) -> Key:
    """What identifies an expectation across versions: its type and its column(s)."""
    kwargs = expectation.get("kwargs") or {}
    column = kwargs.get("column", kwargs.get("column_list", kwargs.get("column_A", "")))
    return str(expectation.get("type")), json.dumps(column)


def to_gx(proposal: Proposal) -> dict[str, Any]:
    """One expectation in GX's JSON form."""
    meta = {
        "generated_by": "dataforge",
        "why": proposal.why,
        "fingerprint": fingerprint(proposal.type, proposal.kwargs),
    }
    return {"type": proposal.type, "kwargs": proposal.kwargs, "meta": meta, "id": None}


def build_suite(
    dataset: str, proposed: Proposed, source: str, expectations: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A GX suite document for `dataset` (the proposal's expectations unless `expectations` is given)."""
    items = expectations if expectations is not None else [to_gx(p) for p in proposed.expectations]
    generated = sorted({"|".join(key_of(to_gx(p))) for p in proposed.expectations})
    return {
        "name": dataset,
        "id": None,
        "expectations": items,
        "notes": f"Proposed by `dataforge add-quality-suite` from {source}; edits survive updates.",
        "meta": {
            "great_expectations_version": GX_VERSION,
            "dataforge": {
                "dataset": dataset,
                "source": source,
                "column_types": proposed.column_types,
                "generated": generated,
                "notes": proposed.notes,
            },
        },
    }


def is_user_owned(expectation: dict[str, Any]) -> bool:
    """True when the user added or edited the expectation since dataforge wrote it."""
    meta = expectation.get("meta") or {}
    if meta.get("generated_by") != "dataforge":
        return True
    return meta.get("fingerprint") != fingerprint(
        str(expectation.get("type")), expectation.get("kwargs") or {}
    )


@dataclass(frozen=True)
class Change:
    """One line of the update report."""

    # added, removed, changed, kept (the user's or the schema's version), skipped (the user deleted it);
    # merging a proposal from a file also: dropped (the file lacks its column, or fails it and nothing
    # replaces it), replaced (the file fails it: the proposal's expectation of the same kind is used instead)
    action: str
    type: str
    column: str
    detail: str


def column_label(key: Key) -> str:
    """The column part of a key as shown to the user ("" for table-level expectations)."""
    loaded = json.loads(key[1])
    return "" if loaded == "" else str(loaded)


def merge(
    current: dict[str, Any] | None, proposed: list[dict[str, Any]], keep_user: bool
) -> tuple[list[dict[str, Any]], list[Change]]:
    """The expectations to write and what changed. `keep_user` False replaces everything (unedited file)."""
    old = list((current or {}).get("expectations") or [])
    previously = set(((current or {}).get("meta") or {}).get("dataforge", {}).get("generated") or [])
    old_by_key = {key_of(e): e for e in old}
    new_keys = {key_of(e) for e in proposed}
    result: list[dict[str, Any]] = []
    changes: list[Change] = []
    for expectation in proposed:
        key = key_of(expectation)
        before = old_by_key.get(key)
        if keep_user and before is not None and is_user_owned(before):
            result.append(before)
            changes.append(Change("kept", key[0], column_label(key), "your edited version is kept"))
        elif keep_user and before is None and "|".join(key) in previously:
            changes.append(Change("skipped", key[0], column_label(key), "you removed it; not re-added"))
        else:
            result.append(expectation)
            if before is None:
                changes.append(Change("added", key[0], column_label(key), short(expectation)))
            elif (before.get("kwargs") or {}) != expectation["kwargs"]:
                changes.append(
                    Change("changed", key[0], column_label(key), f"{short(before)} -> {short(expectation)}")
                )
    for expectation in old:
        key = key_of(expectation)
        if key in new_keys:
            continue
        if keep_user and is_user_owned(expectation):
            result.append(expectation)
            changes.append(Change("kept", key[0], column_label(key), "yours; dataforge does not propose it"))
        else:
            changes.append(Change("removed", key[0], column_label(key), "no longer supported by the data"))
    return result, changes


def short(expectation: dict[str, Any]) -> str:
    """An expectation's parameters (its column left out) in at most 60 characters."""
    kwargs = {k: v for k, v in (expectation.get("kwargs") or {}).items() if k != "column"}
    text = json.dumps(kwargs, default=str)
    return text if len(text) <= 60 else text[:57] + "..."
