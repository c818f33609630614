provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = merge(var.labels, {
    project     = var.project_slug
    environment = var.environment
    managed_by  = "terraform"
  })
}

data "google_project" "current" {
  project_id = var.project_id
}

# Google-managed service agents that must be allowed to use the data key.
data "google_storage_project_service_account" "gcs" {
  project = var.project_id
}
