"""dbt's `prod` target with the Snowflake adapter of the `prod` group (needs `make test-prod`).

`dbt parse` loads the adapter, renders `profiles.yml`'s `prod` output from the environment and parses every
model, source and test for it, with no connection. Every variable `.env.example` leaves empty gets a
placeholder, as a deployment would set it; running the SQL on Snowflake itself needs the warehouse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.prod

ROOT = Path(__file__).resolve().parents[2]
DBT_DIR = ROOT / "dbt"
PROD_ADAPTER = "snowflake"


def test_the_prod_target_parses_with_the_warehouse_adapter(tmp_path, monkeypatch):
    from dbt.cli.main import dbtRunner

    example = (ROOT / ".env.example").read_text()
    for name in re.findall(r"^([A-Z][A-Z0-9_]*)=$", example, flags=re.MULTILINE):
        monkeypatch.setenv(name, f"placeholder-{name.lower().replace('_', '-')}")
    monkeypatch.setenv("DBT_TARGET", "prod")
    monkeypatch.chdir(tmp_path)  # dbt writes logs/ into the working folder
    args = ["parse", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--target", "prod"]
    result = dbtRunner().invoke([*args, "--target-path", str(tmp_path / "target"), "--no-partial-parse"])
    assert result.success, result.exception
    manifest = result.result
    assert manifest.metadata.adapter_type == PROD_ADAPTER
    models = [n for n in manifest.nodes.values() if n.resource_type == "model"]
    assert models, "no model parsed"
    assert len(manifest.sources) >= 1
