provider "azurerm" {
  # Storage data-plane calls use Entra ID: shared keys are disabled on the storage account.
  storage_use_azuread = true

  # null: taken from ARM_SUBSCRIPTION_ID (never written in this folder).
  subscription_id = var.subscription_id

  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}

data "azurerm_client_config" "current" {}
