"""How production runs the pipeline's steps on the cloud: `spark_operator` submits a Spark step to the platform."""
