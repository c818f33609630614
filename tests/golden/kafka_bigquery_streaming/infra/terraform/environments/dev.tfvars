# Development environment of Streaming Kafka Bigquery.
# terraform plan -var-file=environments/dev.tfvars
project_slug = "streaming-kafka-bigquery"
environment  = "dev"
project_id   = "<your-gcp-project-id>"
region       = "us-central1"

# Bring your own Cloud KMS key instead of creating one:
# kms_key_id = "projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>"

force_destroy       = true
raw_expiration_days = 30
subnet_cidr         = "10.10.0.0/24"

tags = {
  cost_center = "to-fill"
}
