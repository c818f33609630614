# Development environment of Nightly Eventhubs Synapse.
# terraform plan -var-file=environments/dev.tfvars
# The subscription comes from ARM_SUBSCRIPTION_ID (or set subscription_id here).
project_slug = "nightly-eventhubs-synapse"
environment  = "dev"
location     = "westeurope"

# Entra ID group administering the Synapse workspace (object id, from `az ad group show`):
synapse_admin_object_id = "00000000-0000-0000-0000-000000000000"
synapse_admin_login     = "<your-admin-group-name>"

# Public IP (CIDR) of the machine or CI runner applying Terraform, for the Key Vault firewall:
key_vault_allowed_ip_ranges = []

# Bring your own key instead of creating a Key Vault:
# key_vault_key_id = "https://<vault>.vault.azure.net/keys/<name>"

storage_replication_type = "GRS"
raw_expiration_days      = 30
spark_max_nodes          = 3

sql_pool_sku = "DW100c"

tags = {
  cost_center = "to-fill"
}
