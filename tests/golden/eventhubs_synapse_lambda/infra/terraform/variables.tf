# Variables every cloud's configuration shares; the cloud's own are in variables_azure.tf.
variable "project_slug" {
  description = "Prefix of every resource name (lower kebab-case)."
  type        = string
  default     = "nightly-eventhubs-synapse"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.project_slug))
    error_message = "project_slug must be lower kebab-case, 3-32 characters, starting with a letter."
  }
}

variable "environment" {
  description = "Deployment environment; suffix of every resource name."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "raw_expiration_days" {
  description = "Days after which raw landing files are deleted (the curated zone keeps the history)."
  type        = number
  default     = 365

  validation {
    condition     = var.raw_expiration_days >= 30
    error_message = "raw_expiration_days must be at least 30."
  }
}

variable "tags" {
  description = "Extra tags applied to every resource."
  type        = map(string)
  default     = {}
}
