terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }

  # State is local by default so `terraform init` works without any subscription.
  # For a team, keep state in a storage account container (created once, outside this configuration).
  # Replace the placeholders, then run `terraform init -migrate-state`:
  #
  # backend "azurerm" {
  #   resource_group_name  = "<state-resource-group>"
  #   storage_account_name = "<statestorageaccount>"
  #   container_name       = "tfstate"
  #   key                  = "nightly-eventhubs-synapse/<environment>.tfstate"
  #   use_azuread_auth     = true
  # }
}

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
