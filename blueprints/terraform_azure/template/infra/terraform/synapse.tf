# Synapse workspace and Spark pool (Spark compute). Managed virtual network with data exfiltration
# protection, no public network access, Entra ID-only authentication. The workspace's managed identity is
# the Spark job identity (Synapse Spark pools run as it): see iam.tf for its data-lake permissions.
resource "azurerm_synapse_workspace" "main" {
  #checkov:skip=CKV2_AZURE_19:Not applicable: data_exfiltration_protection_enabled is set; the check expects a firewall rule resource, which public-network-off workspaces do not have.
  name                                 = "syn-${local.compact_name}-${local.suffix}"
  resource_group_name                  = azurerm_resource_group.main.name
  location                             = azurerm_resource_group.main.location
  storage_data_lake_gen2_filesystem_id = "https://${azurerm_storage_account.data.name}.dfs.core.windows.net/${azurerm_storage_container.zone["artifacts"].name}"
  managed_resource_group_name          = "rg-${local.name}-synapse-managed"
  managed_virtual_network_enabled      = true
  data_exfiltration_protection_enabled = true
  public_network_access_enabled        = false
  azuread_authentication_only          = true

  identity {
    type = "SystemAssigned"
  }

  tags = local.tags
}

resource "azurerm_synapse_workspace_aad_admin" "main" {
  synapse_workspace_id = azurerm_synapse_workspace.main.id
  login                = var.synapse_admin_login
  object_id            = var.synapse_admin_object_id
  tenant_id            = data.azurerm_client_config.current.tenant_id
}

resource "azurerm_synapse_spark_pool" "main" {
  name                 = substr(replace("spark${var.environment}", "-", ""), 0, 15)
  synapse_workspace_id = azurerm_synapse_workspace.main.id
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
