"""A deterministic sample with known properties, and the corruptions a suite must catch."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

COLUMNS = ["partner_id", "email", "tier", "score", "signup_date", "ref", "notes", "token"]
TIERS = ["bronze", "gold", "silver"]
ROWS = 400


def rows(count: int = ROWS) -> list[dict[str, Any]]:
    """Key partner_id 1..N; unique e-mails; 3 tiers; score 10..90; dates in 2024; ref AAA-99999; 10% null notes."""
    out = []
    for i in range(1, count + 1):
        out.append(
            {
                "partner_id": i,
                "email": f"user{i}@example.com",
                "tier": TIERS[i % 3],
                "score": round(10 + (i * 37 % 8001) / 100, 2),
                "signup_date": f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                "ref": f"PRT-{i:05d}",
                "notes": None if i % 10 == 0 else f"note number {i}",
                "token": f"{i:08x}-0000-4000-8000-{i:012x}",
            }
        )
    return out


def write_csv(path: Path, data: list[dict[str, Any]]) -> Path:
    """Write rows as CSV (None as an empty field)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in data:
            writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return path


def write_jsonl(path: Path, data: list[dict[str, Any]]) -> Path:
    """Write rows as JSON lines."""
    path.write_text("".join(json.dumps(r) + "\n" for r in data))
    return path


# kind -> (column, expectation that must fail)
CORRUPTIONS = {
    "duplicate_key": ("partner_id", "expect_column_values_to_be_unique"),
    "null": ("email", "expect_column_values_to_not_be_null"),
    "out_of_range": ("score", "expect_column_values_to_be_between"),
    "unknown_category": ("tier", "expect_column_values_to_be_in_set"),
    "bad_format": ("token", "expect_column_values_to_match_regex"),
    "bad_date": ("signup_date", "expect_column_values_to_be_between"),
}


def corrupt(data: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """A copy of `data` with one defect of `kind`."""
    out = [dict(r) for r in data]
    if kind == "duplicate_key":
        out[5]["partner_id"] = out[4]["partner_id"]
    elif kind == "null":
        out[3]["email"] = None
    elif kind == "out_of_range":
        out[7]["score"] = 5000.0
    elif kind == "unknown_category":
        out[9]["tier"] = "platinum"
    elif kind == "bad_format":
        out[11]["token"] = "not-a-uuid-at-all-but-36-characters!"
    elif kind == "bad_date":
        out[13]["signup_date"] = "1999-01-01"
    return out
