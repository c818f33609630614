"""A `customers` file that differs from the sample domain's `customers` entity, and a corrupted copy.

The entity (commerce domain) has customer_id (integer), email, full_name, country, is_active (boolean) and
signup_at. The file lacks full_name and signup_at, has an extra loyalty_tier, and its customer_id is a text
code, so a suite that kept the entity's expectations would reject it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

COLUMNS = ["customer_id", "email", "country", "is_active", "loyalty_tier"]
MISSING = ["full_name", "signup_at"]
ROWS = 300


def rows(count: int = ROWS) -> list[dict[str, Any]]:
    """customer_id C-0001..; unique e-mails; countries within the entity's list; 3 loyalty tiers."""
    return [
        {
            "customer_id": f"C-{i:04d}",
            "email": f"buyer{i}@example.com",
            "country": ("US", "GB", "DE", "FR")[i % 4],
            "is_active": "true" if i % 3 else "false",
            "loyalty_tier": ("bronze", "silver", "gold")[i % 3],
        }
        for i in range(1, count + 1)
    ]


# column -> the expectation the corrupted copy must fail
CORRUPTED = {
    "customer_id": "expect_column_values_to_be_unique",
    "email": "expect_column_values_to_not_be_null",
    "country": "expect_column_values_to_be_in_set",
    "loyalty_tier": "expect_column_values_to_be_in_set",
}


def corrupt(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy with one defect in each column of `CORRUPTED`."""
    out = [dict(r) for r in data]
    out[5]["customer_id"] = out[4]["customer_id"]
    out[6]["email"] = None
    out[7]["country"] = "XX"
    out[8]["loyalty_tier"] = "platinum"
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
