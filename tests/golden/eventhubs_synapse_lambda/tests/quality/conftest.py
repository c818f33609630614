"""Shared helpers for the quality tests: sample rows written as curated Parquet, raw CSV or JSON lines."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nightly_eventhubs_synapse.config import partition_dir
from nightly_eventhubs_synapse.sample_data import generate, write_csv
from nightly_eventhubs_synapse.schema import ENTITIES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARROW_TYPES = {
    "integer": pa.int64(),
    "decimal": pa.decimal128(18, 2),
    "string": pa.string(),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
    "boolean": pa.bool_(),
}


class Writer:
    """Writes rows of an entity in the formats the validator reads (Parquet typed like the Spark job's output)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def table(self, entity: str, rows: list[dict]) -> pa.Table:
        """The rows as an Arrow table with the curated schema (decimals as decimal128, dates as date32)."""
        spec = ENTITIES[entity]
        data = {}
        for column in spec.columns:
            values = [row[column.name] for row in rows]
            if column.type == "decimal":
                values = [None if v is None else Decimal(str(v)).quantize(Decimal("0.01")) for v in values]
            data[column.name] = values
        schema = pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in spec.columns])
        return pa.table(data, schema=schema)

    def parquet(self, entity: str, rows: list[dict], path: Path | None = None, **options) -> Path:
        path = path or self.root / f"{entity}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(self.table(entity, rows), path, **options)
        return path

    def curated(self, data_dir: Path, entity: str, ds: str, rows: list[dict], hour: str | None = None) -> Path:
        folder = data_dir / "curated" / entity / partition_dir(ds, hour)
        return self.parquet(entity, rows, folder / "part-00000.parquet")

    def csv(self, entity: str, rows: list[dict]) -> Path:
        return write_csv(self.root / f"{entity}.csv", entity, rows)

    def jsonl(self, entity: str, rows: list[dict]) -> Path:
        path = self.root / f"{entity}.jsonl"
        pd.DataFrame(rows).to_json(path, orient="records", lines=True, date_format="iso")
        return path


@pytest.fixture(scope="session")
def sample_rows() -> dict[str, list[dict]]:
    return {name: generate(name) for name in ENTITIES}


@pytest.fixture
def rows(sample_rows):
    """A fresh, mutable copy of the sample rows of every entity."""
    return copy.deepcopy(sample_rows)


@pytest.fixture
def writer(tmp_path) -> Writer:
    return Writer(tmp_path)


@pytest.fixture
def suites_dir() -> Path:
    return PROJECT_ROOT / "quality" / "expectations"
