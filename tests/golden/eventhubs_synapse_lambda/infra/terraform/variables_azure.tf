# Azure settings; the variables every cloud shares are in variables.tf.
variable "subscription_id" {
  description = "Azure subscription to deploy into. Null: read from the ARM_SUBSCRIPTION_ID environment variable."
  type        = string
  default     = null

  validation {
    condition     = var.subscription_id == null || can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.subscription_id))
    error_message = "subscription_id must be null or a subscription GUID."
  }
}

variable "location" {
  description = "Azure region, e.g. westeurope or eastus2."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+[a-z0-9]*$", var.location))
    error_message = "location must be an Azure region name such as westeurope or eastus2 (lower case, no spaces)."
  }
}

variable "key_vault_key_id" {
  description = "Versionless id of an existing Key Vault key to encrypt data with. When null, a Key Vault and an HSM-backed key with yearly rotation are created."
  type        = string
  default     = null

  validation {
    condition     = var.key_vault_key_id == null || can(regex("^https://[a-z0-9-]+\\.vault\\.azure\\.net/keys/[A-Za-z0-9-]+$", var.key_vault_key_id))
    error_message = "key_vault_key_id must be null or a versionless key id (https://<vault>.vault.azure.net/keys/<name>)."
  }
}

variable "key_vault_allowed_ip_ranges" {
  description = "Public IP ranges (CIDR) allowed through the Key Vault firewall, e.g. the machine running Terraform. Everything else is denied."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.key_vault_allowed_ip_ranges : can(cidrhost(r, 0))])
    error_message = "key_vault_allowed_ip_ranges must be CIDR blocks."
  }
}

variable "storage_replication_type" {
  description = "Replication of the data lake account."
  type        = string
  default     = "GRS"

  validation {
    condition     = contains(["GRS", "RAGRS", "GZRS", "RAGZRS"], var.storage_replication_type)
    error_message = "storage_replication_type must be a geo-redundant type: GRS, RAGRS, GZRS or RAGZRS."
  }
}

variable "soft_delete_retention_days" {
  description = "Days deleted blobs and containers can be recovered."
  type        = number
  default     = 30

  validation {
    condition     = var.soft_delete_retention_days >= 7 && var.soft_delete_retention_days <= 365
    error_message = "soft_delete_retention_days must be between 7 and 365."
  }
}

variable "log_retention_days" {
  description = "Days access logs are kept in the Log Analytics workspace."
  type        = number
  default     = 365

  validation {
    condition     = var.log_retention_days >= 90 && var.log_retention_days <= 730
    error_message = "log_retention_days must be between 90 and 730."
  }
}

variable "spark_node_size" {
  description = "Node size of the Synapse Spark pool."
  type        = string
  default     = "Small"

  validation {
    condition     = contains(["Small", "Medium", "Large", "XLarge", "XXLarge"], var.spark_node_size)
    error_message = "spark_node_size must be Small, Medium, Large, XLarge or XXLarge."
  }
}

variable "spark_max_nodes" {
  description = "Upper bound of the Spark pool autoscale (cost guard)."
  type        = number
  default     = 6

  validation {
    condition     = var.spark_max_nodes >= 3 && var.spark_max_nodes <= 200
    error_message = "spark_max_nodes must be between 3 and 200."
  }
}

variable "synapse_admin_object_id" {
  description = "Object id of the Entra ID group or user administering the Synapse workspace (Entra-only authentication)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.synapse_admin_object_id))
    error_message = "synapse_admin_object_id must be an object id (GUID)."
  }
}

variable "synapse_admin_login" {
  description = "Display name of the Entra ID administrator group or user."
  type        = string
  default     = "data-platform-admins"
}
