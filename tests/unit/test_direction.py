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
        # Where files land or arrive is read from when a destination follows; alone, it is written to.
        ("CSV files that land in S3 into Redshift", ["s3"], ["redshift"]),
        ("partners drop JSON files into Azure Blob Storage; load them into Synapse", ["adls"], ["synapse"]),
        ("files landing in ADLS ingested into Databricks", ["adls"], ["databricks"]),
        ("land Kinesis events in S3", ["kinesis"], ["s3"]),
        # Ranges and bounds are not directions.
        (
            "speed up Snowflake queries from 5 minutes to under 5 seconds from SQL Server",
            ["sqlserver"],
            ["snowflake"],
        ),
        ("Redshift dashboards load in under 10 seconds; data comes from MySQL", ["mysql"], ["redshift"]),
        ("CDC from MySQL to keep a ClickHouse replica up to date", ["mysql"], ["clickhouse"]),
        # A marker that reaches no technology does not place the ones before it.
        ("Iceberg tables on GCS queried by Spark", [], ["iceberg", "gcs"]),
        # Serving, syncing and protecting words.
        ("Kafka for the real-time view, served from Cassandra", ["kafka"], ["cassandra"]),
        ("keep Elasticsearch in sync with MongoDB", ["mongodb"], ["elasticsearch"]),
        ("disaster recovery for our BigQuery warehouse", ["bigquery"], []),
    ],
)
def test_sources_and_sinks(text: str, sources: list[str], sinks: list[str]) -> None:
    facts = extract_facts(text)
    assert (facts.sources, facts.sinks) == (sources, sinks)
