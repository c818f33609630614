# Integration point for Snowflake (the warehouse lives outside AWS): a role a Snowflake storage integration
# assumes to read the curated bucket. Create the integration in Snowflake first:
#   CREATE STORAGE INTEGRATION ... STORAGE_PROVIDER = 'S3'
#     STORAGE_AWS_ROLE_ARN = '<output snowflake_integration_role_arn>'
#     STORAGE_ALLOWED_LOCATIONS = ('s3://<output curated_bucket>/');
# then copy STORAGE_AWS_IAM_USER_ARN and STORAGE_AWS_EXTERNAL_ID from `DESC INTEGRATION` into
# snowflake_aws_iam_user_arn / snowflake_external_id and apply again. Until then nothing is created.

variable "snowflake_aws_iam_user_arn" {
  description = "STORAGE_AWS_IAM_USER_ARN shown by `DESC INTEGRATION` for your Snowflake storage integration. Empty: the integration role is not created."
  type        = string
  default     = ""

  validation {
    condition     = var.snowflake_aws_iam_user_arn == "" || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:user/.+$", var.snowflake_aws_iam_user_arn))
    error_message = "snowflake_aws_iam_user_arn must be empty or an IAM user ARN."
  }
}

variable "snowflake_external_id" {
  description = "STORAGE_AWS_EXTERNAL_ID shown by `DESC INTEGRATION` for your Snowflake storage integration."
  type        = string
  default     = ""
  sensitive   = true
}

locals {
  snowflake_enabled   = var.snowflake_aws_iam_user_arn != ""
  snowflake_role_name = "${local.name}-snowflake-integration"
}

data "aws_iam_policy_document" "snowflake_trust" {
  count = local.snowflake_enabled ? 1 : 0

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.snowflake_aws_iam_user_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.snowflake_external_id]
    }
  }
}

resource "aws_iam_role" "snowflake" {
  count = local.snowflake_enabled ? 1 : 0

  name                 = local.snowflake_role_name
  description          = "Assumed by the Snowflake storage integration of ${local.name} to read curated data."
  assume_role_policy   = data.aws_iam_policy_document.snowflake_trust[0].json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "snowflake" {
  statement {
    sid       = "ListCurated"
    effect    = "Allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.data["curated"].arn]
  }

  statement {
    sid       = "ReadCurated"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${aws_s3_bucket.data["curated"].arn}/*"]
  }

  statement {
    sid       = "UseDataKey"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [local.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "snowflake" {
  count = local.snowflake_enabled ? 1 : 0

  name   = local.snowflake_role_name
  role   = aws_iam_role.snowflake[0].id
  policy = data.aws_iam_policy_document.snowflake.json
}

output "snowflake_integration_role_arn" {
  description = "STORAGE_AWS_ROLE_ARN for the Snowflake storage integration (the role exists once snowflake_aws_iam_user_arn is set)."
  value       = "arn:${local.partition}:iam::${local.account_id}:role/${local.snowflake_role_name}"
}
