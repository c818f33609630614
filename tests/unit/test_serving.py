"""A stated query load sizes the warehouse's concurrency: the arithmetic, the larger size winning, the warnings."""

from __future__ import annotations

import pytest

from dataforge.answers.build import build_answers
from dataforge.decision import decide
from dataforge.decision.sizing import SizingBasis, constants, size
from dataforge.facts import extract_facts


@pytest.mark.parametrize(
    ("basis", "warehouse", "in_flight", "warehouse_size", "clusters", "served"),
    [
        # 50 queries/s x 1 s = 50 in flight / 8 per cluster = 7 clusters of the default XSMALL.
        (SizingBasis(queries_per_second=50), "snowflake", 50, "XSMALL", 7, True),
        # 10 TB/day sets LARGE; 20 concurrent queries / 8 = 3 clusters of LARGE.
        (SizingBasis(bytes_per_day=10e12, concurrent_queries=20), "snowflake", 20, "LARGE", 3, True),
        # 100K/s: 12,500 clusters needed, capped at 10: not served.
        (SizingBasis(queries_per_second=1e5), "snowflake", 100000, "XSMALL", 10, False),
        # 50 in flight -> 128 RPU (64 at once) beats the volume's 64 RPU.
        (SizingBasis(bytes_per_day=10e12, queries_per_second=50), "redshift", 50, 128, None, True),
        # 3 in flight -> 8 RPU, but 10 TB/day already needs 64: the volume wins.
        (SizingBasis(bytes_per_day=10e12, queries_per_second=3), "redshift", 3, 64, None, True),
        # 30 concurrent -> DW1000c (32 at once) beats the default DW100c.
        (SizingBasis(concurrent_queries=30), "synapse", 30, "DW1000c", None, True),
        # 500 concurrent: past DW6000c's 128: the largest step, not served.
        (SizingBasis(concurrent_queries=500), "synapse", 500, "DW6000c", None, False),
        # BigQuery's 100 concurrent interactive queries: 80 fit, 100K/s do not; the compute model is unchanged.
        (SizingBasis(queries_per_second=80), "bigquery", 80, "on-demand", None, True),
        (SizingBasis(queries_per_second=1e5), "bigquery", 100000, "on-demand", None, False),
        # 250 in flight / 100 per replica = 3 ClickHouse replicas.
        (SizingBasis(queries_per_second=250), "clickhouse", 250, "as provisioned", 3, True),
        # PostgreSQL: 150 in flight past its 100 connections.
        (SizingBasis(queries_per_second=150), "postgres", 150, "as provisioned", None, False),
    ],
)  # fmt: skip
def test_a_query_load_sizes_the_warehouse(
    basis: SizingBasis,
    warehouse: str,
    in_flight: int,
    warehouse_size: str | int,
    clusters: int | None,
    served: bool,
) -> None:
    sizing = size(basis, warehouse)
    assert (sizing.queries_in_flight, sizing.warehouse_size, sizing.warehouse_clusters) == (
        in_flight,
        warehouse_size,
        clusters,
    )
    assert (not sizing.warnings) == served
    assert sizing.reasons[-1].rule == "sizing.queries"
    if not served:
        assert "cache or a serving store" in sizing.warnings[0]


def test_the_arithmetic_line_shows_the_rate_the_seconds_and_the_result() -> None:
    lines = size(SizingBasis(queries_per_second=50), "snowflake").lines
    assert lines[-2:] == (
        "50 queries/s stated x 1 s per query (sizing.toml) = 50 queries in flight.",
        "Warehouse (snowflake): 50 in flight / 8 per cluster = 7 -> multi-cluster warehouse max_cluster_count 7.",
    )


def test_without_a_query_load_sizing_is_unchanged() -> None:
    sizing = size(SizingBasis(bytes_per_day=10e12), "redshift")
    assert (sizing.queries_in_flight, sizing.warehouse_clusters, sizing.warnings) == (None, None, ())
    assert sizing.warehouse_size == 64


def test_every_volume_tier_is_a_step_of_the_serving_sizes() -> None:
    """The larger of two sizes is read off the steps' order, so each volume size must be one of them."""
    c = constants()
    for warehouse, table in c["serving"].items():
        if not isinstance(table, dict) or table.get("kind") != "steps":
            continue
        steps = [s["size"] for s in table["steps"]]
        assert [s["concurrent"] for s in table["steps"]] == sorted(s["concurrent"] for s in table["steps"])
        for tier in [
            c["warehouse"][warehouse]["default"],
            *(t["size"] for t in c["warehouse"][warehouse]["tiers"]),
        ]:
            assert tier in steps, (warehouse, tier)


def test_a_stated_load_reaches_the_plan_warnings_and_the_prod_size() -> None:
    facts = extract_facts(
        "nightly load of orders from Postgres into Synapse on Azure for 500 concurrent dashboard queries"
    )
    assert facts.concurrent_queries == 500
    decision = decide(facts)
    assert decision.sizing.warehouse_size == "DW6000c"
    assert any("500 concurrent queries" in w and "serving store" in w for w in decision.warnings)
    answers = build_answers(decision, project_name="dashboards")
    assert answers.warehouse_size == "DW6000c"
    assert any("500 in flight -> dedicated SQL pool SKU DW6000c" in line for line in answers.sizing_lines)
