"""dataforge.samples: each reader gives the neutral table description; the mapping makes valid entities."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from dataforge.errors import DataError
from dataforge.samples.avro import read_avro
from dataforge.samples.ddl import read_ddl
from dataforge.samples.json_schema import read_json_schema
from dataforge.samples.mapping import event_time, map_tables, primary_key
from dataforge.samples.model import SampleColumn, SampleTable
from dataforge.samples.names import identifier, singular
from dataforge.samples.read import read_tables

PG_DUMP = """
CREATE TABLE public."Customers" (
    id bigserial NOT NULL,
    "Email" character varying(200) NOT NULL UNIQUE,
    tier varchar(10) CHECK (tier IN ('gold', 'silver')),
    created_at timestamp with time zone NOT NULL
);
CREATE TABLE public.orders (
    order_id integer NOT NULL,
    customer_id bigint NOT NULL,
    quantity integer CHECK (quantity BETWEEN 1 AND 50),
    total numeric(12, 2) CHECK (total >= 0 AND total <= 900),
    placed_at timestamp NOT NULL
);
ALTER TABLE ONLY public."Customers" ADD CONSTRAINT customers_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (order_id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES public."Customers"(id);
CREATE INDEX orders_placed ON public.orders (placed_at);
"""
MYSQL = """
CREATE TABLE `orders` (
  `order_id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `status` enum('new','paid') NOT NULL,
  `customer_id` int NOT NULL,
  `ordered_at` datetime(6) NOT NULL,
  PRIMARY KEY (`order_id`),
  CONSTRAINT fk FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
"""


def col(name: str, type_: str = "string", **kw: object) -> SampleColumn:
    return SampleColumn(name=name, type=type_, **kw)  # type: ignore[arg-type]


def by_name(table: SampleTable) -> dict[str, SampleColumn]:
    return {c.name: c for c in table.columns}


# -- readers ---------------------------------------------------------------------------------------------


def test_ddl_reads_types_keys_checks_and_later_alter_table_keys() -> None:
    customers, orders = read_ddl(PG_DUMP, "shop.sql")
    assert (customers.name, orders.name, customers.observed) == ("Customers", "orders", False)
    c, o = by_name(customers), by_name(orders)
    assert (c["id"].type, c["id"].primary, c["id"].nullable) == ("integer", True, False)
    assert (c["Email"].unique, c["Email"].nullable) == (True, False)
    assert c["tier"].values == ("gold", "silver")
    assert c["tier"].nullable
    assert c["created_at"].type == "timestamp"
    assert o["customer_id"].references == ("Customers", "id")
    assert (o["quantity"].min, o["quantity"].max) == (1, 50)
    assert (o["total"].type, o["total"].min, o["total"].max) == ("decimal", 0, 900)


def test_ddl_reads_mysql_quoting_enums_and_table_foreign_keys() -> None:
    (orders,) = read_ddl(MYSQL, "m.sql")
    o = by_name(orders)
    assert o["order_id"].primary
    assert o["order_id"].type == "integer"
    assert o["status"].values == ("new", "paid")
    assert o["customer_id"].references == ("customers", "id")
    assert o["ordered_at"].type == "timestamp"


def test_ddl_without_create_table_is_refused() -> None:
    with pytest.raises(DataError, match=r"x\.sql has no CREATE TABLE"):
        read_ddl("SELECT 1; GRANT ALL ON t TO bob;", "x.sql")


def test_avro_record_types_unions_logical_types_and_enums() -> None:
    schema = {
        "type": "record",
        "name": "com.acme.Customer",
        "fields": [
            {"name": "customer_id", "type": "long"},
            {"name": "email", "type": ["null", "string"]},
            {"name": "tier", "type": {"type": "enum", "name": "Tier", "symbols": ["GOLD", "SILVER"]}},
            {"name": "balance", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9}},
            {"name": "born", "type": {"type": "int", "logicalType": "date"}},
            {"name": "updated_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "tags", "type": {"type": "array", "items": "string"}},
        ],
    }
    (table,) = read_avro(schema, "c.avsc")
    cols = by_name(table)
    assert table.name == "com.acme.Customer"
    assert [c.type for c in table.columns] == [
        "integer", "string", "string", "decimal", "date", "timestamp", "string",
    ]  # fmt: skip
    assert cols["email"].nullable
    assert not cols["customer_id"].nullable
    assert cols["customer_id"].unique is None, "Avro cannot say what is unique"
    assert cols["tier"].values == ("GOLD", "SILVER")
    with pytest.raises(DataError, match="not an Avro record schema"):
        read_avro({"type": "enum"}, "bad.avsc")


def test_json_schema_properties_required_formats_enums_and_bounds() -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "orders",
        "type": "object",
        "required": ["order_id", "ordered_at"],
        "properties": {
            "order_id": {"type": "integer"},
            "buyer_email": {"type": "string", "format": "email"},
            "status": {"type": "string", "enum": ["new", "paid"]},
            "amount": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
            "ordered_at": {"type": "string", "format": "date-time"},
            "due": {"type": "string", "format": "date"},
        },
    }
    (table,) = read_json_schema(schema, "o.json", "o")
    cols = by_name(table)
    assert table.name == "orders"
    assert [c.type for c in table.columns] == ["integer", "string", "string", "decimal", "timestamp", "date"]
    assert not cols["order_id"].nullable
    assert cols["amount"].nullable
    assert cols["buyer_email"].email
    assert cols["status"].values == ("new", "paid")
    assert (cols["amount"].min, cols["amount"].max) == (0, 100)
    with pytest.raises(DataError, match="without `properties`"):
        read_json_schema({"$schema": "x", "type": "object"}, "e.json", "e")


def test_data_sample_profile_keeps_facts_not_rows(tmp_path: Path) -> None:
    sample = tmp_path / "customers.csv"
    rows = [
        f"{i},person{i}@corp.test,Name{i % 2},{'gold' if i % 2 else 'silver'},2024-01-0{i % 9 + 1}"
        for i in range(1, 21)
    ]
    sample.write_text("customer_id,email,full_name,tier,seen_on\n" + "\n".join(rows) + "\n")
    (table,) = read_tables(sample)
    cols = by_name(table)
    assert (table.name, table.source, table.observed) == ("customers", "customers.csv", True)
    assert cols["customer_id"].unique
    assert cols["customer_id"].type == "integer"
    assert cols["email"].email
    assert cols["tier"].values == ("gold", "silver")
    assert cols["full_name"].values == (), "a column of names never becomes accepted values"
    assert cols["seen_on"].type == "date"
    assert (cols["customer_id"].min, cols["customer_id"].max) == (1, 20)


def test_a_json_schema_file_and_a_json_data_file_are_told_apart(tmp_path: Path) -> None:
    schema = tmp_path / "orders.schema.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"order_id": {"type": "integer"}}}))
    data = tmp_path / "orders.json"
    data.write_text(json.dumps([{"order_id": 1}, {"order_id": 2}]))
    assert read_tables(schema)[0].observed is False
    assert read_tables(schema)[0].name == "orders"
    assert read_tables(data)[0].observed is True


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.txt", "x", "unsupported file type .txt"),
        ("a.sql", "", "a.sql is empty"),
        ("a.avsc", "{not json", "not valid JSON"),
        ("a.csv", "", "is empty"),
        ("a.sql", "\xff\xfe", None),
    ],
)
def test_unreadable_files_are_data_errors(
    tmp_path: Path, name: str, content: str, message: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(DataError, match=message or "not UTF-8|no CREATE TABLE"):
        read_tables(path)
    with pytest.raises(DataError, match="does not exist"):
        read_tables(tmp_path / "missing.csv")


# -- names -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "what", "expected"),
    [
        ("CustomerID", "column", "customer_id"),
        ("Order Date", "column", "order_date"),
        ("orderLineItems", "column", "order_line_items"),
        ("Café", "column", "cafe"),
        ("2nd_address", "column", "c_2nd_address"),
        ("order", "column", "order_value"),
        ("user", "table", "user_table"),
        ("ingest_date", "column", "ingest_date_value"),
        ("x" * 60, "column", "x" * 40),
    ],
)
def test_identifiers_are_normalised_predictably(raw: str, what: str, expected: str) -> None:
    assert identifier(raw, what, "f.csv") == expected


def test_a_name_without_letters_is_refused() -> None:
    with pytest.raises(DataError, match="no letters or digits"):
        identifier("---", "column", "f.csv")


@pytest.mark.parametrize(
    ("plural", "one"),
    [("customers", "customer"), ("categories", "category"), ("addresses", "address"), ("class", "class")],
)
def test_singular(plural: str, one: str) -> None:
    assert singular(plural) == one


# -- mapping ---------------------------------------------------------------------------------------------

CUSTOMERS = SampleTable(
    "customers",
    "customers.csv",
    (
        col("id", "integer", nullable=False, unique=True, min=1, max=200),
        col("email", nullable=False, unique=True, email=True),
        col("full_name", unique=True),
        col("segment", nullable=False, unique=False, values=("retail", "partner")),
        col("created_at", "timestamp", nullable=False),
        col("updated_at", "timestamp", nullable=False),
    ),
    observed=True,
)
ORDERS = SampleTable(
    "orders",
    "orders.parquet",
    (
        col("order_id", "integer", nullable=False, unique=True),
        col("customer_id", "integer", nullable=False, unique=False),
        col("amount", "decimal", nullable=False, unique=False, min=3.5, max=99.0),
        col("units", "integer", nullable=True, unique=True, min=1, max=9),
        col("paid", "boolean", nullable=False),
        col("updated_at", "timestamp", nullable=False),
        col("ordered_at", "timestamp", nullable=False),
    ),
    observed=True,
)


def test_mapping_makes_a_dimension_and_a_fact_that_references_it() -> None:
    mapped = map_tables([ORDERS, CUSTOMERS])
    dim, fact = mapped.entities
    assert (dim.name, dim.role, dim.primary_key, dim.event_time) == (
        "customers",
        "dimension",
        "id",
        "updated_at",
    )
    assert (fact.name, fact.role, fact.primary_key, fact.event_time) == (
        "orders",
        "fact",
        "order_id",
        "ordered_at",
    )
    d = {c.name: c for c in dim.columns}
    f = {c.name: c for c in fact.columns}
    assert (d["id"].semantic, d["id"].unique, d["id"].min) == ("id", True, None), "keys carry no bounds"
    assert (d["email"].semantic, d["email"].format, d["email"].unique) == ("email", "email", True)
    assert d["full_name"].semantic == "person_name"
    assert not d["full_name"].unique
    assert (d["segment"].semantic, d["segment"].values, d["segment"].rule) == (
        "category",
        ("retail", "partner"),
        "example",
    )
    assert (f["customer_id"].semantic, f["customer_id"].references) == ("ref", "customers.id")
    assert (f["amount"].semantic, f["amount"].min, f["amount"].max, f["amount"].rule) == (
        "amount",
        3.5,
        99.0,
        "example",
    )
    assert (f["units"].semantic, f["units"].unique) == ("quantity", False), (
        "the generator cannot keep numbers unique"
    )
    assert f["paid"].semantic == "flag"
    assert f["updated_at"].rule == "required"


def test_declared_values_and_bounds_are_rules_that_block() -> None:
    mapped = map_tables([replace(CUSTOMERS, observed=False), replace(ORDERS, observed=False)])
    dim, fact = mapped.entities
    assert {c.name: c.rule for c in dim.columns}["segment"] == "required"
    assert {c.name: c.rule for c in fact.columns}["amount"] == "required"


def test_mapping_from_ddl_follows_the_declared_foreign_key_and_notes_renames() -> None:
    mapped = map_tables(read_ddl(PG_DUMP, "shop.sql"))
    dim, fact = mapped.entities
    assert (dim.name, fact.name) == ("customers", "orders")
    assert {c.name: c.references for c in fact.columns}["customer_id"] == "customers.id"
    assert "shop.sql: the table 'Customers' is called 'customers' in the project." in mapped.notes
    assert "shop.sql: the column 'Email' is called 'email' in the project." in mapped.notes


def test_a_key_named_id_is_referenced_by_the_singular_table_name() -> None:
    products = SampleTable(
        "products",
        "p.avsc",
        (col("id", "integer", nullable=False), col("added_at", "timestamp", nullable=False)),
        False,
    )
    sales = SampleTable(
        "sales",
        "s.avsc",
        (
            col("sale_id", "integer", nullable=False),
            col("product_id", "integer"),
            col("sold_at", "date", nullable=False),
        ),
        False,
    )
    dim, fact = map_tables([sales, products]).entities
    assert (dim.name, dim.primary_key, fact.primary_key) == ("products", "id", "sale_id")
    assert {c.name: c.references for c in fact.columns}["product_id"] == "products.id"


def test_reference_takes_the_keys_type_and_a_nullable_event_time_becomes_required() -> None:
    orders = replace(
        ORDERS,
        columns=(
            col("order_id", "integer", nullable=False, unique=True),
            col("customer_id", "string", nullable=False, unique=False),
            col("ordered_at", "timestamp", nullable=True),
        ),
    )
    mapped = map_tables([CUSTOMERS, orders])
    f = {c.name: c for c in mapped.entities[1].columns}
    assert f["customer_id"].type == "integer"
    assert not f["ordered_at"].nullable
    assert any("customer_id takes the type of customers.id" in n for n in mapped.notes)
    assert any("ordered_at versions the rows" in n for n in mapped.notes)


def test_primary_key_prefers_declared_then_id_names_then_key_like_names() -> None:
    table = SampleTable(
        "orders",
        "o.csv",
        (
            col("ref_code", unique=True, nullable=False),
            col("order_id", "integer", unique=True, nullable=False),
        ),
        True,
    )
    assert primary_key(table).name == "order_id"
    declared = replace(table, columns=(*table.columns, col("pk", "integer", primary=True, nullable=False)))
    assert primary_key(declared).name == "pk"
    assert primary_key(replace(table, columns=table.columns[:1])).name == "ref_code"


def test_event_time_prefers_audit_names_for_dimensions_and_the_event_for_facts() -> None:
    assert event_time(ORDERS, "fact").name == "ordered_at"
    assert event_time(ORDERS, "dimension").name == "updated_at"


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ([CUSTOMERS], "describe 1 tables"),
        ([CUSTOMERS, ORDERS, replace(ORDERS, name="more")], "describe 3 tables"),
        (
            [CUSTOMERS, replace(CUSTOMERS, source="other.csv")],
            "Both samples describe a table called 'customers'",
        ),
        (
            [CUSTOMERS, replace(ORDERS, columns=tuple(c for c in ORDERS.columns if c.name != "customer_id"))],
            "references the other's key",
        ),
        (
            [CUSTOMERS, replace(ORDERS, columns=tuple(c for c in ORDERS.columns if c.type != "timestamp"))],
            "no timestamp or date column",
        ),
        (
            [CUSTOMERS, replace(ORDERS, columns=tuple(replace(c, unique=False) for c in ORDERS.columns))],
            "no unique key column",
        ),
        (
            [CUSTOMERS, replace(ORDERS, columns=(*ORDERS.columns, col("Amount", "decimal")))],
            "'amount' and 'Amount' both become 'amount'",
        ),
    ],
)
def test_mapping_refuses_what_cannot_be_a_dimension_and_a_fact(
    tables: list[SampleTable], message: str
) -> None:
    with pytest.raises(DataError, match=message) as caught:
        map_tables(tables)
    assert "--answers-file" in caught.value.hint or "Rename" in caught.value.hint


def test_values_that_are_not_plain_labels_are_dropped_with_a_note() -> None:
    odd = replace(
        CUSTOMERS,
        columns=(
            *CUSTOMERS.columns[:3],
            col("segment", values=("a;b", "c"), nullable=False),
            *CUSTOMERS.columns[4:],
        ),
    )
    mapped = map_tables([odd, ORDERS])
    assert {c.name: c.values for c in mapped.entities[0].columns}["segment"] == ()
    assert any("keeps no accepted values" in n for n in mapped.notes)
