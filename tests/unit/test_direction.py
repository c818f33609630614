from __future__ import annotations

import pytest

from dataforge.facts import extract_facts


@pytest.mark.parametrize(
    ("text", "sources", "sinks"),
    [
        ("Kafka to BigQuery", ["kafka"], ["bigquery"]),
        ("from Postgres to Snowflake", ["postgres"], ["snowflake"]),
        ("Postgres and MySQL into Redshift", ["postgres", "mysql"], ["redshift"]),
        ("Kinesis -> S3 -> Redshift", ["kinesis"], ["s3", "redshift"]),
        ("Kafka → ClickHouse", ["kafka"], ["clickhouse"]),
        ("land Kafka events in S3", ["kafka"], ["s3"]),
        ("a pipeline to replicate MySQL to BigQuery", ["mysql"], ["bigquery"]),
        ("clickstream from Kinesis for dashboards and a recompute in Redshift", ["kinesis"], ["redshift"]),
        ("Iceberg tables on GCS", [], ["iceberg", "gcs"]),
        ("Parquet files in ADLS loaded into Synapse", ["adls"], ["synapse"]),
        ("features in DynamoDB from Kinesis", ["kinesis"], ["dynamodb"]),
        ("Snowflake", [], ["snowflake"]),
        ("Kafka", ["kafka"], []),
        ("replicate Postgres to Postgres", ["postgres"], ["postgres"]),
    ],
)
def test_sources_and_sinks(text: str, sources: list[str], sinks: list[str]) -> None:
    facts = extract_facts(text)
    assert (facts.sources, facts.sinks) == (sources, sinks)
