import json
from datetime import datetime

import pytest

from nightly_eventhubs_synapse import source
from nightly_eventhubs_synapse.config import ConfigError
from nightly_eventhubs_synapse.schema import ENTITIES

ENTITY = next(iter(ENTITIES))
# Shaped like a connection string; not a real key.
CONNECTION = (
    "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=spark-listen;"
    "SharedAccessKey=not-a-key"  # pragma: allowlist secret
)
ENV = {"SOURCE_EVENTHUBS_NAMESPACE": "ns", "SOURCE_EVENTHUBS_CONNECTION_SECRET": CONNECTION}


def test_options_read_the_entity_hub_over_the_kafka_endpoint_with_sasl_plain():
    options = source.stream_options(ENTITY, ENV)
    assert options["kafka.bootstrap.servers"] == "ns.servicebus.windows.net:9093"
    assert options["subscribe"] == ENTITY
    assert (options["kafka.security.protocol"], options["kafka.sasl.mechanism"]) == ("SASL_SSL", "PLAIN")
    assert 'username="$ConnectionString"' in options["kafka.sasl.jaas.config"]
    assert options["kafka.group.id"] == "nightly-eventhubs-synapse-stream"
    assert options["startingOffsets"] == "earliest"


def test_consumer_group_starting_position_and_rate_limit_come_from_the_environment():
    options = source.stream_options(
        ENTITY,
        {
            **ENV,
            "SOURCE_EVENTHUBS_HUB_PREFIX": "shop-",
            "SOURCE_EVENTHUBS_CONSUMER_GROUP": "analytics",
            "SOURCE_EVENTHUBS_STARTING_POSITION": "latest",
            "SOURCE_EVENTHUBS_MAX_EVENTS_PER_TRIGGER": "10000",
        },
    )
    assert options["subscribe"] == f"shop-{ENTITY}"
    assert options["kafka.group.id"] == "analytics"
    assert options["startingOffsets"] == "latest"
    assert options["maxOffsetsPerTrigger"] == "10000"


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"SOURCE_EVENTHUBS_CONNECTION_SECRET": CONNECTION}, "SOURCE_EVENTHUBS_NAMESPACE"),
        ({"SOURCE_EVENTHUBS_NAMESPACE": "ns"}, "SOURCE_EVENTHUBS_CONNECTION_SECRET"),
        ({**ENV, "SOURCE_EVENTHUBS_STARTING_POSITION": "monday"}, "SOURCE_EVENTHUBS_STARTING_POSITION"),
        ({**ENV, "SOURCE_EVENTHUBS_MAX_EVENTS_PER_TRIGGER": "lots"}, "SOURCE_EVENTHUBS_MAX_EVENTS_PER_TRIGGER"),
    ],
)
def test_a_missing_or_unusable_variable_is_named(env, name):
    with pytest.raises(ConfigError, match=name):
        source.stream_options(ENTITY, env)


def test_the_connection_string_is_only_in_the_jaas_option_and_redacted_for_printing():
    options = source.stream_options(ENTITY, ENV)
    assert [key for key, value in options.items() if CONNECTION in value] == ["kafka.sasl.jaas.config"]
    assert CONNECTION not in repr(source.redacted(options))


def test_the_kafka_connector_is_declared_for_the_platform():
    assert any("spark-sql-kafka-0-10" in package for package in source.SPARK_PACKAGES)


def test_records_are_shaped_as_value_key_and_source_time(spark):
    value = json.dumps({ENTITIES[ENTITY].primary_key: 42})
    rows = [(None, value.encode(), ENTITY, 0, 5, datetime(2024, 1, 1, 12), 0)]
    schema = (
        "key binary, value binary, topic string, partition int, offset long, timestamp timestamp, timestampType int"
    )
    events = source.shape(spark.createDataFrame(rows, schema))
    assert events.dtypes == [("value", "string"), ("key", "string"), ("source_time", "timestamp")]
    assert events.collect()[0].asDict() == {"value": value, "key": None, "source_time": datetime(2024, 1, 1, 12)}
