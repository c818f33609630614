"""The requirements end-to-end and security tests generate: four sources, four sinks, three clouds."""

PROJECTS: dict[str, tuple[str, str]] = {
    "postgres_snowflake": ("nightly load of Postgres tables into Snowflake", "aws"),
    "salesforce_bigquery": ("hourly sync of Salesforce opportunities into BigQuery", "gcp"),
    "sftp_synapse": ("daily CSV files from an SFTP server into Azure Synapse", "azure"),
    # ClickHouse: its prod SQL runs on chDB in the project's make test-prod. Redshift's Terraform is validated
    # without the e2e suite (tests/prod/test_redshift_terraform.py).
    "mysql_clickhouse": (
        "Every night pull yesterday's orders from a MySQL database and load them into ClickHouse",
        "aws",
    ),
}
