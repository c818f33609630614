# Synapse workspace and Spark pool (Spark compute). Managed virtual network with data exfiltration
# protection, no public network access, Entra ID-only authentication. The workspace's managed identity is
# the Spark job identity (Synapse Spark pools run as it): see iam.tf for its data-lake permissions.
resource "azurerm_synapse_workspace" "main" {
  name                                 = "syn-${local.compact_name}-${local.suffix}"
  resource_group_name                  = azurerm_resource_group.main.name
  location                             = azurerm_resource_group.main.location
  storage_data_lake_gen2_filesystem_id = "https://${azurerm_storage_account.data.name}.dfs.core.windows.net/${azurerm_storage_container.zone["artifacts"].name}"
  managed_resource_group_name          = "rg-${local.name}-synapse-managed"
  managed_virtual_network_enabled      = true
  data_exfiltration_protection_enabled = true
  public_network_access_enabled        = false
  azuread_authentication_only          = true

  # Workspace data is encrypted with the project key, read through the same identity as the data lake.
  customer_managed_key {
    key_versionless_id        = local.key_vault_key_id
    key_name                  = "cmk"
    user_assigned_identity_id = azurerm_user_assigned_identity.storage_cmk.id
  }

  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.storage_cmk.id]
  }

  tags = local.tags

  depends_on = [azurerm_role_assignment.storage_cmk]
}

# A workspace created with a customer-managed key waits for this activation.
resource "azurerm_synapse_workspace_key" "cmk" {
  synapse_workspace_id                = azurerm_synapse_workspace.main.id
  customer_managed_key_name           = "cmk"
  customer_managed_key_versionless_id = local.key_vault_key_id
  active                              = true
}

# Auditing of the workspace's SQL endpoints, sent to Log Analytics.
resource "azurerm_synapse_workspace_extended_auditing_policy" "main" {
  synapse_workspace_id   = azurerm_synapse_workspace.main.id
  log_monitoring_enabled = true
  retention_in_days      = var.log_retention_days
}

resource "azurerm_monitor_diagnostic_setting" "synapse" {
  name                       = "audit-logs"
  target_resource_id         = azurerm_synapse_workspace.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category_group = "allLogs"
  }
}

resource "azurerm_synapse_workspace_aad_admin" "main" {
  synapse_workspace_id = azurerm_synapse_workspace.main.id
  login                = var.synapse_admin_login
  object_id            = var.synapse_admin_object_id
  tenant_id            = data.azurerm_client_config.current.tenant_id
}

resource "azurerm_synapse_spark_pool" "main" {
  #checkov:skip=CKV_AZURE_242:Isolated compute exists only for XXXLarge nodes in a few regions; the pool runs inside the workspace's managed virtual network instead.
  name                 = substr(replace("spark${var.environment}", "-", ""), 0, 15)
  synapse_workspace_id = azurerm_synapse_workspace_key.cmk.synapse_workspace_id
  node_size_family     = "MemoryOptimized"
  node_size            = var.spark_node_size
  spark_version        = "3.4"
  cache_size           = 0

  auto_scale {
    min_node_count = 3
    max_node_count = var.spark_max_nodes
  }

  auto_pause {
    delay_in_minutes = 15
  }

  tags = local.tags
}
