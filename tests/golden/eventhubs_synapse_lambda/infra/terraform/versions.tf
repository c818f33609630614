# The Terraform version every configuration of this project needs. The cloud's provider and its (commented)
# remote-state backend are declared in providers.tf.
terraform {
  required_version = ">= 1.5.0, < 2.0.0"
}
