# EMR Serverless application for the Spark job: billed only while jobs run, stops when idle,
# capped by emr_max_cpu/emr_max_memory. Without subnet_ids it has no VPC attachment (it reaches S3, Glue
# and KMS only); set subnet_ids/security_group_ids to reach sources inside a VPC.
resource "aws_emrserverless_application" "spark" {
  name          = "${local.name}-spark"
  release_label = var.emr_release_label
  type          = "spark"

  maximum_capacity {
    cpu    = var.emr_max_cpu
    memory = var.emr_max_memory
  }

  auto_start_configuration {
    enabled = true
  }

  auto_stop_configuration {
    enabled              = true
    idle_timeout_minutes = var.emr_idle_timeout_minutes
  }

  dynamic "network_configuration" {
    for_each = length(var.subnet_ids) > 0 ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }
}
