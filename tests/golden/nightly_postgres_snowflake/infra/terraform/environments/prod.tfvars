# Production environment of Nightly Postgres Snowflake.
# terraform plan -var-file=environments/prod.tfvars
project_slug = "nightly-postgres-snowflake"
environment  = "prod"
aws_region   = "us-east-1"

# Recommended: a key managed by your security team.
# kms_key_arn = "arn:aws:kms:<region>:<account-id>:key/<key-id>"

force_destroy                      = false
raw_expiration_days                = 365
noncurrent_version_expiration_days = 30
access_log_expiration_days         = 365

# The Spark cap: sized from a stated volume, else the default (README, "Sizing").
emr_max_cpu    = "32 vCPU"
emr_max_memory = "128 GB"

# subnet_ids         = ["subnet-<id>", "subnet-<id>"]
# security_group_ids = ["sg-<id>"]

# snowflake_aws_iam_user_arn = "arn:aws:iam::<snowflake-account-id>:user/<user>"
# snowflake_external_id      = "<external-id>"

tags = {
  cost_center = "to-fill"
}
