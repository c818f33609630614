# Key Vault and an HSM-backed customer-managed key for the data lake, rotated yearly. Skipped when you pass
# `key_vault_key_id`. RBAC authorisation, purge protection, and a firewall that denies everything except
# trusted Azure services and key_vault_allowed_ip_ranges (the machine running Terraform must be able to
# create the key through the data plane).
resource "azurerm_key_vault" "data" {
  #checkov:skip=CKV_AZURE_189:Terraform creates the key through the vault's data plane; the firewall (default Deny) admits only key_vault_allowed_ip_ranges and trusted services.
  #checkov:skip=CKV2_AZURE_32:A private endpoint needs the organisation's private DNS zone and hub network; add one (see README) and set public_network_access_enabled = false.
  count = var.key_vault_key_id == null ? 1 : 0

  name                          = local.key_vault
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "premium"
  enable_rbac_authorization     = true
  purge_protection_enabled      = true
  soft_delete_retention_days    = 90
  public_network_access_enabled = true

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
    ip_rules       = var.key_vault_allowed_ip_ranges
  }

  tags = local.tags
}

# The identity running Terraform manages keys in this vault only.
resource "azurerm_role_assignment" "deployer_crypto_officer" {
  count = var.key_vault_key_id == null ? 1 : 0

  scope                = azurerm_key_vault.data[0].id
  role_definition_name = "Key Vault Crypto Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_key_vault_key" "data" {
  #checkov:skip=CKV_AZURE_40:The rotation policy renews the key every year and sets each version's expiry; a fixed expiration_date would stop encryption when reached.
  count = var.key_vault_key_id == null ? 1 : 0

  name         = "${local.name}-data"
  key_vault_id = azurerm_key_vault.data[0].id
  key_type     = "RSA-HSM"
  key_size     = 3072
  key_opts     = ["unwrapKey", "wrapKey"]

  rotation_policy {
    expire_after         = "P2Y"
    notify_before_expiry = "P30D"

    automatic {
      time_after_creation = "P365D"
    }
  }

  depends_on = [azurerm_role_assignment.deployer_crypto_officer]
}

# The data lake reads the key through this identity.
resource "azurerm_user_assigned_identity" "storage_cmk" {
  name                = "id-${local.name}-storage-cmk"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_role_assignment" "storage_cmk" {
  count = var.key_vault_key_id == null ? 1 : 0

  scope                = azurerm_key_vault.data[0].id
  role_definition_name = "Key Vault Crypto Service Encryption User"
  principal_id         = azurerm_user_assigned_identity.storage_cmk.principal_id
}
