"""End to end: a suite built from a file for an entity's name passes that file under the project's own runner.

`add-quality-suite customers --from-data FILE` in a project whose sample domain has a `customers` entity, with
a file that lacks two of its columns, adds one and types customer_id differently; then `make setup` and
`make validate` (GX). Marked e2e, like test_e2e.py.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.quality_suite import customers_sample
from tests.quality_suite.test_e2e import make
from typer.testing import CliRunner

from dataforge.cli import app
from dataforge.commands.new import generate

pytestmark = pytest.mark.e2e


def _orders_with_whole_amounts(path: Path) -> Path:
    """`orders` whose amounts are whole numbers: the profile reads integer, the entity says decimal."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["order_id", "status", "amount"])
        for i in range(1, 201):
            writer.writerow([i, ("placed", "paid", "shipped")[i % 3], 10 + i % 90])
    return path


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("e2e-entity")
    root = generate("nightly load of Postgres tables into Snowflake", output=out, name="shop", git=False).path
    customers = customers_sample.write_csv(root / "samples" / "customers.csv", customers_sample.rows())
    orders = _orders_with_whole_amounts(root / "samples" / "orders.csv")
    for dataset, sample in (("customers", customers), ("orders", orders)):
        args = ["add-quality-suite", dataset, "--from-data", str(sample), "--project", str(root), "--yes"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.stdout + result.stderr
    setup = make(root, "setup")
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    return root


def test_the_merged_suite_passes_the_file_it_was_built_from(project: Path) -> None:
    done = make(project, "validate", "DATASET=customers", "DATA=samples/customers.csv")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASSED customers" in done.stdout


def test_a_corrupted_copy_fails_naming_every_bad_column(project: Path, tmp_path: Path) -> None:
    bad = customers_sample.write_csv(tmp_path / "bad.csv", customers_sample.corrupt(customers_sample.rows()))
    done = make(project, "validate", "DATASET=customers", f"DATA={bad}")
    assert done.returncode != 0, done.stdout + done.stderr
    assert "FAILED customers" in done.stdout
    # A value list the entity invented (an example rule) is reported as a warning; the user's own columns block.
    listed = [line.removeprefix("  - ") for line in done.stdout.splitlines() if line.startswith("  - ")]
    reported = [line.removeprefix("warning: ") for line in listed]
    for column, expectation in customers_sample.CORRUPTED.items():
        assert any(line.startswith(f"{column}: {expectation}") for line in reported), done.stdout
    failing = {line.split(":")[0] for line in reported}
    assert failing == set(customers_sample.CORRUPTED), done.stdout
    assert "  - warning: country: expect_column_values_to_be_in_set" in done.stdout, (
        "the entity's own list only warns"
    )


def test_types_follow_the_profile_when_the_entity_types_differ(project: Path) -> None:
    done = make(project, "validate", "DATASET=orders", "DATA=samples/orders.csv")
    assert done.returncode == 0, done.stdout + done.stderr
