"""dbt's `prod` target with the Azure Synapse Analytics adapter of the `prod` group (needs `make test-prod`).

`dbt parse` loads the adapter, renders `profiles.yml`'s `prod` output from the environment and parses every
model, source and test for it, with no connection. Every variable `.env.example` leaves empty gets a
placeholder, as a deployment would set it. The SQL dbt compiles for `prod` (the `prod_models` fixture of
conftest.py) is then parsed by sqlglot in Azure Synapse Analytics's dialect, so SQL that dialect cannot read
fails here, naming the model; whether Azure Synapse Analytics itself accepts and runs it needs the warehouse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.prod

ROOT = Path(__file__).resolve().parents[2]
DBT_DIR = ROOT / "dbt"
PROD_ADAPTER = "synapse"
SQL_DIALECT = "tsql"  # the warehouse's sqlglot dialect (dataforge catalogue)


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


def sql_errors(nodes: list[dict], dialect: str) -> list[str]:
    """`<node>: <error>` for every node whose compiled SQL sqlglot cannot parse in `dialect` as one query."""
    import sqlglot
    from sqlglot.errors import ErrorLevel, ParseError, TokenError

    errors = []
    for node in nodes:
        try:
            parsed = sqlglot.parse(node["compiled_code"], read=dialect, error_level=ErrorLevel.RAISE)
        except (ParseError, TokenError) as error:
            errors.append(f"{node['name']}: {str(error).splitlines()[0]}")
            continue
        statements = [s for s in parsed if s is not None]  # a trailing comment or `;` parses as None
        if len(statements) != 1:
            errors.append(f"{node['name']}: {len(statements)} statements instead of one query")
    return errors


def test_the_models_compiled_for_prod_parse_in_the_warehouse_dialect(prod_models):
    errors = sql_errors(prod_models, SQL_DIALECT)
    assert not errors, errors


def test_the_data_tests_compiled_for_prod_parse_in_the_warehouse_dialect(prod_data_tests):
    errors = sql_errors(prod_data_tests, SQL_DIALECT)
    assert not errors, errors


def test_a_model_the_dialect_cannot_read_is_named():
    broken = {"name": "stg_broken", "compiled_code": "select a, from (select 1 as a"}
    assert [e.split(":")[0] for e in sql_errors([broken], SQL_DIALECT)] == ["stg_broken"]
