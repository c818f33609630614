"""Deterministic, realistic sample data for the project's entities (pure standard library).

Every value follows the column spec in `schema.py`: ids are sequential, references point at existing
dimension keys, categoricals come from `values`, numbers stay within `min`/`max`, timestamps fall within the
90 days before a fixed anchor date, and nulls appear only in nullable columns. Same seed, same rows.

    python -m <package>.sample_data --out data/raw --ds 2024-01-01 --seed 42
"""

from __future__ import annotations

import argparse
import csv
import random
import string
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .schema import ENTITIES, Column, Entity

ANCHOR = datetime(2024, 1, 1)  # fixed, so sample data is the same on every machine and day
WINDOW_DAYS = 90
DEFAULT_ROWS = {"dimension": 200, "fact": 1000}
NULL_RATE = 0.1
# SKU prefixes: capital letters except I and O, which read like 1 and 0.
SKU_LETTERS = string.ascii_uppercase.replace("I", "").replace("O", "")

# fmt: off
FIRST_NAMES = (
    "Ava", "Liam", "Noah", "Emma", "Olivia", "Mateo", "Sofia", "Lucas", "Mia", "Arjun",
    "Yuki", "Hana", "Lena", "Jonas", "Chloe", "Hugo", "Priya", "Diego", "Amara", "Ethan",
)
LAST_NAMES = (
    "Smith", "Garcia", "Müller", "Martin", "Patel", "Silva", "Tanaka", "Brown", "Dubois", "Kumar",
    "Schmidt", "Costa", "Sato", "Wilson", "Lopez", "Nguyen", "Kowalski", "Rossi", "Evans", "Khan",
)
COMPANY_WORDS = (
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Northwind", "Contoso", "Fabrikam", "Tailspin",
    "Blue", "Summit", "Pioneer", "Vertex", "Harbor", "Cedar", "Orbit", "Quantum", "Lumen", "Atlas",
)
# fmt: on
COMPANY_SUFFIXES = ("Inc", "Ltd", "GmbH", "Group", "Labs", "Systems", "Holdings", "Partners")
COUNTRIES = ("US", "GB", "DE", "FR", "IN", "BR", "JP", "CA", "AU", "ES")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")


def _entity(name: str) -> Entity:
    try:
        return ENTITIES[name]
    except KeyError:
        raise ValueError(f"unknown entity {name!r}; expected one of {sorted(ENTITIES)}") from None


def default_rows(entity: str) -> int:
    """Default number of rows for `entity`: 200 for the dimension, 1000 for the fact."""
    return DEFAULT_ROWS.get(_entity(entity).role, 100)


def _referenced_rows(column: Column, ref_rows: dict[str, int]) -> int:
    target = (column.references or "").split(".")[0]
    if target in ref_rows:
        return ref_rows[target]
    if target in ENTITIES:
        return default_rows(target)
    return DEFAULT_ROWS["dimension"]


def _bounds(column: Column, low: float, high: float) -> tuple[float, float]:
    return (low if column.min is None else column.min, high if column.max is None else column.max)


def _value(column: Column, index: int, rng: random.Random, ref_rows: dict[str, int]) -> Any:
    semantic = column.semantic
    # Keys keep their column's type: a text key (Stripe's "cus_...", HubSpot's "512") is written as text.
    if semantic == "id":
        return str(index) if column.type == "string" else index
    if semantic == "ref":
        ref = rng.randint(1, _referenced_rows(column, ref_rows))
        return str(ref) if column.type == "string" else ref
    if column.values:
        return rng.choice(column.values)
    if semantic == "email":
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}{index}".lower().encode("ascii", "ignore").decode()
        return f"{local}@{rng.choice(EMAIL_DOMAINS)}"
    if semantic == "person_name":
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if semantic == "company_name":
        return f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)}"
    if semantic == "country":
        return rng.choice(COUNTRIES)
    if semantic == "sku":
        return f"{''.join(rng.choice(SKU_LETTERS) for _ in range(3))}-{rng.randint(0, 99999):05d}"
    if semantic == "amount":
        low, high = _bounds(column, 0, 1000)
        return round(rng.uniform(float(low), float(high)), 2)
    if semantic in ("quantity", "minutes"):
        low, high = _bounds(column, 0 if semantic == "minutes" else 1, 1440 if semantic == "minutes" else 100)
        return rng.randint(int(low), int(high))
    if semantic == "flag" or column.type == "boolean":
        return rng.random() < 0.8
    if semantic == "date" or column.type == "date":
        return (ANCHOR - timedelta(days=rng.randint(0, WINDOW_DAYS - 1))).date()
    if semantic == "timestamp" or column.type == "timestamp":
        return ANCHOR - timedelta(seconds=rng.randint(1, WINDOW_DAYS * 86400))
    if column.type == "integer":
        return rng.randint(*(int(b) for b in _bounds(column, 0, 1000)))
    if column.type == "decimal":
        return round(rng.uniform(*(float(b) for b in _bounds(column, 0, 1000))), 2)
    return f"{column.name}_{index}"


def generate(
    entity: str, rows: int | None = None, seed: int = 42, *, ref_rows: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """Return `rows` deterministic sample rows of `entity` (default: 200 for a dimension, 1000 for a fact).

    `ref_rows` maps a referenced entity to how many rows it has (default: its default row count), so
    foreign keys always point at keys that exist.
    """
    spec = _entity(entity)
    count = default_rows(entity) if rows is None else rows
    if count < 0:
        raise ValueError("rows must be >= 0")
    # Seeded for reproducible sample data, never used for anything secret.
    rng = random.Random(f"{seed}:{spec.name}")  # nosec B311
    refs = ref_rows or {}
    out: list[dict[str, Any]] = []
    for index in range(1, count + 1):
        row: dict[str, Any] = {}
        for column in spec.columns:
            value = _value(column, index, rng, refs)
            if column.nullable and rng.random() < NULL_RATE:
                value = None
            row[column.name] = value
        out.append(row)
    return out


def to_csv_value(value: Any) -> str:
    """Format one value the way raw CSV files carry it (empty string for null, ISO dates, lower-case flags)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def raw_path(out_dir: str | Path, entity: str, ds: str) -> Path:
    """Where the raw file of `entity` for `ds` lands: `<out_dir>/<entity>/ingest_date=<ds>/<entity>.csv`."""
    return Path(out_dir) / entity / f"ingest_date={ds}" / f"{entity}.csv"


def write_csv(path: Path, entity: str, rows: list[dict[str, Any]]) -> Path:
    """Write `rows` of `entity` as CSV with a header row (columns in schema order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = _entity(entity).column_names
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([to_csv_value(row.get(name)) for name in columns])
    return path


def write_raw(out_dir: str | Path, ds: str, seed: int = 42, rows: int | None = None) -> dict[str, Path]:
    """Generate every entity and write it as raw CSV; return `{entity: path}` (dimension first)."""
    date.fromisoformat(ds)  # fail early on a malformed date
    counts = {name: default_rows(name) if rows is None else rows for name in ENTITIES}
    written: dict[str, Path] = {}
    for name in ENTITIES:
        data = generate(name, counts[name], seed, ref_rows=counts)
        written[name] = write_csv(raw_path(out_dir, name, ds), name, data)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: write sample raw files for one ingest date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", default="data/raw", help="raw landing folder (default: data/raw)")
    parser.add_argument("--ds", default=date.today().isoformat(), help="ingest date YYYY-MM-DD (default: today)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    parser.add_argument("--rows", type=int, default=None, help="rows per entity (default: 200 / 1000)")
    args = parser.parse_args(argv)
    for name, path in write_raw(args.out, args.ds, args.seed, args.rows).items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
