output "raw_bucket" {
  description = "Bucket where extracts land (DATA_DIR raw zone in production)."
  value       = aws_s3_bucket.data["raw"].bucket
}

output "curated_bucket" {
  description = "Bucket the Spark job writes curated Parquet to."
  value       = aws_s3_bucket.data["curated"].bucket
}

output "artifacts_bucket" {
  description = "Bucket for job code, Spark logs and quality reports."
  value       = aws_s3_bucket.data["artifacts"].bucket
}

output "access_log_bucket" {
  description = "Bucket receiving S3 server access logs."
  value       = aws_s3_bucket.logs.bucket
}

output "kms_key_arn" {
  description = "Customer-managed key encrypting project data."
  value       = local.kms_key_arn
}

output "glue_database" {
  description = "Glue Data Catalog database of the curated tables."
  value       = aws_glue_catalog_database.curated.name
}

output "emr_serverless_application_id" {
  description = "EMR Serverless application the Spark job runs on."
  value       = aws_emrserverless_application.spark.id
}

output "spark_job_role_arn" {
  description = "Runtime role passed to EMR Serverless job runs."
  value       = aws_iam_role.spark.arn
}

output "orchestrator_role_arn" {
  description = "Execution role to give the Airflow environment."
  value       = aws_iam_role.orchestrator.arn
}

output "secrets_prefix" {
  description = "Secrets Manager name prefix the project's identities may read."
  value       = "${var.project_slug}/${var.environment}/"
}

output "airflow_secrets_prefix" {
  description = "Secrets Manager name prefix of Airflow's connections and Variables (the orchestrator role may read only this project's prefix)."
  value       = "${var.project_slug}/${var.environment}/airflow/"
}
