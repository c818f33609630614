"""The Spark Structured Streaming job: events -> parse -> dedupe within the watermark -> idempotent sink.

`events` writes the local event files, `functions` holds the pure transformations, `sink` the foreachBatch writer
(idempotent on the batch id), `job` starts the queries, `settings` reads the STREAM_* variables.
"""
