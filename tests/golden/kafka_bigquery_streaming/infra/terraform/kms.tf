# Customer-managed key for all project data (buckets, and the warehouse when created here). Bring your own with
# `kms_key_id`; otherwise a key ring and a key rotating every 90 days are created. Cloud KMS keys cannot be
# deleted, only their versions destroyed, so the key is protected from `terraform destroy`.
resource "google_kms_key_ring" "data" {
  count = var.kms_key_id == null ? 1 : 0

  name     = "${local.name}-data"
  location = var.region

  depends_on = [google_project_service.required]
}

resource "google_kms_crypto_key" "data" {
  count = var.kms_key_id == null ? 1 : 0

  name            = "${local.name}-data"
  key_ring        = google_kms_key_ring.data[0].id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = "7776000s"

  lifecycle {
    prevent_destroy = true
  }
}

# The Cloud Storage service agent encrypts objects with the key on the buckets' behalf.
resource "google_kms_crypto_key_iam_member" "gcs" {
  crypto_key_id = local.kms_key_id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}
