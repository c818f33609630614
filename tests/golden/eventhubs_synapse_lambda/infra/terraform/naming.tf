locals {
  # <project>-<environment>: prefix of every resource name.
  name = "${var.project_slug}-${var.environment}"

  # Applied to every resource that takes tags (the provider's defaults, or each resource's own).
  tags = merge(var.tags, {
    project     = var.project_slug
    environment = var.environment
    managed_by  = "terraform"
  })
}
