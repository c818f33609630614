# Data buckets (raw, curated, artifacts): regional, uniform bucket-level access, public access prevented,
# versioned, encrypted with the project key, access-logged, with lifecycle rules.
resource "google_storage_bucket" "data" {
  for_each = local.zones

  name                        = local.bucket_names[each.key]
  location                    = var.region
  storage_class               = "STANDARD"
  force_destroy               = var.force_destroy
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = local.kms_key_id
  }

  logging {
    log_bucket        = google_storage_bucket.logs.name
    log_object_prefix = "gcs/${each.key}/"
  }

  soft_delete_policy {
    retention_duration_seconds = 604800
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_expiration_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  dynamic "lifecycle_rule" {
    for_each = each.value.nearline_days == null ? [] : [each.value.nearline_days]
    content {
      condition {
        age        = lifecycle_rule.value
        with_state = "LIVE"
      }
      action {
        type          = "SetStorageClass"
        storage_class = "NEARLINE"
      }
    }
  }

  dynamic "lifecycle_rule" {
    for_each = each.value.expiration_days == null ? [] : [each.value.expiration_days]
    content {
      condition {
        age        = lifecycle_rule.value
        with_state = "LIVE"
      }
      action {
        type = "Delete"
      }
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.gcs]
}

# Access logs of the data buckets (usage and storage logs written by Cloud Storage).
resource "google_storage_bucket" "logs" {
  #checkov:skip=CKV_GCP_62:This is the access-log target; logging it into itself would loop.
  name                        = local.log_bucket
  location                    = var.region
  storage_class               = "STANDARD"
  force_destroy               = var.force_destroy
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = local.kms_key_id
  }

  lifecycle_rule {
    condition {
      age        = var.access_log_expiration_days
      with_state = "ANY"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.gcs]
}

# Cloud Storage delivers usage logs as this group.
resource "google_storage_bucket_iam_member" "logs_writer" {
  bucket = google_storage_bucket.logs.name
  role   = "roles/storage.objectCreator"
  member = "group:cloud-storage-analytics@google.com"
}
