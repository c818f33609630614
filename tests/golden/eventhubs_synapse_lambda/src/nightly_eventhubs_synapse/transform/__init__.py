"""The project's Spark code: the session and submit settings every Spark step shares, the packaging for Spark
platforms, and the step's own job (`job` in a batch project)."""
