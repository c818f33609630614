# Integration point for Snowflake (the warehouse lives outside GCP): create a storage integration in
# Snowflake (STORAGE_PROVIDER = 'GCS', STORAGE_ALLOWED_LOCATIONS = ('gcs://<output curated_bucket>/')),
# copy STORAGE_GCP_SERVICE_ACCOUNT from `DESC INTEGRATION` into snowflake_gcs_service_account and apply
# again: that account may then read the curated bucket, nothing else.

variable "snowflake_gcs_service_account" {
  description = "STORAGE_GCP_SERVICE_ACCOUNT shown by `DESC INTEGRATION` for your Snowflake storage integration. Empty: no access is granted."
  type        = string
  default     = ""

  validation {
    condition     = var.snowflake_gcs_service_account == "" || can(regex("^[a-z0-9-]+@[a-z0-9.-]+\\.iam\\.gserviceaccount\\.com$", var.snowflake_gcs_service_account))
    error_message = "snowflake_gcs_service_account must be empty or a service account email."
  }
}

resource "google_storage_bucket_iam_member" "snowflake_read_curated" {
  count = var.snowflake_gcs_service_account == "" ? 0 : 1

  bucket = google_storage_bucket.data["curated"].name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${var.snowflake_gcs_service_account}"
}
