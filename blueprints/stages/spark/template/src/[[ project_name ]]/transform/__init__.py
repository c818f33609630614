"""Spark batch transformation: raw files -> curated Parquet (pure functions in `functions`, I/O in `io`)."""
