"""What each architecture pattern means, as shown by `dataforge catalog` and the docs."""

PATTERN_MEANINGS: dict[str, str] = {
    "batch": "Scheduled ETL/ELT from databases, files, APIs or SaaS into a warehouse or lake; "
    "latency of an hour or more, or no latency need at all.",
    "kappa": "A stream (Kafka, Kinesis, Pub/Sub, Event Hubs, MQTT, CDC) processed continuously with low "
    "latency; reprocessing by replaying the log; no separate batch recomputation.",
    "lambda": "A low-latency path and a batch path over the same data: real-time views plus nightly or "
    "historical recomputation, backfills or reconciliation; online features plus offline backfills.",
    "lakehouse": "Open table formats (Delta, Iceberg, Hudi), Databricks, medallion bronze/silver/gold, ACID "
    "or time travel on a lake; one storage layer for BI and ML.",
}
