terraform {
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
  }

  # State is local by default so `terraform init` works without any cloud project.
  # For a team, keep state in a versioned GCS bucket (created once, outside this configuration).
  # Replace the placeholder, then run `terraform init -migrate-state`:
  #
  # backend "gcs" {
  #   bucket = "<your-terraform-state-bucket>"
  #   prefix = "streaming-kafka-bigquery/<environment>"
  # }
}

provider "google" {
  project = var.project_id
  region  = var.region

  # Labels on Google Cloud: lower-case keys and values.
  default_labels = local.tags
}

data "google_project" "current" {
  project_id = var.project_id
}

# Google-managed service agents that must be allowed to use the data key.
data "google_storage_project_service_account" "gcs" {
  project = var.project_id
}
