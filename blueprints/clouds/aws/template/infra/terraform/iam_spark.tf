# Spark job runtime role (assumed by EMR Serverless for each job run): reads raw, writes curated,
# reads job code and writes Spark logs in artifacts, registers curated tables in Glue, uses the data key,
# and reads the project's secrets (source credentials). Nothing else.
data "aws_iam_policy_document" "spark_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["emr-serverless.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "spark" {
  name                 = "${local.name}-spark-job"
  description          = "Runtime role of the ${local.name} Spark job on EMR Serverless."
  assume_role_policy   = data.aws_iam_policy_document.spark_trust.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "spark" {
  statement {
    sid       = "ListProjectBuckets"
    effect    = "Allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [for b in aws_s3_bucket.data : b.arn]
  }

  statement {
    sid       = "ReadRawAndArtifacts"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data["raw"].arn}/*", "${aws_s3_bucket.data["artifacts"].arn}/*"]
  }

  statement {
    sid    = "WriteCurated"
    effect = "Allow"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${aws_s3_bucket.data["curated"].arn}/*"]
  }

  statement {
    sid       = "WriteSparkLogs"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.data["artifacts"].arn}/spark-logs/*"]
  }

  statement {
    sid       = "UseDataKey"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [local.kms_key_arn]
  }

  statement {
    sid    = "CuratedCatalog"
    effect = "Allow"
    actions = [
      "glue:GetDatabase",
      "glue:GetTable",
      "glue:GetTables",
      "glue:CreateTable",
      "glue:UpdateTable",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
      "glue:CreatePartition",
      "glue:BatchCreatePartition",
      "glue:UpdatePartition",
    ]
    resources = [
      "arn:${local.partition}:glue:${var.aws_region}:${local.account_id}:catalog",
      aws_glue_catalog_database.curated.arn,
      "arn:${local.partition}:glue:${var.aws_region}:${local.account_id}:table/${aws_glue_catalog_database.curated.name}/*",
    ]
  }

  statement {
    sid       = "ReadProjectSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.credentials_arn_pattern]
  }
}

resource "aws_iam_role_policy" "spark" {
  name   = "${local.name}-spark-job"
  role   = aws_iam_role.spark.id
  policy = data.aws_iam_policy_document.spark.json
}
