# Google Cloud settings; the variables every cloud shares are in variables.tf.
variable "project_id" {
  description = "GCP project to deploy into."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a GCP project id: 6-30 lower-case letters, digits or hyphens."
  }
}

variable "region" {
  description = "GCP region for buckets, keys, Spark and the warehouse, e.g. europe-west4."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must look like a GCP region, e.g. us-central1 or europe-west4."
  }
}

variable "kms_key_id" {
  description = "Id of an existing Cloud KMS crypto key (projects/.../cryptoKeys/...) to encrypt data with. When null, a key ring and a key with 90-day rotation are created."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_id == null || can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id must be null or projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>."
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
  description = "Days bucket access logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_expiration_days >= 90
    error_message = "access_log_expiration_days must be at least 90."
  }
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete non-empty buckets (and the warehouse dataset, when created here). Keep false outside throwaway environments."
  type        = bool
  default     = false
}

variable "subnet_cidr" {
  description = "CIDR of the private subnet Dataproc Serverless batches run in."
  type        = string
  default     = "10.10.0.0/24"

  validation {
    condition     = can(cidrhost(var.subnet_cidr, 0))
    error_message = "subnet_cidr must be a valid CIDR block."
  }
}
