# Redshift Serverless warehouse (dbt target): private (no public endpoint), encrypted with the project key,
# admin password generated and stored by Redshift in Secrets Manager, audit logs exported, TLS required.
# The curated Glue database is readable as an external schema through the attached Spectrum role:
#   CREATE EXTERNAL SCHEMA curated FROM DATA CATALOG DATABASE '<glue_database>' IAM_ROLE default;

variable "redshift_base_capacity" {
  description = "Redshift Serverless base capacity in RPUs (multiples of 8, 8-512)."
  type        = number
  default     = 8

  validation {
    condition     = var.redshift_base_capacity >= 8 && var.redshift_base_capacity <= 512 && var.redshift_base_capacity % 8 == 0
    error_message = "redshift_base_capacity must be a multiple of 8 between 8 and 512."
  }
}

variable "redshift_admin_username" {
  description = "Admin user of the Redshift Serverless namespace; its password is generated and kept in Secrets Manager."
  type        = string
  default     = "dataforge_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,126}$", var.redshift_admin_username)) && var.redshift_admin_username != "admin"
    error_message = "redshift_admin_username must be lower case letters, digits and underscores, and not the reserved name admin."
  }
}

resource "aws_redshiftserverless_namespace" "warehouse" {
  namespace_name                   = local.name
  db_name                          = "analytics"
  admin_username                   = var.redshift_admin_username
  manage_admin_password            = true
  admin_password_secret_kms_key_id = local.kms_key_arn
  kms_key_id                       = local.kms_key_arn
  iam_roles                        = [aws_iam_role.redshift.arn]
  default_iam_role_arn             = aws_iam_role.redshift.arn
  log_exports                      = ["connectionlog", "userlog", "useractivitylog"]
}

resource "aws_redshiftserverless_workgroup" "warehouse" {
  namespace_name       = aws_redshiftserverless_namespace.warehouse.namespace_name
  workgroup_name       = local.name
  base_capacity        = var.redshift_base_capacity
  publicly_accessible  = false
  enhanced_vpc_routing = true
  subnet_ids           = length(var.subnet_ids) > 0 ? var.subnet_ids : null
  security_group_ids   = length(var.security_group_ids) > 0 ? var.security_group_ids : null

  config_parameter {
    parameter_key   = "require_ssl"
    parameter_value = "true"
  }

  config_parameter {
    parameter_key   = "enable_user_activity_logging"
    parameter_value = "true"
  }
}

# Role Redshift assumes to read curated files and the Glue catalog (Spectrum, COPY).
data "aws_iam_policy_document" "redshift_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "redshift" {
  name                 = "${local.name}-redshift"
  description          = "Lets the ${local.name} Redshift warehouse read curated data."
  assume_role_policy   = data.aws_iam_policy_document.redshift_trust.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "redshift" {
  statement {
    sid       = "ListCurated"
    effect    = "Allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.data["curated"].arn]
  }

  statement {
    sid       = "ReadCurated"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data["curated"].arn}/*"]
  }

  statement {
    sid       = "UseDataKey"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [local.kms_key_arn]
  }

  statement {
    sid    = "ReadCuratedCatalog"
    effect = "Allow"
    actions = [
      "glue:GetDatabase",
      "glue:GetTable",
      "glue:GetTables",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
    ]
    resources = [
      "arn:${local.partition}:glue:${var.aws_region}:${local.account_id}:catalog",
      aws_glue_catalog_database.curated.arn,
      "arn:${local.partition}:glue:${var.aws_region}:${local.account_id}:table/${aws_glue_catalog_database.curated.name}/*",
    ]
  }
}

resource "aws_iam_role_policy" "redshift" {
  name   = "${local.name}-redshift"
  role   = aws_iam_role.redshift.id
  policy = data.aws_iam_policy_document.redshift.json
}

# dbt (run by the orchestrator) signs in with temporary IAM credentials for this workgroup only.
data "aws_iam_policy_document" "orchestrator_redshift" {
  statement {
    sid       = "DbtTemporaryCredentials"
    effect    = "Allow"
    actions   = ["redshift-serverless:GetCredentials", "redshift-serverless:GetWorkgroup"]
    resources = [aws_redshiftserverless_workgroup.warehouse.arn]
  }
}

resource "aws_iam_role_policy" "orchestrator_redshift" {
  name   = "${local.name}-orchestrator-redshift"
  role   = aws_iam_role.orchestrator.id
  policy = data.aws_iam_policy_document.orchestrator_redshift.json
}

output "redshift_workgroup_endpoint" {
  description = "Host of the Redshift Serverless workgroup (dbt profile `host`)."
  value       = aws_redshiftserverless_workgroup.warehouse.endpoint[0].address
}

output "redshift_database" {
  description = "Database dbt builds into."
  value       = aws_redshiftserverless_namespace.warehouse.db_name
}

output "redshift_admin_secret_arn" {
  description = "Secrets Manager secret holding the generated admin password."
  value       = aws_redshiftserverless_namespace.warehouse.admin_password_secret_arn
}
