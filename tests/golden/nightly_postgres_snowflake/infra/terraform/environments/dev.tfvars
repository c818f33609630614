# Development environment of Nightly Postgres Snowflake.
# terraform plan -var-file=environments/dev.tfvars
project_slug = "nightly-postgres-snowflake"
environment  = "dev"
aws_region   = "us-east-1"

# Bring your own customer-managed key instead of creating one:
# kms_key_arn = "arn:aws:kms:<region>:<account-id>:key/<key-id>"

# Throwaway buckets may be destroyed with their contents.
force_destroy       = true
raw_expiration_days = 30

emr_max_cpu    = "8 vCPU"
emr_max_memory = "32 GB"

# Reach sources inside a VPC (e.g. a database) from Spark:
# subnet_ids         = ["subnet-<id>", "subnet-<id>"]
# security_group_ids = ["sg-<id>"]

# From `DESC INTEGRATION <name>` in Snowflake (see snowflake.tf):
# snowflake_aws_iam_user_arn = "arn:aws:iam::<snowflake-account-id>:user/<user>"
# snowflake_external_id      = "<external-id>"

tags = {
  cost_center = "to-fill"
}
