# Spark service account (Dataproc Serverless batches run as it): reads raw and artifacts, writes curated,
# writes Spark logs to artifacts, reads the project's secrets. Dataproc Serverless needs no cluster: the
# orchestrator submits batches with this account, the subnet above and the artifacts bucket as staging.
resource "google_service_account" "spark" {
  account_id   = "${substr(local.name, 0, 24)}-spark"
  display_name = "${local.name} Spark job (Dataproc Serverless)"
}

# The one project-level role: what a Dataproc Serverless batch's own account needs to run.
resource "google_project_iam_member" "spark_dataproc_worker" {
  project = var.project_id
  role    = "roles/dataproc.worker"
  member  = google_service_account.spark.member
}

resource "google_storage_bucket_iam_member" "spark_read_raw" {
  bucket = google_storage_bucket.data["raw"].name
  role   = "roles/storage.objectViewer"
  member = google_service_account.spark.member
}

resource "google_storage_bucket_iam_member" "spark_write_curated" {
  bucket = google_storage_bucket.data["curated"].name
  role   = "roles/storage.objectUser"
  member = google_service_account.spark.member
}

resource "google_storage_bucket_iam_member" "spark_artifacts" {
  bucket = google_storage_bucket.data["artifacts"].name
  role   = "roles/storage.objectUser"
  member = google_service_account.spark.member
}

resource "google_secret_manager_secret_iam_member" "spark_source" {
  secret_id = google_secret_manager_secret.source.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.spark.member
}

# Source credentials: the secret exists, its value is added by you (never by Terraform, never in files), a JSON
# object of the credential variables the Spark job reads (src/<project>/secret_store), e.g.
#   echo '{"SOURCE_JDBC_PASSWORD": "..."}' | gcloud secrets versions add <secret name> --data-file=-
resource "google_secret_manager_secret" "source" {
  secret_id = "${local.name}-source"

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.required]
}
