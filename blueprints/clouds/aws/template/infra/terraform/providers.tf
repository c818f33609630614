provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, {
      project     = var.project_slug
      environment = var.environment
      managed_by  = "terraform"
    })
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
