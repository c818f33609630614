# Amazon MSK on EMR Serverless 7 (Spark 3.5, Scala 2.12): IAM authentication with the job's role.
DEFAULT_AUTH = "aws_iam"
SPARK_PACKAGES: tuple[str, ...] = (
    "org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.1",
    "software.amazon.msk:aws-msk-iam-auth:2.2.0",
)
