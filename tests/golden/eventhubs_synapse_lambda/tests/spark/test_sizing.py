"""The production sizing (`submit.SIZING`, README "Sizing") is configuration a real Spark accepts.

Only SQL settings can change on a running session; executor settings are read when a platform starts the
application, so they are parsed here by Spark's own parsers instead.
"""

import re

from pyspark.sql import functions as F

from nightly_eventhubs_synapse.config import Settings
from nightly_eventhubs_synapse.transform import submit
from nightly_eventhubs_synapse.transform.session import build_spark

INTEGERS = ("spark.executor.instances", "spark.executor.cores", "spark.dynamicAllocation.maxExecutors")


def test_sized_sql_settings_shape_the_plan_on_a_real_session(spark):
    sql = {name: value for name, value in submit.SIZING.items() if name.startswith("spark.sql.")}
    before = {name: spark.conf.get(name) for name in sql}
    try:
        for name, value in sql.items():
            spark.conf.set(name, value)
        partitions = int(spark.conf.get("spark.sql.shuffle.partitions"))
        grouped = spark.range(10).groupBy((F.col("id") % 3).alias("bucket")).count()
        plan = grouped._jdf.queryExecution().executedPlan().toString()
        assert re.search(rf"hashpartitioning\(.*, {partitions}\)", plan), plan
    finally:
        for name, value in before.items():
            spark.conf.set(name, value)


def test_sized_executor_settings_parse_with_sparks_own_parsers(spark):
    jvm = spark.sparkContext._jvm
    for name, value in submit.SIZING.items():
        if name == "spark.executor.memory":
            assert jvm.org.apache.spark.network.util.JavaUtils.byteStringAsMb(value) >= 1024, value
        elif name in INTEGERS:
            assert int(value) >= 1, (name, value)
    if "spark.dynamicAllocation.maxExecutors" in submit.SIZING:
        assert int(submit.SIZING["spark.dynamicAllocation.maxExecutors"]) >= int(
            submit.SIZING["spark.executor.instances"]
        )


def test_local_runs_do_not_take_the_production_sizing(spark):
    # The shared test session, like `make run`, keeps its small local shuffle.
    assert int(spark.conf.get("spark.sql.shuffle.partitions")) <= 8


def test_the_production_session_takes_the_sized_sql_settings(spark):
    before = spark.conf.get("spark.sql.shuffle.partitions")
    try:
        session = build_spark(settings=Settings(env="prod"))  # the running session, reconfigured
        expected = submit.SIZING.get("spark.sql.shuffle.partitions", before)
        assert session.conf.get("spark.sql.shuffle.partitions") == expected
    finally:
        spark.conf.set("spark.sql.shuffle.partitions", before)
