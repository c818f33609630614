# The stream: a Google Managed Service for Apache Kafka cluster reachable only from the Spark subnet (no
# public endpoint), encrypted with the project key, and one topic per entity. Clients authenticate with their
# Google identity (SASL OAUTHBEARER, SOURCE_KAFKA_AUTH=gcp_oauth): the Spark service account gets the Managed
# Kafka client role, which lets it connect to the clusters of this project (there is no per-topic IAM binding
# in the provider; use Kafka ACLs on the cluster to narrow it further).
variable "kafka_vcpu_count" {
  description = "vCPUs of the Managed Kafka cluster (3 or more)."
  type        = number
  default     = 3

  validation {
    condition     = var.kafka_vcpu_count >= 3
    error_message = "kafka_vcpu_count must be at least 3."
  }
}

variable "kafka_memory_gb" {
  description = "Memory of the Managed Kafka cluster in GiB (1 to 8 per vCPU)."
  type        = number
  default     = 3
}

variable "kafka_partitions" {
  description = "Partitions of each entity topic."
  type        = number
  default     = 3
}

locals {
  stream_entities     = ["visitors", "page_views"]
  managed_kafka_agent = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-managedkafka.iam.gserviceaccount.com"
}

resource "google_project_service" "stream" {
  project            = var.project_id
  service            = "managedkafka.googleapis.com"
  disable_on_destroy = false
}

# The Managed Kafka service agent encrypts the cluster's data with the project key.
resource "google_kms_crypto_key_iam_member" "managed_kafka" {
  crypto_key_id = local.kms_key_id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = local.managed_kafka_agent

  depends_on = [google_project_service.stream]
}

resource "google_managed_kafka_cluster" "stream" {
  cluster_id = "${local.name}-stream"
  location   = var.region

  capacity_config {
    vcpu_count   = var.kafka_vcpu_count
    memory_bytes = var.kafka_memory_gb * 1073741824
  }

  gcp_config {
    kms_key = local.kms_key_id
    access_config {
      network_configs {
        subnet = google_compute_subnetwork.spark.id
      }
    }
  }

  rebalance_config {
    mode = "AUTO_REBALANCE_ON_SCALE_UP"
  }

  depends_on = [google_kms_crypto_key_iam_member.managed_kafka]
}

resource "google_managed_kafka_topic" "entity" {
  for_each = toset(local.stream_entities)

  topic_id           = each.value
  cluster            = google_managed_kafka_cluster.stream.cluster_id
  location           = var.region
  partition_count    = var.kafka_partitions
  replication_factor = 3
}

resource "google_project_iam_member" "spark_kafka_client" {
  project = var.project_id
  role    = "roles/managedkafka.client"
  member  = google_service_account.spark.member
}

output "kafka_bootstrap_servers" {
  description = "Bootstrap address of the Managed Kafka cluster (SOURCE_KAFKA_BOOTSTRAP_SERVERS)."
  value       = "bootstrap.${google_managed_kafka_cluster.stream.cluster_id}.${var.region}.managedkafka.${var.project_id}.cloud.goog:9092"
}
