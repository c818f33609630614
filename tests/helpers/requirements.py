"""The requirements end-to-end and security tests generate: four sources, four sinks, three clouds."""

PROJECTS: dict[str, tuple[str, str]] = {
    "postgres_snowflake": ("nightly load of Postgres tables into Snowflake", "aws"),
    "salesforce_bigquery": ("hourly sync of Salesforce opportunities into BigQuery", "gcp"),
    "sftp_synapse": ("daily CSV files from an SFTP server into Azure Synapse", "azure"),
    "api_redshift": ("pull support tickets from a REST API into Redshift every 6 hours", "aws"),
}
