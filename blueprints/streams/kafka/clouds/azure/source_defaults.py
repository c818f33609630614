# The Kafka endpoint of Azure Event Hubs on Synapse Spark 3.4 (Scala 2.12): SASL PLAIN, user `$ConnectionString`,
# the namespace's connection string as the password (SOURCE_KAFKA_SASL_PASSWORD, from Key Vault).
DEFAULT_AUTH = "plain"
SPARK_PACKAGES: tuple[str, ...] = ("org.apache.spark:spark-sql-kafka-0-10_2.12:3.4.1",)
