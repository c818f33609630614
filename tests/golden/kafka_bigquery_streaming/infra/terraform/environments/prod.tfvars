# Production environment of Streaming Kafka Bigquery.
# terraform plan -var-file=environments/prod.tfvars
project_slug = "streaming-kafka-bigquery"
environment  = "prod"
project_id   = "<your-gcp-project-id>"
region       = "us-central1"

# Bring your own Cloud KMS key instead of creating one:
# kms_key_id = "projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>"

force_destroy       = false
raw_expiration_days = 365
subnet_cidr         = "10.10.0.0/24"

tags = {
  cost_center = "to-fill"
}
