locals {
  # local.name (<project>-<environment>) and local.tags are in naming.tf, shared by every cloud.

  # Storage account and Key Vault names are global and short: letters/digits only, plus a hash of the
  # subscription and name to keep them unique.
  suffix          = substr(sha256("${data.azurerm_client_config.current.subscription_id}/${local.name}"), 0, 6)
  compact_name    = substr(replace(local.name, "-", ""), 0, 16)
  storage_account = "${local.compact_name}dl${local.suffix}"
  key_vault       = "kv${substr(replace(local.name, "-", ""), 0, 14)}${local.suffix}"

  # Storage zones are containers (ADLS Gen2 filesystems) of one account. raw: landed source extracts;
  # curated: Parquet written by Spark; artifacts: job code, Synapse workspace files, quality reports.
  zones = ["raw", "curated", "artifacts"]

  key_vault_key_id = var.key_vault_key_id != null ? var.key_vault_key_id : azurerm_key_vault_key.data[0].versionless_id
}

resource "azurerm_resource_group" "main" {
  name     = "rg-${local.name}"
  location = var.location
  tags     = local.tags
}
