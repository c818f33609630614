import json
from datetime import datetime

import pytest

from streaming_kafka_bigquery import source
from streaming_kafka_bigquery.config import ConfigError
from streaming_kafka_bigquery.schema import ENTITIES

ENTITY = next(iter(ENTITIES))
ENV = {"SOURCE_KAFKA_BOOTSTRAP_SERVERS": "broker-1:9098,broker-2:9098", "SOURCE_KAFKA_AUTH": "none"}
SASL = {**ENV, "SOURCE_KAFKA_AUTH": "scram", "SOURCE_KAFKA_SASL_USERNAME": "reader"}


def test_options_subscribe_to_the_entity_topic_from_the_earliest_offset():
    options = source.stream_options(ENTITY, {**ENV, "SOURCE_KAFKA_TOPIC_PREFIX": "shop."})
    assert options["kafka.bootstrap.servers"] == "broker-1:9098,broker-2:9098"
    assert options["subscribe"] == f"shop.{ENTITY}"
    assert options["startingOffsets"] == "earliest"
    assert options["failOnDataLoss"] == "true"
    assert options["groupIdPrefix"].endswith(ENTITY)
    assert not any(key.startswith("kafka.sasl") for key in options)


def test_consumer_group_starting_position_and_rate_limit_come_from_the_environment():
    options = source.stream_options(
        ENTITY,
        {
            **ENV,
            "SOURCE_KAFKA_GROUP_ID": "clicks-stream",
            "SOURCE_KAFKA_STARTING_OFFSETS": "timestamp:1704067200000",
            "SOURCE_KAFKA_MAX_OFFSETS_PER_TRIGGER": "50000",
        },
    )
    assert options["kafka.group.id"] == "clicks-stream"
    assert "groupIdPrefix" not in options
    assert options["startingTimestamp"] == "1704067200000"
    assert "startingOffsets" not in options
    assert options["maxOffsetsPerTrigger"] == "50000"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SOURCE_KAFKA_STARTING_OFFSETS", "yesterday"),
        ("SOURCE_KAFKA_MAX_OFFSETS_PER_TRIGGER", "-5"),
        ("SOURCE_KAFKA_AUTH", "kerberos"),
        ("SOURCE_KAFKA_PAYLOAD", "avro"),
    ],
)
def test_a_value_the_reader_cannot_use_names_its_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        read_configuration({**ENV, name: value})


def read_configuration(env):
    """Everything `read_stream` reads from the environment."""
    return source.payload(env), source.stream_options(ENTITY, env)


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SOURCE_KAFKA_BOOTSTRAP_SERVERS"),
        ({**ENV, "SOURCE_KAFKA_AUTH": "plain"}, "SOURCE_KAFKA_SASL_USERNAME"),
        (SASL, "SOURCE_KAFKA_SASL_PASSWORD"),
    ],
)
def test_a_missing_required_variable_is_named(env, missing):
    with pytest.raises(ConfigError, match=missing):
        source.stream_options(ENTITY, env)


def test_sasl_password_is_only_in_the_jaas_option_and_redacted_for_printing():
    password = "not-a-real-password"  # pragma: allowlist secret
    options = source.stream_options(ENTITY, {**SASL, "SOURCE_KAFKA_SASL_PASSWORD": password})
    assert options["kafka.security.protocol"] == "SASL_SSL"
    assert options["kafka.sasl.mechanism"] == "SCRAM-SHA-512"
    assert [key for key, value in options.items() if password in value] == ["kafka.sasl.jaas.config"]
    assert password not in repr(source.redacted(options))


@pytest.mark.parametrize("mode", ["aws_iam", "gcp_oauth"])
def test_cloud_identity_auth_needs_no_password(mode):
    options = source.stream_options(ENTITY, {**ENV, "SOURCE_KAFKA_AUTH": mode})
    assert options["kafka.security.protocol"] == "SASL_SSL"
    assert "password" not in options["kafka.sasl.jaas.config"]
    assert source.AUTH_PACKAGES[mode]


def test_the_default_auth_library_is_declared_for_the_platform():
    assert any("spark-sql-kafka-0-10" in package for package in source.SPARK_PACKAGES)
    assert set(source.AUTH_PACKAGES.get(source.DEFAULT_AUTH, ())) <= set(source.SPARK_PACKAGES)


def kafka_records(spark, *values):
    """A static DataFrame shaped like the Kafka connector's output (key and value are binary)."""
    rows = [
        (b"k1", None if v is None else v.encode(), "t", 0, i, datetime(2024, 1, 1, 12, 0, i), 0)
        for i, v in enumerate(values)
    ]
    schema = (
        "key binary, value binary, topic string, partition int, offset long, timestamp timestamp, timestampType int"
    )
    return spark.createDataFrame(rows, schema)


def test_records_are_shaped_as_value_key_and_source_time(spark):
    value = json.dumps({ENTITIES[ENTITY].primary_key: 42})
    events = source.shape(kafka_records(spark, value))
    assert events.dtypes == [("value", "string"), ("key", "string"), ("source_time", "timestamp")]
    assert events.collect()[0].asDict() == {"value": value, "key": "k1", "source_time": datetime(2024, 1, 1, 12)}


def test_debezium_envelopes_become_after_images_and_deletes_tombstones(spark):
    after = {"id": 7, "name": "b"}
    envelopes = [
        json.dumps({"payload": {"op": "c", "before": None, "after": after}}),
        json.dumps({"op": "u", "before": {"id": 7, "name": "a"}, "after": after}),
        json.dumps({"payload": {"op": "d", "before": after, "after": None}}),
        None,
    ]
    rows = source.unwrap_debezium(source.shape(kafka_records(spark, *envelopes))).orderBy("source_time").collect()
    assert [json.loads(row.value) if row.value else None for row in rows] == [after, after, None, None]
    assert all(row.key == "k1" for row in rows)
