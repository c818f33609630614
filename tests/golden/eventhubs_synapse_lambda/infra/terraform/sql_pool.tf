# Dedicated SQL pool dbt builds into (dbt-synapse). Transparent data encryption on, geo-redundant backups.
# Compute is billed while the pool runs: pause it when idle (`az synapse sql pool pause`).

variable "sql_pool_sku" {
  description = "Performance level of the dedicated SQL pool dbt builds into (pause it when idle to stop compute billing)."
  type        = string
  default     = "DW100c"

  validation {
    condition     = can(regex("^DW[0-9]+c$", var.sql_pool_sku))
    error_message = "sql_pool_sku must look like DW100c."
  }
}

resource "azurerm_synapse_sql_pool" "warehouse" {
  name                      = replace("${var.project_slug}_${var.environment}", "-", "_")
  synapse_workspace_id      = azurerm_synapse_workspace_key.cmk.synapse_workspace_id
  sku_name                  = var.sql_pool_sku
  create_mode               = "Default"
  storage_account_type      = "GRS"
  data_encrypted            = true
  geo_backup_policy_enabled = true
  tags                      = local.tags
}

resource "azurerm_synapse_sql_pool_extended_auditing_policy" "warehouse" {
  sql_pool_id            = azurerm_synapse_sql_pool.warehouse.id
  log_monitoring_enabled = true
  retention_in_days      = var.log_retention_days
}

resource "azurerm_synapse_sql_pool_security_alert_policy" "warehouse" {
  sql_pool_id                  = azurerm_synapse_sql_pool.warehouse.id
  policy_state                 = "Enabled"
  email_account_admins_enabled = true
  retention_days               = 90
}

# Recurring vulnerability scans; results go to the artifacts container (written by the workspace identity).
resource "azurerm_synapse_sql_pool_vulnerability_assessment" "warehouse" {
  sql_pool_security_alert_policy_id = azurerm_synapse_sql_pool_security_alert_policy.warehouse.id
  storage_container_path            = "${azurerm_storage_account.data.primary_blob_endpoint}${azurerm_storage_container.zone["artifacts"].name}/"

  recurring_scans {
    enabled                           = true
    email_subscription_admins_enabled = true
  }
}

resource "azurerm_monitor_diagnostic_setting" "sql_pool" {
  name                       = "audit-logs"
  target_resource_id         = azurerm_synapse_sql_pool.warehouse.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category_group = "allLogs"
  }
}

output "synapse_sql_pool" {
  description = "Dedicated SQL pool (dbt profile `database`)."
  value       = azurerm_synapse_sql_pool.warehouse.name
}

output "synapse_sql_endpoint" {
  description = "Dedicated SQL endpoint (dbt profile `host`), reachable through a private endpoint."
  value       = azurerm_synapse_workspace.main.connectivity_endpoints["sql"]
}
