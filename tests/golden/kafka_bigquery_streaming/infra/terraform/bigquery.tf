# BigQuery dataset dbt builds into: regional, encrypted with the project key, no public access
# (access is granted to the orchestrator account only, below).
data "google_bigquery_default_service_account" "bq" {
  project = var.project_id
}

# The BigQuery service agent encrypts tables with the key on the dataset's behalf.
resource "google_kms_crypto_key_iam_member" "bigquery" {
  crypto_key_id = local.kms_key_id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:${data.google_bigquery_default_service_account.bq.email}"
}

resource "google_bigquery_dataset" "warehouse" {
  dataset_id                 = replace(local.name, "-", "_")
  friendly_name              = "${local.name} warehouse"
  description                = "Tables built by dbt for ${local.name}."
  location                   = var.region
  delete_contents_on_destroy = var.force_destroy

  default_encryption_configuration {
    kms_key_name = local.kms_key_id
  }

  depends_on = [google_kms_crypto_key_iam_member.bigquery, google_project_service.required]
}

resource "google_bigquery_dataset_iam_member" "orchestrator" {
  dataset_id = google_bigquery_dataset.warehouse.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.orchestrator.member
}

# dbt runs query jobs in this project and builds tables in the project's dataset only.
resource "google_project_iam_member" "orchestrator_bigquery_jobs" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = google_service_account.orchestrator.member
}

output "bigquery_dataset" {
  description = "Dataset dbt builds into (dbt profile `dataset`)."
  value       = google_bigquery_dataset.warehouse.dataset_id
}
