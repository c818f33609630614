# Private network for Dataproc Serverless batches: no external IPs (batches use internal IPs only),
# Private Google Access to reach Cloud Storage/BigQuery/KMS, flow logs, and ingress only from inside
# the subnet (Spark driver <-> executors). No route to the internet is created; add a Cloud NAT if the
# Spark job must reach a source outside Google Cloud.
resource "google_compute_network" "spark" {
  name                    = "${local.name}-spark"
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"

  depends_on = [google_project_service.required]
}

resource "google_compute_subnetwork" "spark" {
  name                     = "${local.name}-spark"
  network                  = google_compute_network.spark.id
  region                   = var.region
  ip_cidr_range            = var.subnet_cidr
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_MIN"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "spark_internal" {
  name      = "${local.name}-spark-internal"
  network   = google_compute_network.spark.id
  direction = "INGRESS"
  priority  = 1000

  source_ranges = [var.subnet_cidr]

  allow {
    protocol = "tcp"
  }

  allow {
    protocol = "udp"
  }

  allow {
    protocol = "icmp"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
