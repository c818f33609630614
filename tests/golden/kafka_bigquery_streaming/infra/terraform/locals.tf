locals {
  # local.name (<project>-<environment>) and local.tags are in naming.tf, shared by every cloud.

  kms_key_id = var.kms_key_id != null ? var.kms_key_id : google_kms_crypto_key.data[0].id

  # Storage zones. raw: landed source extracts; curated: Parquet written by Spark;
  # artifacts: job code, Dataproc staging, Spark logs and quality reports.
  zones = {
    raw = {
      expiration_days = var.raw_expiration_days
      nearline_days   = 30
    }
    curated = {
      expiration_days = null
      nearline_days   = null
    }
    artifacts = {
      expiration_days = null
      nearline_days   = null
    }
  }

  # Bucket names are global: a short hash of the project id keeps them unique without writing it anywhere.
  bucket_suffix = substr(sha256(var.project_id), 0, 8)
  bucket_names  = { for zone in keys(local.zones) : zone => "${local.name}-${zone}-${local.bucket_suffix}" }
  log_bucket    = "${local.name}-logs-${local.bucket_suffix}"

  services = [
    "bigquery.googleapis.com",
    "cloudkms.googleapis.com",
    "compute.googleapis.com",
    "dataproc.googleapis.com",
    "iam.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ]
}

resource "google_project_service" "required" {
  for_each = toset(local.services)

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}
