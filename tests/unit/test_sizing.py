"""Stated volume and latency -> sizing: the arithmetic, its bounds, the unsized defaults, the plan and the answers."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from tests.helpers.validators import terraform_fmt_check
from typer.testing import CliRunner

from dataforge.answers.build import apply_overrides, build_answers
from dataforge.cli import app
from dataforge.commands.new import generate
from dataforge.decision import decide
from dataforge.decision.sizing import SizingBasis, constants, size
from dataforge.facts import extract_facts

DAY = 86400


@pytest.mark.parametrize(
    ("basis", "warehouse", "partitions", "executors", "maximum", "vcpu", "warehouse_size"),
    [
        # 10 TB a day in one daily run: 74,506 partitions of 128 MiB, capped; 139 cores within an hour.
        (SizingBasis(bytes_per_day=10e12), "snowflake", 20000, 35, 70, 284, "LARGE"),
        # 1M events/s of 1 KB = 86.4 TB/day; a 5 min latency: 300 GB per run within 2.5 min.
        (SizingBasis(events_per_second=1e6, latency_seconds=300), "bigquery", 2236, 25, 50, 204,
         "reservation of 1000 baseline slots"),
        # 100K/s = 8.64 TB/day in one daily run: 120 cores.
        (SizingBasis(events_per_second=1e5), "redshift", 20000, 30, 60, 244, 64),
        # 50 GB a day, hourly: 2.1 GB a run -> 16 partitions; one core -> the minimum of 2 executors.
        (SizingBasis(bytes_per_day=50e9, schedule_period_seconds=3600), "synapse", 16, 2, 4, 20, "DW100c"),
        # 2 billion rows x 500 bytes = 1 TB, one full load within an hour.
        (SizingBasis(total_records=2e9), "synapse", 7451, 4, 8, 36, "DW500c"),
        # 1 GB a day: 8 partitions (the minimum), 2 executors.
        (SizingBasis(bytes_per_day=1e9), "databricks", 8, 2, 4, 20, "2X-Small"),
        # 1 PB a day: executors capped at 250, twice that with dynamic allocation.
        (SizingBasis(bytes_per_day=1e15), "postgres", 20000, 250, 500, 2004, "as provisioned"),
    ],
)  # fmt: skip
def test_stated_numbers_size_spark_the_cap_and_the_warehouse(
    basis: SizingBasis,
    warehouse: str,
    partitions: int,
    executors: int,
    maximum: int,
    vcpu: int,
    warehouse_size: str | int,
) -> None:
    sizing = size(basis, warehouse)
    assert sizing.stated
    assert (sizing.shuffle_partitions, sizing.executor_instances, sizing.max_executors) == (
        partitions,
        executors,
        maximum,
    )
    assert (sizing.max_vcpu, sizing.max_memory_gb) == (vcpu, vcpu * 4)
    assert sizing.warehouse_size == warehouse_size
    assert sizing.spark_conf == {
        "spark.sql.shuffle.partitions": str(partitions),
        "spark.executor.instances": str(executors),
        "spark.executor.cores": "4",
        "spark.executor.memory": "16g",
        "spark.dynamicAllocation.maxExecutors": str(maximum),
    }


def test_every_bound_holds_over_a_range_of_volumes() -> None:
    c = constants()
    for exponent in range(6, 18):
        sizing = size(SizingBasis(bytes_per_day=10.0**exponent), "redshift")
        assert c["partition"]["min"] <= (sizing.shuffle_partitions or 0) <= c["partition"]["max"]
        assert (
            c["executor"]["min_instances"]
            <= (sizing.executor_instances or 0)
            <= c["executor"]["max_instances"]
        )
        assert c["nodes"]["min"] <= sizing.max_nodes <= c["nodes"]["max"]
        assert sizing.warehouse_size in {t["size"] for t in c["warehouse"]["redshift"]["tiers"]}


def test_the_arithmetic_is_shown_line_by_line() -> None:
    lines = size(SizingBasis(bytes_per_day=10e12), "snowflake").lines
    assert lines[0] == "10 TB/day stated = 116 MB/s on average."
    assert "10 TB / 128 MiB per partition = 74,506 shuffle partitions." in lines
    assert "74,506 shuffle partitions -> capped at 20,000 (the maximum in sizing.toml)." in lines
    assert "10 TB / (20 MB/s per core x 1 h) = 139 cores." in lines
    assert lines[-1] == "Warehouse (snowflake): 10 TB/day -> warehouse size LARGE."


# The values generated before sizing existed: no Spark setting, the prod caps of the tfvars, the warehouses'
# prod sizes (Redshift 16 RPU, Synapse DW100c).
@pytest.mark.parametrize(
    ("warehouse", "default"),
    [("redshift", 16), ("synapse", "DW100c"), ("snowflake", "XSMALL"), ("bigquery", "on-demand"),
     ("clickhouse", "as provisioned"), ("not_a_warehouse", "as provisioned")],
)  # fmt: skip
def test_without_a_stated_volume_nothing_changes(warehouse: str, default: str | int) -> None:
    for basis in (SizingBasis(), SizingBasis(latency_seconds=300), SizingBasis(schedule_period_seconds=3600)):
        sizing = size(basis, warehouse)
        assert not sizing.stated
        assert sizing.spark_conf == {}
        assert (sizing.max_vcpu, sizing.max_memory_gb, sizing.max_nodes) == (32, 128, 10)
        assert sizing.warehouse_size == default
        assert sizing.reasons == ()


def test_the_facts_of_a_requirement_reach_the_plan_with_one_reason_per_stated_number() -> None:
    decision = decide(
        extract_facts("Ingest 1M events/sec from Postgres into Redshift on AWS with <5 min latency")
    )
    sizing_rules = [r.rule for r in decision.reasons if r.rule.startswith("sizing.")]
    assert sizing_rules == ["sizing.events_per_second", "sizing.latency"]
    assert decision.sizing.shuffle_partitions == 2236
    unsized = decide(extract_facts("nightly load of Postgres tables into Snowflake"))
    assert not [r for r in unsized.reasons if r.rule.startswith("sizing.")]
    assert unsized.sizing.spark_conf == {}


def test_plan_prints_the_sizing_and_its_json_carries_it() -> None:
    runner = CliRunner()
    text = "Ingest 10 TB daily from Postgres into Snowflake on AWS"
    shown = runner.invoke(app, ["plan", text], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert shown.exit_code == 0, shown.output
    assert "Sizing" in shown.output
    assert "74,506 shuffle partitions -> capped at 20,000" in shown.output
    assert "sizing.bytes_per_day" in shown.output
    as_json = runner.invoke(app, ["plan", text, "--json"])
    assert as_json.exit_code == 0, as_json.output
    sizing = json.loads(as_json.output)["sizing"]
    assert sizing["spark_conf"]["spark.sql.shuffle.partitions"] == "20000"
    assert sizing["warehouse_size"] == "LARGE"
    assert sizing["lines"][0].startswith("10 TB/day")


def test_answers_follow_the_warehouse_when_it_is_overridden() -> None:
    decision = decide(extract_facts("Ingest 10 TB daily from Postgres into Redshift on AWS"))
    answers = build_answers(decision, "big_load")
    assert (answers.warehouse_size, answers.spark_max_vcpu) == (64, 284)
    assert answers.spark_conf["spark.executor.instances"] == "35"
    changed = apply_overrides(answers, {"warehouse": "synapse"})
    assert changed.warehouse_size == "DW3000c"
    assert changed.spark_conf == answers.spark_conf


# -- the rendered project: the numbers reach the Spark configuration, the Terraform and the README ----------


def tfvars(terraform: Path, tmp: Path, names: list[str]) -> dict[str, object]:
    """Values of `environments/prod.tfvars` as Terraform reads them, checked by the variables' own validation.

    Only the `variable` blocks of the module are copied (terraform fmt puts their closing brace in column 0),
    so no provider is needed and every cloud can be read offline.
    """
    work = tmp / "variables"
    work.mkdir()
    blocks = [
        match.group(0)
        for path in sorted(terraform.glob("*.tf"))
        for match in re.finditer(r'(?ms)^variable "[a-z0-9_]+" \{.*?^\}', path.read_text())
    ]
    (work / "variables.tf").write_text("\n\n".join(blocks) + "\n")
    (tmp / "terraformrc").write_text("")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(tmp / "terraformrc"), "TF_DATA_DIR": str(tmp / "data"),
           "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}  # fmt: skip
    run = subprocess.run(
        ["terraform", "console", "-no-color", f"-var-file={terraform / 'environments/prod.tfvars'}"],
        input=f"jsonencode({{{', '.join(f'{n} = var.{n}' for n in names)}}})\n",
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Error" not in run.stderr, run.stderr  # a failed validation rule is reported here
    return dict(json.loads(json.loads(run.stdout.strip())))


def sizing_constant(path: Path) -> dict[str, str]:
    """`SIZING` of the generated `transform/submit.py`, read as Python reads it."""
    module = ast.parse(path.read_text())
    value = next(
        node.value
        for node in module.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "SIZING"
    )
    return dict(ast.literal_eval(value))


@pytest.mark.parametrize(
    ("requirement", "variables"),
    [
        (
            "Ingest 10 TB daily from Postgres into Redshift on AWS",
            {"emr_max_cpu": "284 vCPU", "emr_max_memory": "1136 GB", "redshift_base_capacity": 64},
        ),
        (
            "Load 2 TB daily from Postgres into Synapse on Azure",
            {"spark_max_nodes": 15, "sql_pool_sku": "DW1000c"},
        ),
        (
            "nightly load of Postgres tables into Redshift on AWS",
            {"emr_max_cpu": "32 vCPU", "emr_max_memory": "128 GB", "redshift_base_capacity": 16},
        ),
        (
            # A query load: 50 in flight need 128 base RPU, more than the unsized 16 (tests/unit/test_serving.py).
            "nightly load of Postgres tables into Redshift on AWS serving 50 queries/sec",
            {"emr_max_cpu": "32 vCPU", "redshift_base_capacity": 128},
        ),
        (
            "Load 2 TB daily from Postgres into Synapse on Azure for 40 concurrent dashboard queries",
            {"spark_max_nodes": 15, "sql_pool_sku": "DW2000c"},
        ),
    ],
)
def test_the_numbers_reach_the_generated_spark_config_terraform_and_readme(
    requirement: str, variables: dict[str, object], tmp_path: Path
) -> None:
    result = generate(requirement, output=tmp_path / "out", name="sized", git=False)
    decision = decide(extract_facts(requirement))
    project = result.path
    assert sizing_constant(project / "src/sized/transform/submit.py") == decision.sizing.spark_conf
    terraform = project / "infra/terraform"
    terraform_fmt_check(terraform)
    assert tfvars(terraform, tmp_path, list(variables)) == variables
    readme = (project / "README.md").read_text()
    sizing = readme[readme.index("## Sizing") : readme.index("## Run it locally")]
    for line in decision.sizing.lines:
        assert f"- {line}\n" in sizing
