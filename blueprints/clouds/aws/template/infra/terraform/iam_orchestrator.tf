# Orchestrator role (the Airflow execution role, e.g. an MWAA environment's): lands raw extracts, reads
# curated data for the quality gate, reads DAG/dbt artifacts, starts and watches Spark job runs on the
# project's EMR Serverless application, and passes only the Spark job role to EMR Serverless.
# The MWAA environment itself (VPC, web server access) is not created here: see README.md.
data "aws_iam_policy_document" "orchestrator_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "orchestrator" {
  name                 = "${local.name}-orchestrator"
  description          = "Execution role of the ${local.name} Airflow environment."
  assume_role_policy   = data.aws_iam_policy_document.orchestrator_trust.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "orchestrator" {
  statement {
    sid       = "ListProjectBuckets"
    effect    = "Allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [for b in aws_s3_bucket.data : b.arn]
  }

  statement {
    sid       = "LandRawExtracts"
    effect    = "Allow"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.data["raw"].arn}/*"]
  }

  statement {
    sid       = "ReadCuratedAndArtifacts"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data["curated"].arn}/*", "${aws_s3_bucket.data["artifacts"].arn}/*"]
  }

  statement {
    sid       = "WriteQualityReports"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.data["artifacts"].arn}/quality-reports/*"]
  }

  statement {
    sid       = "UseDataKey"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [local.kms_key_arn]
  }

  statement {
    sid    = "RunSparkJobs"
    effect = "Allow"
    actions = [
      "emr-serverless:GetApplication",
      "emr-serverless:StartApplication",
      "emr-serverless:StartJobRun",
      "emr-serverless:GetJobRun",
      "emr-serverless:CancelJobRun",
      "emr-serverless:GetDashboardForJobRun",
    ]
    resources = [
      aws_emrserverless_application.spark.arn,
      "${aws_emrserverless_application.spark.arn}/jobruns/*",
    ]
  }

  statement {
    sid       = "PassOnlyTheSparkJobRole"
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.spark.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["emr-serverless.amazonaws.com"]
    }
  }

  statement {
    sid       = "ReadProjectSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.credentials_arn_pattern]
  }

  statement {
    sid    = "WriteAirflowLogs"
    effect = "Allow"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:GetLogEvents",
      "logs:DescribeLogGroups",
    ]
    resources = ["arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:airflow-${local.name}-*"]
  }
}

resource "aws_iam_role_policy" "orchestrator" {
  name   = "${local.name}-orchestrator"
  role   = aws_iam_role.orchestrator.id
  policy = data.aws_iam_policy_document.orchestrator.json
}
