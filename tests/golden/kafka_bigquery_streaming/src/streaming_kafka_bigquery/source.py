"""The stream, Apache Kafka, read by the Structured Streaming job in production (Kafka protocol).

The streaming job uses three names, the same for every stream reader:

- `SPARK_PACKAGES`: Maven coordinates the Spark platform adds (`spark.jars.packages`): the Kafka connector, and
  the authentication library of the deploy cloud's managed Kafka when it needs one.
- `stream_options(entity, environ)`: the reader's options, built from `SOURCE_KAFKA_*` variables only (pure:
  the tests check them without any jar).
- `read_stream(spark, settings, entity)`: the entity's topic (`SOURCE_KAFKA_TOPIC_PREFIX` + entity) as a
  streaming DataFrame of `value` (the payload text), `key` (string or null) and `source_time` (the record's
  Kafka timestamp). Parsing the payload into the entity's columns is the job's pure step.

Where the stream starts: `SOURCE_KAFKA_STARTING_OFFSETS` (`earliest`, `latest` or `timestamp:<epoch ms>`)
applies to the first start only; afterwards the job's checkpoint holds the offsets, so a restart resumes where
it stopped. Offsets are never committed to the consumer group: `SOURCE_KAFKA_GROUP_ID` only names the group
for broker ACLs and lag monitoring. `SOURCE_KAFKA_MAX_OFFSETS_PER_TRIGGER` caps a micro-batch.

Authentication (`SOURCE_KAFKA_AUTH`): `none` (PLAINTEXT), `plain` or `scram` (SASL_SSL with
`SOURCE_KAFKA_SASL_USERNAME`/`SOURCE_KAFKA_SASL_PASSWORD`; the password comes from the secret store into the
job's environment, never from a file), `aws_iam` (Amazon MSK IAM: the job's role, no password) or `gcp_oauth`
(Google Managed Service for Apache Kafka: the job's service account, no password).

Debezium change topics (`SOURCE_KAFKA_PAYLOAD=debezium`): `value` is the row's `after` image (from
`payload.after` with the JSON converter's schemas on, else `after`) for creates, updates and snapshot reads
(`op` c, u, r). A delete (`op` d) and Kafka's tombstone after it carry no `after` image: their `value` is null
(a tombstone), so the job's parser routes them to the dead-letter output and the warehouse keeps the last image
of the row; apply deletes downstream from the dead letters if your tables must drop them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .config import ConfigError, Settings, require

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# Google Managed Service for Apache Kafka on Dataproc Serverless 2.2 (Spark 3.5, Scala 2.13): OAuth with the
# job's service account.
DEFAULT_AUTH = "gcp_oauth"
SPARK_PACKAGES: tuple[str, ...] = (
    "org.apache.spark:spark-sql-kafka-0-10_2.13:3.5.1",
    "com.google.cloud.hosted.kafka:managed-kafka-auth-login-handler:1.0.5",
)

#: Authentication libraries by `SOURCE_KAFKA_AUTH` (Maven coordinates); add yours to SPARK_PACKAGES if you switch.
AUTH_PACKAGES: dict[str, tuple[str, ...]] = {
    "aws_iam": ("software.amazon.msk:aws-msk-iam-auth:2.2.0",),
    "gcp_oauth": ("com.google.cloud.hosted.kafka:managed-kafka-auth-login-handler:1.0.5",),
}
AUTH_MODES = ("none", "plain", "scram", "aws_iam", "gcp_oauth")
PAYLOADS = ("json", "debezium")
PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule"
SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule"
# Option values that hold a credential: `redacted` masks them before anything is printed.
SECRET_OPTIONS = frozenset({"kafka.sasl.jaas.config"})


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = (env.get(name) or default).strip().lower()
    if value not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _positive_int(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) <= 0:
        raise ConfigError(f"{name} must be a positive whole number, not {value!r}")
    return value


def topic(entity: str, environ: Mapping[str, str] | None = None) -> str:
    """The topic of an entity's events: `SOURCE_KAFKA_TOPIC_PREFIX` + the entity name."""
    env = os.environ if environ is None else environ
    return env.get("SOURCE_KAFKA_TOPIC_PREFIX", "") + entity


def starting_options(value: str) -> dict[str, str]:
    """`earliest`, `latest` or `timestamp:<epoch ms>` as the Kafka source's starting option."""
    value = value.strip().lower()
    if value in ("earliest", "latest"):
        return {"startingOffsets": value}
    if value.startswith("timestamp:") and value.removeprefix("timestamp:").isdigit():
        return {"startingTimestamp": value.removeprefix("timestamp:")}
    raise ConfigError(f"SOURCE_KAFKA_STARTING_OFFSETS must be earliest, latest or timestamp:<epoch ms>, not {value!r}")


def auth_options(environ: Mapping[str, str]) -> dict[str, str]:
    """The `kafka.*` security options of `SOURCE_KAFKA_AUTH`; a missing credential names its variable."""
    mode = _choice(environ, "SOURCE_KAFKA_AUTH", AUTH_MODES, DEFAULT_AUTH)
    if mode == "none":
        return {}
    if mode == "aws_iam":
        return {
            "kafka.security.protocol": "SASL_SSL",
            "kafka.sasl.mechanism": "AWS_MSK_IAM",
            "kafka.sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
            "kafka.sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
        }
    if mode == "gcp_oauth":
        return {
            "kafka.security.protocol": "SASL_SSL",
            "kafka.sasl.mechanism": "OAUTHBEARER",
            "kafka.sasl.jaas.config": "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
            "kafka.sasl.login.callback.handler.class": "com.google.cloud.hosted.kafka.auth.GcpLoginCallbackHandler",
        }
    user = require("SOURCE_KAFKA_SASL_USERNAME", environ)
    password = require("SOURCE_KAFKA_SASL_PASSWORD", environ)
    module, mechanism = (PLAIN_MODULE, "PLAIN") if mode == "plain" else (SCRAM_MODULE, "SCRAM-SHA-512")
    return {
        "kafka.security.protocol": "SASL_SSL",
        "kafka.sasl.mechanism": mechanism,
        "kafka.sasl.jaas.config": f'{module} required username="{user}" password="{password}";',
    }


def stream_options(entity: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Options of `spark.readStream.format("kafka")` for one entity's topic (pure: reads only `environ`)."""
    env = os.environ if environ is None else environ
    options = {
        "kafka.bootstrap.servers": require("SOURCE_KAFKA_BOOTSTRAP_SERVERS", env),
        "subscribe": topic(entity, env),
        "failOnDataLoss": _choice(env, "SOURCE_KAFKA_FAIL_ON_DATA_LOSS", ("true", "false"), "true"),
        **starting_options(env.get("SOURCE_KAFKA_STARTING_OFFSETS") or "earliest"),
    }
    group = env.get("SOURCE_KAFKA_GROUP_ID", "").strip()
    prefix = f"streaming-kafka-bigquery-{entity}"
    options.update({"kafka.group.id": group} if group else {"groupIdPrefix": prefix})
    limit = _positive_int(env, "SOURCE_KAFKA_MAX_OFFSETS_PER_TRIGGER")
    if limit:
        options["maxOffsetsPerTrigger"] = limit
    options.update(auth_options(env))
    return options


def redacted(options: Mapping[str, str]) -> dict[str, str]:
    """`options` safe to print: every credential-bearing value masked."""
    return {key: ("***" if key in SECRET_OPTIONS else value) for key, value in options.items()}


def payload(environ: Mapping[str, str] | None = None) -> str:
    """`SOURCE_KAFKA_PAYLOAD`: `json` (each value is one event) or `debezium` (a change-event envelope)."""
    env = os.environ if environ is None else environ
    return _choice(env, "SOURCE_KAFKA_PAYLOAD", PAYLOADS, "json")


def shape(records: DataFrame) -> DataFrame:
    """Kafka records (`key`, `value` binary, `timestamp`) as the contract's `value`, `key`, `source_time`."""
    from pyspark.sql import functions as F

    return records.select(
        F.col("value").cast("string").alias("value"),
        F.col("key").cast("string").alias("key"),
        F.col("timestamp").cast("timestamp").alias("source_time"),
    )


def unwrap_debezium(events: DataFrame) -> DataFrame:
    """Debezium envelopes in `value` replaced by the row's `after` image; deletes become null (tombstones)."""
    from pyspark.sql import functions as F

    def field(name: str):
        return F.coalesce(F.get_json_object("value", f"$.payload.{name}"), F.get_json_object("value", f"$.{name}"))

    after = F.when(field("op") == F.lit("d"), F.lit(None).cast("string")).otherwise(field("after"))
    return events.select(after.alias("value"), "key", "source_time")


def read_stream(spark: SparkSession, settings: Settings, entity: str) -> DataFrame:
    """Production: the entity's topic as a stream of `value`, `key`, `source_time`."""
    events = shape(spark.readStream.format("kafka").options(**stream_options(entity)).load())
    return unwrap_debezium(events) if payload() == "debezium" else events
