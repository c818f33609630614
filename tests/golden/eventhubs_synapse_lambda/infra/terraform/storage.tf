# Data lake (ADLS Gen2): one account, a container per zone. Private: no public blob access, no shared keys,
# public network access disabled (Synapse reaches it through its managed virtual network and trusted-service
# access), TLS 1.2, infrastructure + customer-managed-key encryption, geo-redundant, versioning/soft delete,
# access logs to Log Analytics, lifecycle rules.
resource "azurerm_storage_account" "data" {
  #checkov:skip=CKV2_AZURE_33:Public network access is disabled; a private endpoint for your own clients needs the organisation's private DNS zone and hub network (see README).
  #checkov:skip=CKV_AZURE_33:No queues are used; blob reads, writes and deletes are logged through the diagnostic setting below.
  name                              = local.storage_account
  resource_group_name               = azurerm_resource_group.main.name
  location                          = azurerm_resource_group.main.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = var.storage_replication_type
  is_hns_enabled                    = true
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  allow_nested_items_to_be_public   = false
  shared_access_key_enabled         = false
  public_network_access_enabled     = false
  infrastructure_encryption_enabled = true
  default_to_oauth_authentication   = true
  local_user_enabled                = false
  sftp_enabled                      = false

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.storage_cmk.id]
  }

  customer_managed_key {
    key_vault_key_id          = local.key_vault_key_id
    user_assigned_identity_id = azurerm_user_assigned_identity.storage_cmk.id
  }

  network_rules {
    default_action = "Deny"
    bypass         = ["AzureServices", "Logging", "Metrics"]
  }

  blob_properties {
    delete_retention_policy {
      days = var.soft_delete_retention_days
    }
    container_delete_retention_policy {
      days = var.soft_delete_retention_days
    }
  }

  sas_policy {
    expiration_period = "0.01:00:00"
    expiration_action = "Log"
  }

  tags = local.tags

  depends_on = [azurerm_role_assignment.storage_cmk]
}

resource "azurerm_storage_container" "zone" {
  #checkov:skip=CKV2_AZURE_21:Blob reads/writes/deletes are logged by the diagnostic setting below; the legacy Storage Insights resource this check looks for needs shared keys, which are disabled.
  for_each = toset(local.zones)

  name                  = each.value
  storage_account_id    = azurerm_storage_account.data.id
  container_access_type = "private"
}

resource "azurerm_storage_management_policy" "data" {
  storage_account_id = azurerm_storage_account.data.id

  rule {
    name    = "raw-tier-and-expire"
    enabled = true
    filters {
      blob_types   = ["blockBlob"]
      prefix_match = ["raw/"]
    }
    actions {
      base_blob {
        tier_to_cool_after_days_since_modification_greater_than = 30
        delete_after_days_since_modification_greater_than       = var.raw_expiration_days
      }
    }
  }

  rule {
    name    = "curated-tier"
    enabled = true
    filters {
      blob_types   = ["blockBlob"]
      prefix_match = ["curated/"]
    }
    actions {
      base_blob {
        tier_to_cool_after_days_since_modification_greater_than = 90
      }
    }
  }
}

# Access logging: every read, write and delete on the data lake goes to Log Analytics.
resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-${local.name}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  tags                = local.tags
}

resource "azurerm_monitor_diagnostic_setting" "blob" {
  name                       = "access-logs"
  target_resource_id         = "${azurerm_storage_account.data.id}/blobServices/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "StorageRead"
  }

  enabled_log {
    category = "StorageWrite"
  }

  enabled_log {
    category = "StorageDelete"
  }

  metric {
    category = "Transaction"
  }
}
