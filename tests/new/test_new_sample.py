"""`dataforge new --sample`: the user's files shape the entities; nothing of their rows reaches the project.

The generated projects' own tests (sample data, quality, dbt build) are run by the e2e suite; here the CLI,
the recorded answers, the plan's reason, the privacy guarantee and the one-line errors are checked.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dataforge.cli import app

REQUIREMENT = "nightly load of Postgres orders into Snowflake"
# Values that occur in the samples' rows and must never appear in the generated project.
SECRETS = ("zebcorp", "Zebediah", "Quuxley", "Note-48151623", "61.73")
DDL = """
CREATE TABLE public."Customers" (
    id bigserial PRIMARY KEY,
    "Email" varchar(200) NOT NULL UNIQUE,
    tier varchar(10) CHECK (tier IN ('gold', 'silver', 'bronze')),
    created_at timestamptz NOT NULL
);
CREATE TABLE public.orders (
    order_id integer PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES public."Customers" (id),
    quantity integer CHECK (quantity BETWEEN 1 AND 50),
    placed_at timestamp NOT NULL
);
"""


def write_samples(folder: Path) -> tuple[Path, Path]:
    customers = folder / "customers.csv"
    with customers.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["CustomerID", "Email", "full_name", "segment", "updated_at"])
        for i in range(1, 41):
            segment = ("retail", "wholesale", "partner")[i % 3]
            writer.writerow(
                [
                    i,
                    f"zq{i}@zebcorp.test",
                    f"Zebediah{i} Quuxley",
                    segment,
                    f"2024-01-{i % 28 + 1:02d} 10:00:00",
                ]
            )
    orders = folder / "orders.parquet"
    rows = 120
    pq.write_table(
        pa.table(
            {
                "order_id": list(range(1000, 1000 + rows)),
                "customer_id": [i % 40 + 1 for i in range(rows)],
                "status": [("open", "shipped", "returned")[i % 3] for i in range(rows)],
                "amount": [61.73 if i == 7 else 10.0 + i for i in range(rows)],
                "order": [i % 5 + 1 for i in range(rows)],
                "note": ["Note-48151623" if i == 3 else None for i in range(rows)],
                "ordered_at": [datetime(2024, 2, 1) + timedelta(minutes=37 * i) for i in range(rows)],
            }
        ),
        orders,
    )
    return customers, orders


def new(*args: str) -> object:
    return CliRunner().invoke(app, ["new", REQUIREMENT, "--yes", "--no-git", "--no-lock", *args])


@pytest.fixture(scope="module")
def from_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("samples")
    customers, orders = write_samples(folder)
    out = tmp_path_factory.mktemp("out")
    result = new("--name", "shop", "-o", str(out), "--sample", str(orders), "--sample", str(customers))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return out / "shop", result.output  # type: ignore[attr-defined]


def entities(project: Path) -> dict[str, dict[str, object]]:
    answers = json.loads((project / ".dataforge" / "answers.json").read_text())
    return {e["name"]: e for e in answers["entities"]}


def columns(entity: dict[str, object]) -> dict[str, dict[str, object]]:
    return {c["name"]: c for c in entity["columns"]}  # type: ignore[attr-defined,index]


def test_csv_and_parquet_samples_become_the_entities(from_data: tuple[Path, str]) -> None:
    project, _ = from_data
    found = entities(project)
    customers, orders = found["customers"], found["orders"]
    assert (customers["role"], customers["primary_key"], customers["event_time"]) == (
        "dimension",
        "customer_id",
        "updated_at",
    )
    assert (orders["role"], orders["primary_key"], orders["event_time"]) == ("fact", "order_id", "ordered_at")
    c, o = columns(customers), columns(orders)
    assert list(c) == ["customer_id", "email", "full_name", "segment", "updated_at"]
    assert (c["email"]["semantic"], c["email"]["format"]) == ("email", "email")
    assert c["full_name"]["semantic"] == "person_name"
    assert (c["segment"]["values"], c["segment"]["rule"]) == (["partner", "retail", "wholesale"], "example")
    assert (o["customer_id"]["semantic"], o["customer_id"]["references"]) == ("ref", "customers.customer_id")
    assert (o["amount"]["semantic"], o["amount"]["rule"]) == ("amount", "example")
    assert o["note"]["nullable"] is True
    assert "order_value" in o, "a reserved word is renamed predictably"


def test_the_plan_and_the_output_say_where_the_entities_came_from(from_data: tuple[Path, str]) -> None:
    project, output = from_data
    for record in ("decision.json", "answers.json"):
        reasons = json.loads((project / ".dataforge" / record).read_text())["reasons"]
        rules = [r["rule"] for r in reasons]
        assert "domain.sample" in rules
        assert not [r for r in rules if r.startswith(("domain.k", "override."))]
        because = next(r["because"] for r in reasons if r["rule"] == "domain.sample")
        assert "orders.parquet, customers.csv" in because
        assert "no row was copied" in because
    readme = (project / "README.md").read_text()
    assert "domain.sample" in readme
    assert "Entities (from 2 sample files you gave (`new --sample`))" in readme
    assert "sample domain" not in next((project / "src").glob("*/schema.py")).read_text()
    assert "'order' is called 'order_value'" in output
    assert "'CustomerID' is called 'customer_id'" in output


def test_no_row_of_the_samples_is_copied_into_the_project(from_data: tuple[Path, str]) -> None:
    project, _ = from_data
    for path in project.rglob("*"):
        if path.is_file() and path.suffix != ".gz":
            text = path.read_text(errors="ignore")
            for secret in SECRETS:
                assert secret not in text, (secret, path)


def test_a_ddl_file_with_two_tables_becomes_the_entities(tmp_path: Path) -> None:
    ddl = tmp_path / "shop.sql"
    ddl.write_text(DDL)
    result = new("--name", "shopddl", "-o", str(tmp_path / "out"), "--sample", str(ddl))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    found = entities(tmp_path / "out" / "shopddl")
    assert (found["customers"]["primary_key"], found["orders"]["event_time"]) == ("id", "placed_at")
    o, c = columns(found["orders"]), columns(found["customers"])
    assert o["customer_id"]["references"] == "customers.id"
    assert (o["quantity"]["min"], o["quantity"]["max"], o["quantity"]["rule"]) == (1, 50, "required")
    assert (c["tier"]["values"], c["tier"]["rule"]) == (["gold", "silver", "bronze"], "required")


def test_dry_run_with_samples_writes_nothing_and_shows_the_reason(tmp_path: Path) -> None:
    ddl = tmp_path / "shop.sql"
    ddl.write_text(DDL)
    result = new("--name", "dry", "-o", str(tmp_path / "out"), "--sample", str(ddl), "--dry-run")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "domain.sample" in result.output  # type: ignore[attr-defined]
    assert not (tmp_path / "out").exists()


ONE_TABLE = "CREATE TABLE t (id int PRIMARY KEY, at timestamp NOT NULL);"
NO_REFERENCE = ONE_TABLE + "CREATE TABLE u (u_id int PRIMARY KEY, at timestamp NOT NULL);"
NO_TIME = "CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE u (u_id int PRIMARY KEY, t_id int);"
NO_KEY = "CREATE TABLE ts (id int PRIMARY KEY, at date); CREATE TABLE us (t_id int, ref text, at date);"


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("missing.csv", None, 7, "does not exist"),
        ("notes.txt", "hello", 7, "unsupported file type .txt"),
        ("empty.csv", "", 7, "is empty"),
        ("one.sql", ONE_TABLE, 7, "describe 1 tables"),
        ("none.sql", NO_REFERENCE, 7, "references the other's key"),
        ("notime.sql", NO_TIME, 7, "no timestamp or date column"),
        ("nokey.sql", NO_KEY, 7, "no unique key column"),
        ("junk.sql", "SELECT 1;", 7, "no CREATE TABLE"),
    ],
)
def test_unusable_samples_fail_with_one_line_and_write_nothing(
    tmp_path: Path, name: str, content: str | None, code: int, message: str
) -> None:
    sample = tmp_path / name
    if content is not None:
        sample.write_text(content)
    out = tmp_path / "out"
    result = new("--name", "bad", "-o", str(out), "--sample", str(sample))
    assert result.exit_code == code, result.output  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert [line.split(": ")[0] for line in lines] == ["error", "hint"], lines
    assert message in lines[0]
    assert not out.exists(), "nothing is written"


def test_samples_and_given_entities_are_refused_together(tmp_path: Path) -> None:
    ddl = tmp_path / "shop.sql"
    ddl.write_text(DDL)
    result = new("-o", str(tmp_path / "out"), "--sample", str(ddl), "--set", "entities=[]")
    assert result.exit_code == 2
    assert "--sample and an `entities` answer" in result.stderr  # type: ignore[attr-defined]
    assert not (tmp_path / "out").exists()
