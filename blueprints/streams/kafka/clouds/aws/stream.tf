# The stream: an Amazon MSK cluster in the private subnets of `subnet_ids` (at least two, in different
# availability zones; the Spark application joins the same subnets to reach it). Brokers are never public,
# data is encrypted at rest with the project key and in transit with TLS (client-broker and between brokers),
# and clients authenticate with IAM only: the Spark job role below may connect, read the project's topics and
# use its own consumer groups, nothing else. Topics are created by the producers (or your Kafka tooling):
# the AWS provider does not manage topics.
variable "msk_kafka_version" {
  description = "Kafka version of the MSK cluster."
  type        = string
  default     = "3.6.0"
}

variable "msk_broker_instance_type" {
  description = "Broker instance type (kafka.m7g.large and up for production)."
  type        = string
  default     = "kafka.m7g.large"
}

variable "msk_brokers_per_subnet" {
  description = "Brokers in each of the subnets of subnet_ids."
  type        = number
  default     = 1

  validation {
    condition     = var.msk_brokers_per_subnet >= 1
    error_message = "msk_brokers_per_subnet must be at least 1."
  }
}

variable "msk_volume_gb" {
  description = "EBS storage per broker, in GB."
  type        = number
  default     = 100
}

variable "msk_log_retention_days" {
  description = "Days the brokers' logs are kept in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = var.msk_log_retention_days >= 365
    error_message = "msk_log_retention_days must be at least 365."
  }
}

resource "aws_msk_cluster" "stream" {
  cluster_name           = "${local.name}-stream"
  kafka_version          = var.msk_kafka_version
  number_of_broker_nodes = var.msk_brokers_per_subnet * length(var.subnet_ids)
  enhanced_monitoring    = "PER_TOPIC_PER_BROKER"

  broker_node_group_info {
    instance_type   = var.msk_broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = var.security_group_ids

    storage_info {
      ebs_storage_info {
        volume_size = var.msk_volume_gb
      }
    }

    connectivity_info {
      public_access {
        type = "DISABLED"
      }
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = local.kms_key_arn

    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      iam = true
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.stream.name
      }
    }
  }

  lifecycle {
    precondition {
      condition     = length(var.subnet_ids) >= 2 && length(var.security_group_ids) >= 1
      error_message = "MSK needs subnet_ids (two or more private subnets in different availability zones) and security_group_ids."
    }
  }
}

# Broker logs, encrypted with a key of their own: CloudWatch Logs may use it for this log group only.
resource "aws_cloudwatch_log_group" "stream" {
  name              = "/aws/msk/${local.name}-stream"
  retention_in_days = var.msk_log_retention_days
  kms_key_id        = aws_kms_key.stream_logs.arn
}

# Key policy ("*" in a key policy means this key): the account administers the key through IAM, and CloudWatch
# Logs may use it for the broker log group only.
resource "aws_kms_key" "stream_logs" {
  description             = "${local.name} MSK broker log encryption key"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersKeyThroughIam"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action = [
          "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
          "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases",
          "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:TagResource",
          "kms:UntagResource", "kms:UpdateKeyDescription",
        ]
        Resource = "*"
      },
      {
        Sid       = "CloudWatchLogsEncryptsTheBrokerLogGroup"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.aws_region}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          ArnEquals = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:/aws/msk/${local.name}-stream"
          }
        }
      },
    ]
  })
}

# The Spark job reads the project's topics with IAM authentication (SOURCE_KAFKA_AUTH=aws_iam). Topic and
# group ARNs share the cluster's name and id: arn:...:topic/<cluster>/<id>/<topic>.
locals {
  msk_topic_arn_prefix = replace(aws_msk_cluster.stream.arn, ":cluster/", ":topic/")
  msk_group_arn_prefix = replace(aws_msk_cluster.stream.arn, ":cluster/", ":group/")
}

data "aws_iam_policy_document" "spark_stream" {
  statement {
    sid       = "ConnectToTheStreamCluster"
    effect    = "Allow"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [aws_msk_cluster.stream.arn]
  }

  statement {
    sid       = "ReadTheProjectTopics"
    effect    = "Allow"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
    resources = ["${local.msk_topic_arn_prefix}/*"]
  }

  statement {
    sid       = "UseTheProjectConsumerGroups"
    effect    = "Allow"
    actions   = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]
    resources = ["${local.msk_group_arn_prefix}/${var.project_slug}-*"]
  }
}

resource "aws_iam_role_policy" "spark_stream" {
  name   = "${local.name}-spark-stream"
  role   = aws_iam_role.spark.id
  policy = data.aws_iam_policy_document.spark_stream.json
}

output "kafka_bootstrap_servers" {
  description = "Bootstrap servers for IAM clients (SOURCE_KAFKA_BOOTSTRAP_SERVERS)."
  value       = aws_msk_cluster.stream.bootstrap_brokers_sasl_iam
}
