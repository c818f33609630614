# Least-privilege data access, scoped to single containers (never the account or subscription).
#
# Spark (the Synapse workspace identity): reads raw, writes curated and artifacts.
# Orchestrator (a user-assigned identity for Airflow, e.g. Astronomer/AKS workload identity): lands raw,
# reads curated for the quality gate, reads artifacts.
# Submitting Spark jobs is granted inside Synapse (Synapse RBAC "Synapse Compute Operator" on the Spark
# pool), which needs network access to the workspace: see README.md.
locals {
  container_scope = { for z in local.zones : z => "${azurerm_storage_account.data.id}/blobServices/default/containers/${z}" }

  grants = {
    spark_read_raw         = { principal = azurerm_synapse_workspace.main.identity[0].principal_id, zone = "raw", role = "Storage Blob Data Reader" }
    spark_write_curated    = { principal = azurerm_synapse_workspace.main.identity[0].principal_id, zone = "curated", role = "Storage Blob Data Contributor" }
    spark_artifacts        = { principal = azurerm_synapse_workspace.main.identity[0].principal_id, zone = "artifacts", role = "Storage Blob Data Contributor" }
    orchestrator_land_raw  = { principal = azurerm_user_assigned_identity.orchestrator.principal_id, zone = "raw", role = "Storage Blob Data Contributor" }
    orchestrator_curated   = { principal = azurerm_user_assigned_identity.orchestrator.principal_id, zone = "curated", role = "Storage Blob Data Reader" }
    orchestrator_artifacts = { principal = azurerm_user_assigned_identity.orchestrator.principal_id, zone = "artifacts", role = "Storage Blob Data Reader" }
  }
}

resource "azurerm_user_assigned_identity" "orchestrator" {
  name                = "id-${local.name}-orchestrator"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_role_assignment" "data" {
  for_each = local.grants

  scope                = local.container_scope[each.value.zone]
  role_definition_name = each.value.role
  principal_id         = each.value.principal

  depends_on = [azurerm_storage_container.zone]
}

# Source credentials live in the project's Key Vault as secrets (added by you, never by Terraform);
# both identities may read secrets there, nothing else.
resource "azurerm_role_assignment" "secrets" {
  for_each = var.key_vault_key_id == null ? {
    spark        = azurerm_synapse_workspace.main.identity[0].principal_id
    orchestrator = azurerm_user_assigned_identity.orchestrator.principal_id
  } : {}

  scope                = azurerm_key_vault.data[0].id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = each.value
}
