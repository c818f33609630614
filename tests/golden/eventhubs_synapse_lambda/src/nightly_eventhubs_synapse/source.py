"""The stream, Azure Event Hubs, read by the Structured Streaming job in production.

The job reads Event Hubs through its Kafka endpoint (`<namespace>.servicebus.windows.net:9093`, SASL_SSL with
the PLAIN mechanism, user `$ConnectionString`, the namespace's connection string as the password) with Spark's
own Kafka source: the azure-eventhubs-spark connector does not support Spark 3.5+ or Scala 2.13, and the Kafka
endpoint works with every Spark the platforms run. Each entity is one event hub (a Kafka topic).

The streaming job uses three names, the same for every stream reader:

- `SPARK_PACKAGES`: Maven coordinates the Spark platform adds: Spark's Kafka connector (Synapse Spark 3.4,
  Scala 2.12; match your pool's Spark version).
- `stream_options(entity, environ)`: the Kafka source's options, built from `SOURCE_EVENTHUBS_*` variables only
  (pure: the tests check them without any jar).
- `read_stream(spark, settings, entity)`: the entity's hub (`SOURCE_EVENTHUBS_HUB_PREFIX` + entity) as a
  streaming DataFrame of `value` (the event body as text), `key` (its partition key, or null) and
  `source_time` (its enqueued time).

The connection string (`SOURCE_EVENTHUBS_CONNECTION_SECRET`) comes from Key Vault into the job's environment,
never from a file; it only ever sits in the JAAS option, which `redacted` masks before anything is printed.
Where the stream starts: `SOURCE_EVENTHUBS_STARTING_POSITION` (`earliest`, `latest`, `timestamp:<epoch ms>`)
on the first start; afterwards the job's checkpoint holds the offsets. `SOURCE_EVENTHUBS_MAX_EVENTS_PER_TRIGGER`
caps a micro-batch.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .config import ConfigError, Settings, require

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

SPARK_PACKAGES: tuple[str, ...] = ("org.apache.spark:spark-sql-kafka-0-10_2.12:3.4.1",)
PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule"
SECRET_OPTIONS = frozenset({"kafka.sasl.jaas.config"})
KAFKA_PORT = 9093


def hub(entity: str, environ: Mapping[str, str] | None = None) -> str:
    """The event hub of an entity's events: `SOURCE_EVENTHUBS_HUB_PREFIX` + the entity name."""
    env = os.environ if environ is None else environ
    return env.get("SOURCE_EVENTHUBS_HUB_PREFIX", "") + entity


def starting_options(value: str) -> dict[str, str]:
    """`earliest`, `latest` or `timestamp:<epoch ms>` as the Kafka source's starting option."""
    value = value.strip().lower()
    if value in ("earliest", "latest"):
        return {"startingOffsets": value}
    if value.startswith("timestamp:") and value.removeprefix("timestamp:").isdigit():
        return {"startingTimestamp": value.removeprefix("timestamp:")}
    raise ConfigError(
        f"SOURCE_EVENTHUBS_STARTING_POSITION must be earliest, latest or timestamp:<epoch ms>, not {value!r}"
    )


def stream_options(entity: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Options of `spark.readStream.format("kafka")` against the namespace's Kafka endpoint (pure)."""
    env = os.environ if environ is None else environ
    namespace = require("SOURCE_EVENTHUBS_NAMESPACE", env)
    connection = require("SOURCE_EVENTHUBS_CONNECTION_SECRET", env)
    options = {
        "kafka.bootstrap.servers": f"{namespace}.servicebus.windows.net:{KAFKA_PORT}",
        "subscribe": hub(entity, env),
        "kafka.security.protocol": "SASL_SSL",
        "kafka.sasl.mechanism": "PLAIN",
        "kafka.sasl.jaas.config": f'{PLAIN_MODULE} required username="$ConnectionString" password="{connection}";',
        # Event Hubs closes idle connections after 240 s; these are its recommended client timeouts.
        "kafka.request.timeout.ms": "60000",
        "kafka.session.timeout.ms": "30000",
        "kafka.group.id": env.get("SOURCE_EVENTHUBS_CONSUMER_GROUP") or "nightly-eventhubs-synapse-stream",
        "failOnDataLoss": "true",
        **starting_options(env.get("SOURCE_EVENTHUBS_STARTING_POSITION") or "earliest"),
    }
    limit = env.get("SOURCE_EVENTHUBS_MAX_EVENTS_PER_TRIGGER", "").strip()
    if limit:
        if not limit.isdigit() or int(limit) <= 0:
            raise ConfigError(f"SOURCE_EVENTHUBS_MAX_EVENTS_PER_TRIGGER must be a positive whole number, not {limit!r}")
        options["maxOffsetsPerTrigger"] = limit
    return options


def redacted(options: Mapping[str, str]) -> dict[str, str]:
    """`options` safe to print: the connection string masked."""
    return {key: ("***" if key in SECRET_OPTIONS else value) for key, value in options.items()}


def shape(records: DataFrame) -> DataFrame:
    """Kafka records (`key`, `value` binary, `timestamp`) as the contract's `value`, `key`, `source_time`."""
    from pyspark.sql import functions as F

    return records.select(
        F.col("value").cast("string").alias("value"),
        F.col("key").cast("string").alias("key"),
        F.col("timestamp").cast("timestamp").alias("source_time"),
    )


def read_stream(spark: SparkSession, settings: Settings, entity: str) -> DataFrame:
    """Production: the entity's event hub as a stream of `value`, `key`, `source_time`."""
    return shape(spark.readStream.format("kafka").options(**stream_options(entity)).load())
