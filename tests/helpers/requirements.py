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
    # variant: (requirement, cloud, source reader, sample domain)
    "jdbc": ("nightly load of card transactions from MySQL into Redshift", "aws", "jdbc", "payments"),
    "files": ("daily parquet files of IoT sensor readings from GCS into BigQuery", "gcp", "files", "iot"),
    "sftp": (
        "hourly CSV drops of ad campaign spend from an SFTP server into Snowflake",
        "azure",
        "sftp",
        "marketing",
    ),
    "api": ("pull support tickets from a REST API into Synapse every 6 hours", "azure", "api", "support_api"),
    "salesforce": ("nightly Salesforce accounts into Snowflake", "aws", "salesforce", "crm"),
    "mongodb": ("nightly MongoDB application logs into BigQuery", "gcp", "mongodb", "app_logs"),
    "dynamodb": ("daily DynamoDB export of orders into Redshift", "aws", "dynamodb", "commerce"),
    "cassandra": (
        "nightly Cassandra tables of page views into Databricks",
        "azure",
        "cassandra",
        "clickstream",
    ),
    "stream": ("hourly batches of Kafka topics into Postgres", "gcp", "stream", "clickstream"),
    "saas_stripe": ("daily sync of Stripe payments into Postgres", "gcp", "saas", "stripe"),
    "saas_github": ("load GitHub issues into BigQuery every day", "gcp", "saas", "github"),
    "saas_hubspot": ("nightly HubSpot deals into Snowflake", "aws", "saas", "hubspot"),
}

# The streaming projects, one per streaming pattern, each run end to end (make setup, test, lint, test-prod, run
# twice): (requirement, cloud, pattern). Every other stream reader renders a variant checked more cheaply with the
# kappa project's environment.
STREAMING_PROJECTS: dict[str, tuple[str, str, str]] = {
    "kafka_bigquery": ("Kafka to BigQuery streaming", "gcp", "kappa"),
    "eventhubs_synapse": (
        "live order counts from Event Hubs and a nightly recompute from ADLS, merged in Synapse",
        "azure",
        "lambda",
    ),
}
STREAM_VARIANTS = {
    # variant: (requirement, cloud, stream reader)
    "kinesis": (
        "stream clickstream from Kinesis into Redshift with under a minute of delay",
        "aws",
        "kinesis",
    ),
    "pubsub": ("IoT sensor readings from Pub/Sub streaming into BigQuery", "gcp", "pubsub"),
    "eventhubs": ("live order events from Event Hubs streamed into Synapse", "azure", "eventhubs"),
    "msk": ("MSK Kafka streaming into Redshift", "aws", "kafka"),
}
