# Orchestrator service account (give it to the Cloud Composer environment): lands raw extracts, reads
# curated data for the quality gate, reads/writes artifacts, submits and watches Dataproc Serverless batches
# (custom role, no broad Dataproc role) and may act as the Spark account only.
# The Composer environment itself is not created here: see README.md.
resource "google_service_account" "orchestrator" {
  account_id   = "${substr(local.name, 0, 17)}-orchestrator"
  display_name = "${local.name} orchestrator (Airflow)"
}

# Required by Cloud Composer for its environment's service account.
resource "google_project_iam_member" "orchestrator_composer_worker" {
  #checkov:skip=CKV_GCP_49:Cloud Composer requires roles/composer.worker on the environment's own service account; it is the documented minimum role.
  project = var.project_id
  role    = "roles/composer.worker"
  member  = google_service_account.orchestrator.member
}

resource "google_project_iam_custom_role" "batch_submitter" {
  role_id     = replace("${local.name}_batch_submitter", "-", "_")
  title       = "${local.name} Dataproc batch submitter"
  description = "Submit, watch and cancel Dataproc Serverless batches."
  permissions = [
    "dataproc.batches.cancel",
    "dataproc.batches.create",
    "dataproc.batches.get",
    "dataproc.batches.list",
    "dataproc.operations.get",
  ]
}

resource "google_project_iam_member" "orchestrator_batches" {
  project = var.project_id
  role    = google_project_iam_custom_role.batch_submitter.id
  member  = google_service_account.orchestrator.member
}

# Submit batches that run as the Spark account, and only as that account.
resource "google_service_account_iam_member" "orchestrator_acts_as_spark" {
  service_account_id = google_service_account.spark.name
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.orchestrator.member
}

resource "google_storage_bucket_iam_member" "orchestrator_land_raw" {
  bucket = google_storage_bucket.data["raw"].name
  role   = "roles/storage.objectCreator"
  member = google_service_account.orchestrator.member
}

resource "google_storage_bucket_iam_member" "orchestrator_read_curated" {
  bucket = google_storage_bucket.data["curated"].name
  role   = "roles/storage.objectViewer"
  member = google_service_account.orchestrator.member
}

resource "google_storage_bucket_iam_member" "orchestrator_artifacts" {
  bucket = google_storage_bucket.data["artifacts"].name
  role   = "roles/storage.objectUser"
  member = google_service_account.orchestrator.member
}

resource "google_secret_manager_secret_iam_member" "orchestrator_source" {
  secret_id = google_secret_manager_secret.source.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.orchestrator.member
}

data "google_project" "current" {
  project_id = var.project_id
}

# Airflow's Secret Manager backend (orchestration/secrets_backend.py) reads connections and Variables kept as
# secrets named `<name>-airflow-connections-<conn id>` and `<name>-airflow-variables-<NAME>`: the orchestrator
# may read those, and no other secret of the project.
resource "google_project_iam_member" "orchestrator_airflow_secrets" {
  project = var.project_id
  role    = "roles/secretmanager.secretAccessor"
  member  = google_service_account.orchestrator.member

  condition {
    title       = "${local.name}-airflow-secrets"
    description = "Only this project's Airflow connections and Variables"
    expression  = "resource.name.startsWith(\"projects/${data.google_project.current.number}/secrets/${local.name}-airflow-\")"
  }
}
