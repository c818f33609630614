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

# One source per way of reading it in production, rotating over the clouds; together their sentences name every
# sample domain the full projects above do not model (their nouns choose it: src/dataforge/catalog/domains.toml).
READER_VARIANTS = {
    "jdbc": ("nightly load of card transactions from MySQL into Redshift", "aws", "payments"),
    "files": ("daily parquet files of IoT sensor readings from GCS into BigQuery", "gcp", "iot"),
    "sftp": (
        "hourly CSV drops of ad campaign spend from an SFTP server into Snowflake",
        "azure",
        "marketing",
    ),
    "api": ("pull support tickets from a REST API into Synapse every 6 hours", "azure", "support_api"),
    "salesforce": ("nightly Salesforce accounts into Snowflake", "aws", "crm"),
    "mongodb": ("nightly MongoDB application logs into BigQuery", "gcp", "app_logs"),
    "dynamodb": ("daily DynamoDB export of orders into Redshift", "aws", "commerce"),
    "cassandra": ("nightly Cassandra tables of page views into Databricks", "azure", "clickstream"),
    "stream": ("hourly batches of Kafka topics into Postgres", "gcp", "clickstream"),
}
