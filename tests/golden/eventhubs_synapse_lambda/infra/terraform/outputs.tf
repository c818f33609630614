output "resource_group" {
  description = "Resource group holding the project's resources."
  value       = azurerm_resource_group.main.name
}

output "storage_account" {
  description = "ADLS Gen2 account of the data lake (abfss://<zone>@<account>.dfs.core.windows.net/)."
  value       = azurerm_storage_account.data.name
}

output "containers" {
  description = "Containers of the storage zones."
  value       = { for z, c in azurerm_storage_container.zone : z => c.name }
}

output "key_vault_key_id" {
  description = "Customer-managed key encrypting the data lake."
  value       = local.key_vault_key_id
}

output "synapse_workspace" {
  description = "Synapse workspace running the Spark pool."
  value       = azurerm_synapse_workspace.main.name
}

output "spark_pool" {
  description = "Synapse Spark pool the Spark job runs on."
  value       = azurerm_synapse_spark_pool.main.name
}

output "orchestrator_client_id" {
  description = "Client id of the orchestrator identity (federate it with your Airflow deployment)."
  value       = azurerm_user_assigned_identity.orchestrator.client_id
}

output "log_analytics_workspace_id" {
  description = "Log Analytics workspace receiving data-lake access logs."
  value       = azurerm_log_analytics_workspace.logs.id
}

output "key_vault_uri" {
  description = "URI of the project's Key Vault: Airflow's secrets backend reads connections and Variables there (null when you pass key_vault_key_id)."
  value       = var.key_vault_key_id == null ? azurerm_key_vault.data[0].vault_uri : null
}

output "key_vault_name" {
  description = "Name of the project's Key Vault: the Airflow Variable KEY_VAULT_NAME (the Spark job reads its credentials there; null when you pass key_vault_key_id)."
  value       = var.key_vault_key_id == null ? azurerm_key_vault.data[0].name : null
}
