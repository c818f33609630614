output "raw_bucket" {
  description = "Bucket where extracts land (raw zone in production)."
  value       = google_storage_bucket.data["raw"].name
}

output "curated_bucket" {
  description = "Bucket the Spark job writes curated Parquet to."
  value       = google_storage_bucket.data["curated"].name
}

output "artifacts_bucket" {
  description = "Bucket for job code, Dataproc staging, Spark logs and quality reports."
  value       = google_storage_bucket.data["artifacts"].name
}

output "access_log_bucket" {
  description = "Bucket receiving Cloud Storage access logs."
  value       = google_storage_bucket.logs.name
}

output "kms_key_id" {
  description = "Customer-managed key encrypting project data."
  value       = local.kms_key_id
}

output "spark_service_account" {
  description = "Service account Dataproc Serverless batches run as (`--service-account`)."
  value       = google_service_account.spark.email
}

output "spark_subnetwork" {
  description = "Subnetwork for Dataproc Serverless batches (`--subnet`)."
  value       = google_compute_subnetwork.spark.id
}

output "orchestrator_service_account" {
  description = "Service account to give the Airflow (Cloud Composer) environment."
  value       = google_service_account.orchestrator.email
}

output "source_secret" {
  description = "Secret Manager secret for the source credentials (add a version yourself)."
  value       = google_secret_manager_secret.source.secret_id
}

output "airflow_secrets_prefix" {
  description = "Secret Manager name prefix of Airflow's connections and Variables (the orchestrator may read only these)."
  value       = "${local.name}-airflow-"
}

output "source_secret_name" {
  description = "Full name of the source-credentials secret: the Airflow Variable SPARK_SOURCE_SECRET (the Spark job reads it)."
  value       = google_secret_manager_secret.source.name
}
