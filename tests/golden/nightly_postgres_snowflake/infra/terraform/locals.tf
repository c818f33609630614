locals {
  # local.name (<project>-<environment>) and local.tags are in naming.tf, shared by every cloud.
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # Secrets (source credentials, warehouse passwords) live in Secrets Manager under this prefix;
  # identities below may read only these.
  credentials_arn_pattern = "arn:${local.partition}:secretsmanager:${var.aws_region}:${local.account_id}:secret:${var.project_slug}/${var.environment}/*"

  kms_key_arn = var.kms_key_arn != null ? var.kms_key_arn : aws_kms_key.data[0].arn

  # Storage zones. raw: landed source extracts; curated: Parquet written by Spark;
  # artifacts: job code, Spark logs and quality reports.
  zones = {
    raw = {
      expiration_days = var.raw_expiration_days
      tiering_days    = 30
    }
    curated = {
      expiration_days = null
      tiering_days    = 30
    }
    artifacts = {
      expiration_days = null
      tiering_days    = null
    }
  }

  # Bucket names are global: the account id keeps them unique without hard-coding it anywhere.
  # Longest case: 32 (slug) + 8 (-staging) + 10 (-artifacts) + 13 (-<account id>) = 63, the S3 limit.
  bucket_names = { for zone in keys(local.zones) : zone => "${local.name}-${zone}-${local.account_id}" }
  log_bucket   = "${local.name}-logs-${local.account_id}"
}
