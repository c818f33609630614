"""Stated volume and latency -> Spark partitions and executors, platform caps and warehouse size.

Pure: the stated numbers (`SizingBasis`, from the facts) and the chosen warehouse in, a `Sizing` out, with
every step of the arithmetic as a line the README and `dataforge plan` show. The constants are data
(sizing.toml, each with its source). A project that states no number gets the values generated before sizing
existed: no Spark setting (the platform's defaults), the same caps, the warehouse's default size.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field

from dataforge.decision.serving import size_for_queries

_CONSTANTS_FILE = Path(__file__).with_name("sizing.toml")
_DAY = 86400.0


@cache
def constants() -> dict[str, Any]:
    """sizing.toml, loaded once per process."""
    with _CONSTANTS_FILE.open("rb") as handle:
        return tomllib.load(handle)


class SizingBasis(BaseModel):
    """The numbers a requirement states that sizing reads (None: not stated)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    events_per_second: float | None = None
    bytes_per_day: float | None = None
    total_records: float | None = None
    total_bytes: float | None = None
    latency_seconds: float | None = None
    schedule_period_seconds: int | None = None
    # A serving load: it sizes the warehouse's concurrency only (dataforge.decision.serving).
    queries_per_second: float | None = None
    concurrent_queries: float | None = None

    @classmethod
    def of(cls, facts: Any) -> SizingBasis:
        """The basis read off `dataforge.facts.Facts` (any object with these attributes)."""
        return cls(**{name: getattr(facts, name) for name in cls.model_fields})

    @property
    def stated(self) -> bool:
        """Whether any volume is stated (a latency alone sizes nothing: there is no amount to divide)."""
        return any(
            v is not None
            for v in (self.events_per_second, self.bytes_per_day, self.total_records, self.total_bytes)
        )


class SizingReason(BaseModel):
    """What one stated number changed."""

    model_config = ConfigDict(frozen=True)

    rule: str
    because: str


class Sizing(BaseModel):
    """Sizes for production; `spark_conf` is empty when nothing is stated (the platform's defaults apply)."""

    model_config = ConfigDict(frozen=True)

    stated: bool
    # None when nothing is stated: the platform's own defaults apply.
    bytes_per_day: float | None = None
    run_bytes: float | None = None
    shuffle_partitions: int | None = None
    executor_instances: int | None = None
    executor_cores: int | None = None
    executor_memory: str | None = None
    max_executors: int | None = None
    max_vcpu: int
    max_memory_gb: int
    max_nodes: int
    warehouse: str
    warehouse_unit: str
    warehouse_size: str | int
    lines: tuple[str, ...]
    reasons: tuple[SizingReason, ...] = ()
    # A stated query load (None: none stated): queries in flight, and for warehouses that scale out the
    # clusters or replicas it needs; `warnings` when the warehouse cannot run it.
    queries_in_flight: int | None = None
    warehouse_clusters: int | None = None
    warehouse_cluster_unit: str = ""
    warnings: tuple[str, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def spark_conf(self) -> dict[str, str]:
        """Spark properties of a production run (what the cloud's submit configuration passes)."""
        if self.shuffle_partitions is None:
            return {}
        return {
            "spark.sql.shuffle.partitions": str(self.shuffle_partitions),
            "spark.executor.instances": str(self.executor_instances),
            "spark.executor.cores": str(self.executor_cores),
            "spark.executor.memory": str(self.executor_memory),
            "spark.dynamicAllocation.maxExecutors": str(self.max_executors),
        }


def human_bytes(value: float) -> str:
    """Decimal units, as requirements state them: 10 TB, 115.7 MB."""
    for unit, scale in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if value >= scale:
            return f"{_number(value / scale)} {unit}"
    return f"{_number(value)} B"


def human_seconds(value: float) -> str:
    """10 s, 5 min, 1 h, 1 day."""
    for unit, scale in (("day", _DAY), ("h", 3600.0), ("min", 60.0)):
        if value >= scale:
            return f"{_number(value / scale)} {unit}"
    return f"{_number(value)} s"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 or float(value).is_integer() else f"{value:,.1f}"


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


def _clamp(value: int, low: int, high: int, what: str, lines: list[str]) -> int:
    if value > high:
        lines.append(f"{value:,} {_plural(value, what)} -> capped at {high:,} (the maximum in sizing.toml).")
        return high
    if value < low:
        lines.append(f"{value:,} {_plural(value, what)} -> raised to {low:,} (the minimum in sizing.toml).")
        return low
    return value


def _daily_bytes(basis: SizingBasis, lines: list[str]) -> float | None:
    """Bytes per day from a stated rate: bytes directly, else events times the event size."""
    if basis.bytes_per_day is not None:
        lines.append(
            f"{human_bytes(basis.bytes_per_day)}/day stated = "
            f"{human_bytes(basis.bytes_per_day / _DAY)}/s on average."
        )
        return basis.bytes_per_day
    if basis.events_per_second is not None:
        size = float(constants()["volume"]["bytes_per_event"])
        daily = basis.events_per_second * size * _DAY
        lines.append(
            f"{basis.events_per_second:,.0f} events/s stated x {human_bytes(size)} per event "
            f"= {human_bytes(basis.events_per_second * size)}/s = {human_bytes(daily)}/day."
        )
        return daily
    return None


def _total_bytes(basis: SizingBasis, lines: list[str]) -> float | None:
    if basis.total_bytes is not None:
        lines.append(f"{human_bytes(basis.total_bytes)} stated in total: sized as one full load.")
        return basis.total_bytes
    if basis.total_records is not None:
        size = float(constants()["volume"]["bytes_per_record"])
        total = basis.total_records * size
        lines.append(
            f"{basis.total_records:,.0f} records stated x {size:,.0f} bytes per record = "
            f"{human_bytes(total)}: sized as one full load."
        )
        return total
    return None


def _run(
    basis: SizingBasis, daily: float | None, total: float | None, lines: list[str]
) -> tuple[float, float]:
    """Bytes one run processes and the seconds it may take."""
    c = constants()["throughput"]
    if daily is None:
        lines.append(f"A full load may take {human_seconds(c['batch_run_seconds'])}.")
        return total or 0.0, float(c["batch_run_seconds"])
    if basis.latency_seconds is not None and basis.latency_seconds < _DAY:
        window, why = basis.latency_seconds, "the stated latency"
    elif basis.schedule_period_seconds is not None:
        window, why = float(basis.schedule_period_seconds), "the stated schedule"
    else:
        window, why = _DAY, "no latency or schedule stated: one run a day"
    run_bytes = daily * min(window, _DAY) / _DAY
    budget = window * c["window_share"] if window < _DAY else float(c["batch_run_seconds"])
    lines.append(
        f"One run per {human_seconds(window)} ({why}) processes {human_bytes(run_bytes)} "
        f"within {human_seconds(budget)}."
    )
    return run_bytes, budget


def _warehouse(
    warehouse: str, volume: float | None, lines: list[str], per: str = "/day"
) -> tuple[str, str | int]:
    table = constants()["warehouse"].get(
        warehouse, {"unit": "size", "default": "as provisioned", "tiers": []}
    )
    if volume is None or not table["tiers"]:
        return table["unit"], table["default"]
    tier = next((t for t in table["tiers"] if volume <= t["up_to_bytes_per_day"]), table["tiers"][-1])
    lines.append(f"Warehouse ({warehouse}): {human_bytes(volume)}{per} -> {table['unit']} {tier['size']}.")
    return table["unit"], tier["size"]


def size(basis: SizingBasis, warehouse: str) -> Sizing:
    """Size the production Spark job, its platform cap and the warehouse from the stated numbers."""
    sizing = _size_volume(basis, warehouse)
    if basis.queries_per_second is None and basis.concurrent_queries is None:
        return sizing
    served = size_for_queries(
        basis.queries_per_second,
        basis.concurrent_queries,
        warehouse,
        sizing.warehouse_size,
        sizing.warehouse_unit,
        constants(),
    )
    return sizing.model_copy(
        update={
            "warehouse_size": served.warehouse_size,
            "queries_in_flight": served.queries_in_flight,
            "warehouse_clusters": served.clusters,
            "warehouse_cluster_unit": served.cluster_unit,
            "lines": (*sizing.lines, *served.lines),
            "reasons": (*sizing.reasons, SizingReason(rule="sizing.queries", because=served.because)),
            "warnings": () if served.warning is None else (served.warning,),
        }
    )


def _size_volume(basis: SizingBasis, warehouse: str) -> Sizing:
    """The sizing of the stated data volume (the warehouse's default size when none is stated)."""
    c = constants()
    if not basis.stated:
        unit, wh_size = _warehouse(warehouse, None, [])
        return Sizing(
            stated=False,
            max_vcpu=c["cap"]["default_vcpu"],
            max_memory_gb=c["cap"]["default_memory_gb"],
            max_nodes=c["nodes"]["default_max"],
            warehouse=warehouse,
            warehouse_unit=unit,
            warehouse_size=wh_size,
            lines=(
                f"No volume stated: Spark keeps its defaults ({c['partition']['spark_default']} shuffle "
                f"partitions, the platform's executors), capped at {c['cap']['default_vcpu']} vCPU; "
                f"the warehouse keeps its default {unit} ({wh_size}).",
            ),
        )
    lines: list[str] = []
    daily = _daily_bytes(basis, lines)
    total = _total_bytes(basis, lines) if daily is None else None
    run_bytes, budget = _run(basis, daily, total, lines)

    p = c["partition"]
    raw_partitions = math.ceil(run_bytes / p["target_bytes"])
    lines.append(f"{human_bytes(run_bytes)} / 128 MiB per partition = {raw_partitions:,} shuffle partitions.")
    partitions = _clamp(raw_partitions, p["min"], p["max"], "shuffle partition", lines)
    if partitions < raw_partitions:
        lines.append(
            f"Each partition then holds about {human_bytes(run_bytes / partitions)}: a shorter schedule "
            "(smaller runs) would keep them near 128 MiB."
        )

    t, e = c["throughput"], c["executor"]
    cores = math.ceil(run_bytes / (t["bytes_per_core_second"] * budget))
    lines.append(
        f"{human_bytes(run_bytes)} / ({human_bytes(t['bytes_per_core_second'])}/s per core x "
        f"{human_seconds(budget)}) = {cores:,} {_plural(cores, 'core')}."
    )
    instances = _clamp(
        math.ceil(cores / e["cores"]), e["min_instances"], e["max_instances"], "executor", lines
    )
    maximum = min(instances * e["headroom"], e["max_instances"] * e["headroom"])
    memory_gb = e["cores"] * e["memory_per_core_gb"]
    lines.append(
        f"{instances:,} executors of {e['cores']} cores and {memory_gb} GB; dynamic allocation up to "
        f"{maximum:,}."
    )
    vcpu = (maximum * e["cores"]) + e["driver_cores"]
    memory = vcpu * e["memory_per_core_gb"]
    n = c["nodes"]
    nodes = max(n["min"], min(n["max"], math.ceil(vcpu / n["vcores_per_node"])))
    lines.append(
        f"Spark cap: ({maximum:,} executors + driver) x {e['cores']} cores = {vcpu:,} vCPU, "
        f"{memory:,} GB; {nodes} nodes of {n['vcores_per_node']} vCores where a pool counts nodes."
    )
    unit, wh_size = _warehouse(warehouse, daily or total, lines, "/day" if daily else " in total")
    sizing = Sizing(
        stated=True,
        bytes_per_day=daily,
        run_bytes=run_bytes,
        shuffle_partitions=partitions,
        executor_instances=instances,
        executor_cores=e["cores"],
        executor_memory=f"{memory_gb}g",
        max_executors=maximum,
        max_vcpu=vcpu,
        max_memory_gb=memory,
        max_nodes=nodes,
        warehouse=warehouse,
        warehouse_unit=unit,
        warehouse_size=wh_size,
        lines=tuple(lines),
    )
    return sizing.model_copy(update={"reasons": _reasons(basis, sizing)})


def _reasons(basis: SizingBasis, s: Sizing) -> tuple[SizingReason, ...]:
    """One reason per stated number, saying what it changed."""
    effect = (
        f"{s.shuffle_partitions:,} shuffle partitions, {s.executor_instances}-{s.max_executors} executors "
        f"({s.max_vcpu:,} vCPU cap) and {s.warehouse} {s.warehouse_unit} {s.warehouse_size}"
    )
    reasons: list[SizingReason] = []
    if basis.bytes_per_day is not None:
        reasons.append(
            SizingReason(
                rule="sizing.bytes_per_day", because=f"{human_bytes(basis.bytes_per_day)}/day sets {effect}."
            )
        )
    elif basis.events_per_second is not None:
        reasons.append(
            SizingReason(
                rule="sizing.events_per_second",
                because=f"{basis.events_per_second:,.0f} events/s sets {effect}.",
            )
        )
    elif basis.total_bytes is not None or basis.total_records is not None:
        stated = (
            human_bytes(basis.total_bytes)
            if basis.total_bytes is not None
            else f"{basis.total_records:,.0f} records"
        )
        reasons.append(SizingReason(rule="sizing.total", because=f"{stated} in total sets {effect}."))
    if basis.latency_seconds is not None and s.bytes_per_day is not None and basis.latency_seconds < _DAY:
        reasons.append(
            SizingReason(
                rule="sizing.latency",
                because=f"The {human_seconds(basis.latency_seconds)} latency makes each run process "
                f"{human_bytes(s.run_bytes or 0)} in half that time, which sets the executor count.",
            )
        )
    return tuple(reasons)
