from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from dataforge.decision import Condition, Rule, decide, default_rules, load_rules
from dataforge.facts import Facts, extract_facts


def plan_of(text: str, **overrides: str):  # type: ignore[no-untyped-def]
    return decide(extract_facts(text), overrides=overrides)


def test_every_built_in_rule_loads_and_refers_to_known_names() -> None:
    rules = default_rules()
    assert len(rules) > 30
    assert {r.field for r in rules} >= {"pattern", "cloud", "sources", "sinks", "warnings"}


def test_components_come_from_the_pattern_manifest_not_from_rules() -> None:
    from dataforge.compose.pattern import load_pattern

    decision = plan_of("nightly load of Postgres tables into Snowflake")
    manifest = load_pattern("batch")
    assert manifest is not None
    assert decision.components == list(manifest.components)
    assert "composition.batch" in {r.rule for r in decision.reasons}
    assert not [r for r in default_rules() if r.field == "components"]  # no rule restates a composition


def test_higher_priority_wins_and_loser_is_reported() -> None:
    # A stream (kappa, 60) landing in an open table format (lakehouse, 70).
    decision = plan_of("Kafka to Iceberg tables on S3")
    assert decision.pattern == "lakehouse"
    overruled = {(o.rule, o.lost_to) for o in decision.overruled if o.field == "pattern"}
    assert ("pattern.kappa.stream-source", "pattern.lakehouse.open-table-format") in overruled


def test_lambda_beats_kappa_and_batch_when_both_paths_are_asked_for() -> None:
    decision = plan_of("Kafka to BigQuery in real time with a nightly backfill")
    assert decision.pattern == "lambda"
    losers = {o.value for o in decision.overruled if o.field == "pattern"}
    assert {"kappa", "batch"} <= losers


def test_schedule_without_latency_need_beats_stream_source() -> None:
    assert plan_of("hourly dumps of Kafka topics to S3").pattern == "batch"


def test_override_wins_and_is_in_the_trace() -> None:
    decision = plan_of("Kafka to BigQuery streaming", pattern="batch", cloud="azure")
    assert (decision.pattern, decision.cloud, decision.deploy_cloud) == ("batch", "azure", "azure")
    assert decision.reasons[0].rule == "override.pattern"
    assert any(o.lost_to == "override.cloud" and o.value == "gcp" for o in decision.overruled)


def test_cloud_stays_null_for_cloud_neutral_tools_but_infrastructure_has_a_default() -> None:
    decision = plan_of("nightly load of Postgres tables into Snowflake")
    assert decision.cloud is None
    assert decision.deploy_cloud == "aws"
    assert any("defaults to AWS" in a for a in decision.assumptions)


def test_sink_cloud_beats_source_cloud_and_warns() -> None:
    decision = plan_of("Kinesis streams into BigQuery")
    assert decision.cloud == "gcp"
    assert any("more than one cloud" in w for w in decision.warnings)


def test_defaults_are_assumptions() -> None:
    decision = plan_of("design IoT data pipeline handling 10M+ sensor readings/hour")
    assert decision.sources == ["mqtt"]
    assert any("MQTT" in a for a in decision.assumptions)


def test_component_rules_add_up() -> None:
    decision = plan_of(
        "clickstream from Kinesis for live dashboards and a nightly batch recompute in Redshift"
    )
    assert decision.pattern == "lambda"
    assert {"batch_layer", "spark_streaming", "dbt", "airflow", "quality", "terraform"} <= set(
        decision.components
    )


def test_same_input_same_decision() -> None:
    text = "Bronze, silver and gold Iceberg tables on GCS"
    assert plan_of(text).to_json_dict() == plan_of(text).to_json_dict()


def test_condition_semantics() -> None:
    ctx = {"intents": ["cdc"], "latency_seconds": 300.0, "cloud": None, "pattern": "kappa"}
    assert Condition(contains={"intents": ("cdc", "x")}).holds(ctx)
    assert not Condition(contains={"intents": ("backfill",)}).holds(ctx)
    assert Condition(at_most={"latency_seconds": 900}).holds(ctx)
    assert not Condition(at_least={"latency_seconds": 900}).holds(ctx)
    assert not Condition(at_most={"missing": 1}).holds(ctx)  # an absent number fails both bounds
    assert Condition(absent=("cloud",), present=("pattern",)).holds(ctx)
    assert Condition(equals={"pattern": ("kappa", "lambda")}).holds(ctx)
    assert Condition.model_validate({"not": {"equals": {"pattern": ["batch"]}}}).holds(ctx)
    assert Condition.model_validate({"any": [{"absent": ["pattern"]}, {"present": ["intents"]}]}).holds(ctx)


def test_equal_priority_tie_goes_to_the_rule_written_first() -> None:
    rules = [
        Rule(id="a", priority=50, because="first", set={"pattern": "kappa"}),
        Rule(id="b", priority=50, because="second", set={"pattern": "lambda"}),
        *[r for r in default_rules() if r.field != "pattern"],
    ]
    decision = decide(Facts(requirement="x", technologies=["kafka"]), rules=rules)
    assert decision.pattern == "kappa"
    assert [(o.rule, o.lost_to) for o in decision.overruled if o.field == "pattern"] == [("b", "a")]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'id = "x"\npriority = 1\nbecause = "y"\nset = { pattern = "batch" }\nwhen = { present = ["nope"] }',
            "unknown names",
        ),
        ('id = "x"\npriority = 1\nbecause = "y {nope}"\nset = { pattern = "batch" }', "unknown names"),
        (
            'id = "x"\npriority = 1\nbecause = "y"\nset = { pattern = "batch", cloud = "aws" }',
            "must set one field",
        ),
        ('id = "x"\npriority = 1\nbecause = "y"\nset = { colour = "red" }', "unknown field"),
        (
            'id = "x"\npriority = 1\nbecause = "y"\nset = { pattern = "batch" }\nwhen = { sometimes = true }',
            "extra",
        ),
    ],
)
def test_bad_rules_are_refused_at_load_time(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[[rule]]\n" + body + "\n")
    with pytest.raises((ValueError, ValidationError), match=message):
        load_rules(path)


def test_a_database_sink_with_a_dbt_adapter_is_the_warehouse() -> None:
    decision = plan_of("hourly batches of Kafka topics into Postgres", pattern="batch")
    assert decision.warehouse == "postgres"
    assert not any("not a dbt warehouse" in w for w in decision.warnings)


def test_a_sink_dbt_cannot_build_in_falls_back_with_a_warning() -> None:
    decision = plan_of("nightly load of Postgres tables into Elasticsearch")
    assert decision.warehouse == "redshift"
    assert any("elasticsearch is not a dbt warehouse" in w for w in decision.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "hot path from Kafka to Elasticsearch, cold path to S3",
        "Pub/Sub events with a streaming and a batch path",
        "MQTT readings to ClickHouse live, plus a daily batch job rolling them up into BigQuery",
    ],
)
def test_a_hot_and_a_cold_path_is_lambda(text: str) -> None:
    assert plan_of(text).pattern == "lambda"


def test_a_batch_job_reading_a_stream_is_lambda_only_with_a_low_latency_ask() -> None:
    assert plan_of("an hourly batch job copies Kafka topics to S3").pattern == "batch"
    assert (
        plan_of("Event Hubs alerts within seconds plus a daily batch aggregation into Synapse").pattern
        == "lambda"
    )


def test_a_stream_into_a_lake_with_compaction_is_a_lakehouse() -> None:
    decision = plan_of("land Kinesis events in the S3 data lake and compact them nightly")
    assert decision.pattern == "lakehouse"
    assert any(o.rule == "pattern.kappa.stream-source" for o in decision.overruled)


def test_a_frequent_incremental_window_is_batch_not_cdc() -> None:
    assert (
        plan_of("replicate Postgres to BigQuery every 15 minutes with an updated_at cursor").pattern
        == "batch"
    )
    assert plan_of("replicate Postgres to BigQuery").pattern == "kappa"


def test_a_query_speed_goal_does_not_make_a_stream() -> None:
    decision = plan_of(
        "reduce query time from hours to under 30 s by modelling Postgres into ClickHouse nightly"
    )
    assert decision.pattern == "batch"
    assert decision.facts.latency_seconds is None


def test_disaster_recovery_keeps_the_protected_data_on_its_cloud() -> None:
    decision = plan_of("disaster recovery for our BigQuery warehouse: replicate it to AWS every night")
    assert decision.cloud == "gcp"
    assert decision.reasons[1].rule == "cloud.disaster-recovery-primary"
    assert any("more than one cloud" in w for w in decision.warnings)


def test_a_platform_ask_with_nothing_named_is_planned_on_stated_assumptions() -> None:
    decision = plan_of("set up a data mesh on AWS where domain teams publish data products")
    assert (decision.pattern, decision.cloud) == ("lakehouse", "aws")
    assert decision.facts.sources == decision.facts.sinks == []
    assert decision.sources
    assert decision.sinks
    assert any("No source is named" in a for a in decision.assumptions)
    assert any("No destination is named" in a for a in decision.assumptions)
