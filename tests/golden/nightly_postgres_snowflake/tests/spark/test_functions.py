from datetime import datetime
from decimal import Decimal

from pyspark.sql.types import DecimalType, LongType, StringType, StructField, StructType, TimestampType

from nightly_postgres_snowflake.schema import Column, Entity
from nightly_postgres_snowflake.transform import functions as fn

ENTITY = Entity(
    name="things",
    role="fact",
    primary_key="thing_id",
    event_time="updated_at",
    columns=(
        Column("thing_id", "integer", "id", unique=True),
        Column("email", "string", "email", format="email"),
        Column("price", "decimal", "amount", min=0, max=100),
        Column("active", "boolean", "flag"),
        Column("updated_at", "timestamp", "timestamp"),
    ),
)
RAW = StructType([StructField(n, StringType()) for n in ("thing_id", "email", "price", "active", "updated_at")])


def raw(spark, rows):
    return spark.createDataFrame(rows, RAW)


def test_spark_schema_maps_types():
    schema = fn.spark_schema(ENTITY)
    assert [f.name for f in schema.fields] == ["thing_id", "email", "price", "active", "updated_at"]
    assert schema["thing_id"].dataType == LongType()
    assert schema["price"].dataType == DecimalType(18, 2)
    assert schema["updated_at"].dataType == TimestampType()


def test_cast_to_schema_types_and_order(spark):
    df = raw(spark, [(" 7 ", "A@X.COM", "12.345", "true", "2024-01-01 10:00:00")]).select(
        "updated_at", "price", "email", "thing_id", "active"
    )
    out = fn.cast_to_schema(df, ENTITY)
    assert out.schema == fn.spark_schema(ENTITY) or [f.dataType for f in out.schema.fields] == [
        f.dataType for f in fn.spark_schema(ENTITY).fields
    ]
    row = out.collect()[0]
    assert row.thing_id == 7
    assert row.price == Decimal("12.35")
    assert row.active is True
    assert row.updated_at == datetime(2024, 1, 1, 10, 0, 0)


def test_unparseable_values_become_null(spark):
    out = fn.cast_to_schema(raw(spark, [("x", "a@x.com", "cheap", "maybe", "soon")]), ENTITY).collect()[0]
    assert (out.thing_id, out.price, out.active, out.updated_at) == (None, None, None, None)


def test_missing_columns_are_added_as_null(spark):
    df = raw(spark, [("1", "a@x.com", "1", "true", "2024-01-01 00:00:00")]).drop("price")
    assert fn.cast_to_schema(df, ENTITY).collect()[0].price is None


def test_normalise_strings_trims_and_lowercases_email(spark):
    out = fn.normalise_strings(raw(spark, [("1", "  Ann@Example.COM ", "1", "true", "2024-01-01")]), ENTITY)
    assert out.collect()[0].email == "ann@example.com"
    blank = fn.normalise_strings(raw(spark, [("1", "   ", "1", "true", "2024-01-01")]), ENTITY)
    assert blank.collect()[0].email is None


def test_null_keys_are_dropped(spark):
    df = fn.cast_to_schema(
        raw(
            spark,
            [
                ("1", "a@x.com", "1", "true", "2024-01-01 00:00:00"),
                (None, "b@x.com", "1", "true", "2024-01-01 00:00:00"),
                ("oops", "c@x.com", "1", "true", "2024-01-01 00:00:00"),
            ],
        ),
        ENTITY,
    )
    assert [r.thing_id for r in fn.drop_null_keys(df, ENTITY).collect()] == [1]


def test_deduplicate_keeps_latest_event(spark):
    df = fn.cast_to_schema(
        raw(
            spark,
            [
                ("1", "old@x.com", "1", "true", "2024-01-01 00:00:00"),
                ("1", "new@x.com", "2", "true", "2024-01-03 00:00:00"),
                ("1", "mid@x.com", "3", "true", "2024-01-02 00:00:00"),
                ("2", "two@x.com", "4", "false", None),
            ],
        ),
        ENTITY,
    )
    rows = {r.thing_id: r for r in fn.deduplicate(df, ENTITY).collect()}
    assert sorted(rows) == [1, 2]
    assert rows[1].email == "new@x.com"


def test_curate_adds_ingest_date(spark):
    df = raw(spark, [("1", "a@x.com", "1", "true", "2024-01-01 00:00:00")] * 3)
    out = fn.curate(df, ENTITY, "2024-01-05")
    assert out.columns == [*ENTITY.column_names, "ingest_date"]
    assert out.count() == 1
    assert str(out.collect()[0].ingest_date) == "2024-01-05"
