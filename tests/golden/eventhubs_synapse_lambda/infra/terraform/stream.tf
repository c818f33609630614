# The stream: an Event Hubs namespace (Standard: the tier with the Kafka endpoint) with one event hub per entity
# and a consumer group for the Spark job. TLS 1.2 minimum, no public network access: the Synapse workspace
# reaches the namespace through a managed private endpoint (approve it on the namespace after apply).
# The job reads over the Kafka endpoint with the listen-only key below (SAS: the Kafka client of Spark has no
# Entra ID login), so local authentication stays on; the Spark identity also holds "Azure Event Hubs Data
# Receiver" for readers that authenticate with Entra ID. Customer-managed keys need the Premium tier.
variable "eventhubs_capacity" {
  description = "Throughput units of the Event Hubs namespace (1 unit: 1 MB/s or 1000 events/s in; sized from the stated rate, at most 40)."
  type        = number
  default     = 1

  validation {
    condition     = var.eventhubs_capacity >= 1 && var.eventhubs_capacity <= 40
    error_message = "eventhubs_capacity must be between 1 and 40."
  }
}

variable "eventhubs_partitions" {
  description = "Partitions of each event hub (the read parallelism; fixed once created on Standard)."
  type        = number
  default     = 4
}

variable "eventhubs_retention_days" {
  description = "Days events are kept in each hub (1-7 on Standard): how far back a replay can go."
  type        = number
  default     = 7

  validation {
    condition     = var.eventhubs_retention_days >= 1 && var.eventhubs_retention_days <= 7
    error_message = "eventhubs_retention_days must be between 1 and 7."
  }
}

locals {
  stream_entities = ["customers", "orders"]
}

resource "azurerm_eventhub_namespace" "stream" {
  name                          = "evhns-${local.compact_name}-${local.suffix}"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  sku                           = "Standard"
  capacity                      = var.eventhubs_capacity
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
  local_authentication_enabled  = true

  network_rulesets {
    default_action                 = "Deny"
    public_network_access_enabled  = false
    trusted_service_access_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }

  tags = local.tags
}

resource "azurerm_eventhub" "entity" {
  for_each = toset(local.stream_entities)

  name              = each.value
  namespace_id      = azurerm_eventhub_namespace.stream.id
  partition_count   = var.eventhubs_partitions
  message_retention = var.eventhubs_retention_days
}

resource "azurerm_eventhub_consumer_group" "spark" {
  for_each = azurerm_eventhub.entity

  name                = "${var.project_slug}-stream"
  namespace_name      = azurerm_eventhub_namespace.stream.name
  eventhub_name       = each.value.name
  resource_group_name = azurerm_resource_group.main.name
  user_metadata       = "Spark Structured Streaming job of ${local.name}"
}

# Listen only: the key the job's connection string holds. Read it after apply with
# `az eventhubs namespace authorization-rule keys list` and store the connection string as a Key Vault secret;
# it is never written to a file or an output.
resource "azurerm_eventhub_namespace_authorization_rule" "spark_listen" {
  name                = "spark-listen"
  namespace_name      = azurerm_eventhub_namespace.stream.name
  resource_group_name = azurerm_resource_group.main.name
  listen              = true
  send                = false
  manage              = false
}

resource "azurerm_role_assignment" "spark_stream_receiver" {
  scope                = azurerm_eventhub_namespace.stream.id
  role_definition_name = "Azure Event Hubs Data Receiver"
  principal_id         = azurerm_synapse_workspace.main.identity[0].principal_id
}

resource "azurerm_synapse_managed_private_endpoint" "stream" {
  name                 = "pe-eventhubs"
  synapse_workspace_id = azurerm_synapse_workspace.main.id
  target_resource_id   = azurerm_eventhub_namespace.stream.id
  subresource_name     = "namespace"
}

resource "azurerm_monitor_diagnostic_setting" "stream" {
  name                       = "stream-logs"
  target_resource_id         = azurerm_eventhub_namespace.stream.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category_group = "allLogs"
  }
}

output "eventhubs_namespace" {
  description = "Event Hubs namespace of the stream (SOURCE_EVENTHUBS_NAMESPACE)."
  value       = azurerm_eventhub_namespace.stream.name
}
