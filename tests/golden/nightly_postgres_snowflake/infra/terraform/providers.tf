terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # State is local by default so `terraform init` works without any cloud account.
  # For a team, keep state in a versioned, encrypted S3 bucket (created once, outside this configuration)
  # and use S3-native locking (Terraform >= 1.10). Replace the placeholders, then run
  # `terraform init -migrate-state`:
  #
  # backend "s3" {
  #   bucket       = "<your-terraform-state-bucket>"
  #   key          = "nightly-postgres-snowflake/<environment>/terraform.tfstate"
  #   region       = "<your-region>"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
