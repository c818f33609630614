"""A stated serving load -> the warehouse's concurrency: clusters, a larger size, or an honest warning.

A query load ("100K queries/sec", "500 concurrent dashboard queries") is read by the warehouse, not curated by
Spark, so it sizes only the warehouse. Queries in flight follow Little's law (rate x seconds per query); each
warehouse meets them its own way (sizing.toml `[serving.<id>]`):

- `clusters`: identical clusters or replicas, each running `per_unit` queries (Snowflake, Databricks,
  ClickHouse); the volume-based size stays the size of each one.
- `steps`: its own sizes, each running a number of queries (Synapse SKUs, Redshift base RPU); the larger of
  the volume-based and the query-based size wins.
- `limit`: a fixed ceiling whatever the size (BigQuery's concurrent queries, PostgreSQL's connections).

A load beyond what the warehouse can run is never sized away: the result says so, with the hint, as a warning.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict


class ServingSizing(BaseModel):
    """What a stated query load does to the warehouse."""

    model_config = ConfigDict(frozen=True)

    queries_in_flight: int
    warehouse_size: str | int  # the volume-based size, or the query-based one when larger
    clusters: int | None = None  # for `clusters` warehouses: how many the load needs (capped)
    cluster_unit: str = ""
    served: bool = True
    lines: tuple[str, ...] = ()
    because: str = ""
    warning: str | None = None


def _stated_load(
    queries_per_second: float | None, concurrent: float | None, seconds: float
) -> tuple[int, str]:
    """Queries in flight and the line that derives them (a stated concurrency wins: no assumption needed)."""
    if concurrent is not None:
        return math.ceil(concurrent), f"{concurrent:,.0f} concurrent queries stated."
    assert queries_per_second is not None
    in_flight = math.ceil(queries_per_second * seconds)
    return in_flight, (
        f"{queries_per_second:,.0f} queries/s stated x {seconds:g} s per query (sizing.toml) "
        f"= {in_flight:,} queries in flight."
    )


def size_for_queries(
    queries_per_second: float | None,
    concurrent_queries: float | None,
    warehouse: str,
    volume_size: str | int,
    volume_unit: str,
    constants: dict[str, Any],
) -> ServingSizing:
    """Size `warehouse` for the stated load, given the size its volume already needs (`volume_size`)."""
    serving = constants["serving"]
    in_flight, first = _stated_load(queries_per_second, concurrent_queries, float(serving["query_seconds"]))
    lines = [first]
    table = serving.get(warehouse)
    stated = (
        f"{concurrent_queries:,.0f} concurrent queries"
        if concurrent_queries is not None
        else f"{queries_per_second:,.0f} queries/s"
    )
    if table is None:
        warning = (
            f"{stated} ({in_flight:,} in flight): dataforge has no concurrency figures for {warehouse}; "
            f"size it where it is provisioned, or {serving['hint']}."
        )
        lines.append(f"Warehouse ({warehouse}): no concurrency figures; sized where it is provisioned.")
        return ServingSizing(
            queries_in_flight=in_flight, warehouse_size=volume_size, served=False, lines=tuple(lines),
            because=warning, warning=warning,
        )  # fmt: skip
    kind = table["kind"]
    if kind == "clusters":
        needed = math.ceil(in_flight / table["per_unit"])
        clusters = min(max(needed, 1), table["max_units"])
        served = needed <= table["max_units"]
        lines.append(
            f"Warehouse ({warehouse}): {in_flight:,} in flight / {table['per_unit']} per cluster = "
            f"{needed:,} -> {table['unit']} {clusters}"
            + ("." if served else f" (the maximum in sizing.toml): {needed:,} would be needed.")
        )
        because = f"{stated} set {table['unit']} {clusters} ({volume_unit} {volume_size} each)."
        return _result(
            in_flight, volume_size, served, lines, because, stated, warehouse, serving, clusters, table
        )
    if kind == "steps":
        steps = table["steps"]
        order = [s["size"] for s in steps]
        step = next((s for s in steps if s["concurrent"] >= in_flight), steps[-1])
        served = step["concurrent"] >= in_flight
        volume_index = order.index(volume_size) if volume_size in order else -1
        final = step["size"] if order.index(step["size"]) > volume_index else volume_size
        winner = "the query load" if final != volume_size else "the volume (at least as large)"
        lines.append(
            f"Warehouse ({warehouse}): {in_flight:,} in flight -> {table['unit']} {step['size']} "
            f"({step['concurrent']:,} queries at once); volume needs {volume_size}: {final} wins ({winner})."
        )
        because = f"{stated} need {table['unit']} {step['size']}; {final} is kept ({winner})."
        return _result(in_flight, final, served, lines, because, stated, warehouse, serving, None, table)
    served = in_flight <= table["concurrent"]
    lines.append(
        f"Warehouse ({warehouse}): {in_flight:,} in flight against a limit of {table['concurrent']:,} "
        f"{table['unit']}" + (": within it." if served else ": beyond it.")
    )
    because = f"{stated} fit within {warehouse}'s {table['concurrent']:,} {table['unit']}."
    return _result(in_flight, volume_size, served, lines, because, stated, warehouse, serving, None, table)


def _result(
    in_flight: int,
    final: str | int,
    served: bool,
    lines: list[str],
    because: str,
    stated: str,
    warehouse: str,
    serving: dict[str, Any],
    clusters: int | None,
    table: dict[str, Any],
) -> ServingSizing:
    warning = None
    if not served:
        warning = (
            f"{stated} ({in_flight:,} queries in flight) is more than {warehouse} can run at once even at "
            f"its largest sizing.toml setting: {serving['hint']}."
        )
        lines.append(f"Not served by {warehouse} alone: {serving['hint']}.")
        because = warning
    return ServingSizing(
        queries_in_flight=in_flight,
        warehouse_size=final,
        clusters=clusters,
        cluster_unit=table["unit"] if clusters is not None else "",
        served=served,
        lines=tuple(lines),
        because=because,
        warning=warning,
    )
