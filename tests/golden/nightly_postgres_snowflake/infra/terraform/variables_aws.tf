# AWS settings; the variables every cloud shares are in variables.tf.
variable "aws_region" {
  description = "AWS region to deploy into, e.g. eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like an AWS region code, e.g. us-east-1 or eu-central-1."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key to encrypt data with. When null, a dedicated key with rotation is created."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-f0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted object version is kept (recovery window)."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "access_log_expiration_days" {
  description = "Days S3 server access logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_expiration_days >= 90
    error_message = "access_log_expiration_days must be at least 90."
  }
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete non-empty buckets. Keep false outside throwaway environments."
  type        = bool
  default     = false
}

variable "emr_release_label" {
  description = "EMR Serverless release (Spark version) for the Spark application."
  type        = string
  default     = "emr-7.5.0"

  validation {
    condition     = can(regex("^emr-[0-9]+\\.[0-9]+\\.[0-9]+$", var.emr_release_label))
    error_message = "emr_release_label must look like emr-7.5.0."
  }
}

variable "emr_max_cpu" {
  description = "Upper bound of vCPU the Spark application may use at once (cost guard)."
  type        = string
  default     = "16 vCPU"

  validation {
    condition     = can(regex("^[0-9]+ vCPU$", var.emr_max_cpu))
    error_message = "emr_max_cpu must look like \"16 vCPU\"."
  }
}

variable "emr_max_memory" {
  description = "Upper bound of memory the Spark application may use at once (cost guard)."
  type        = string
  default     = "64 GB"

  validation {
    condition     = can(regex("^[0-9]+ GB$", var.emr_max_memory))
    error_message = "emr_max_memory must look like \"64 GB\"."
  }
}

variable "emr_idle_timeout_minutes" {
  description = "Minutes of inactivity after which the Spark application stops (and stops billing)."
  type        = number
  default     = 15

  validation {
    condition     = var.emr_idle_timeout_minutes >= 1 && var.emr_idle_timeout_minutes <= 10080
    error_message = "emr_idle_timeout_minutes must be between 1 and 10080."
  }
}

variable "subnet_ids" {
  description = "Private subnets for Spark, and for the warehouse when this configuration creates one (needed to reach sources inside a VPC). Empty: no VPC attachment."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.subnet_ids : can(regex("^subnet-[a-f0-9]+$", s))])
    error_message = "subnet_ids must be subnet ids (subnet-...)."
  }
}

variable "security_group_ids" {
  description = "Security groups for the VPC attachment; required when subnet_ids is set."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.security_group_ids : can(regex("^sg-[a-f0-9]+$", s))])
    error_message = "security_group_ids must be security group ids (sg-...)."
  }
}
