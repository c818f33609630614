from __future__ import annotations

from dataforge.catalog import load_catalog

REQUIRED_IDS = {
    "kafka", "kinesis", "pubsub", "eventhubs", "mqtt", "postgres", "mysql", "sqlserver", "oracle", "mongodb",
    "dynamodb", "cassandra", "s3", "gcs", "adls", "api", "sftp", "salesforce", "bigquery", "snowflake",
    "redshift", "databricks", "synapse", "clickhouse", "elasticsearch", "delta", "iceberg", "hudi",
}  # fmt: skip


def test_required_canonical_ids_are_catalogued() -> None:
    assert {t.id for t in load_catalog().technologies} >= REQUIRED_IDS


def test_every_cloud_has_defaults_that_exist_in_the_catalogue() -> None:
    catalog = load_catalog()
    ids = {t.id for t in catalog.technologies}
    assert {c.id for c in catalog.clouds} == {"aws", "gcp", "azure"}
    for cloud in catalog.clouds:
        assert {cloud.object_store, cloud.warehouse, cloud.stream, cloud.table_format} <= ids


def test_domains_reference_their_own_entities() -> None:
    for domain in load_catalog().domains:
        names = {e.name: {c.name for c in e.columns} for e in domain.entity}
        for entity in domain.entity:
            assert entity.primary_key in names[entity.name]
            assert entity.event_time in names[entity.name]
            for column in entity.columns:
                if column.references:
                    table, col = column.references.split(".")
                    assert col in names[table]


def test_every_source_id_has_a_reader_and_every_warehouse_a_dbt_adapter() -> None:
    for tech in load_catalog().technologies:
        if tech.kind in {"stream", "database", "object_store", "file_transfer", "api", "saas"}:
            assert tech.reader, tech.id
        if tech.kind == "warehouse":
            assert tech.dbt_package, tech.id
