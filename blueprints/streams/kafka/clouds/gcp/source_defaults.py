# Google Managed Service for Apache Kafka on Dataproc Serverless 2.2 (Spark 3.5, Scala 2.13): OAuth with the
# job's service account.
DEFAULT_AUTH = "gcp_oauth"
SPARK_PACKAGES: tuple[str, ...] = (
    "org.apache.spark:spark-sql-kafka-0-10_2.13:3.5.1",
    "com.google.cloud.hosted.kafka:managed-kafka-auth-login-handler:1.0.5",
)
