# Glue Data Catalog database for the curated tables: Spark registers them here, and warehouses read them
# in place (Redshift Spectrum external schema, Athena, or a Snowflake external table over the same files).
resource "aws_glue_catalog_database" "curated" {
  name        = replace("${local.name}_curated", "-", "_")
  description = "Curated tables of ${local.name}, written by Spark."
}
