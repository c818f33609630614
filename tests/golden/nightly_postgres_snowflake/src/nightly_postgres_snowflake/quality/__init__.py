"""Data quality for Nightly Postgres Snowflake: Great Expectations suites, the validate CLI and the gate.

- `quality/expectations/<dataset>.json`: one GX Core 1.x suite per dataset, discovered by file name.
- `python -m nightly_postgres_snowflake.quality.validate --dataset <name> --data <file-or-folder>`: validate files.
- `nightly_postgres_snowflake.quality.gate.run_quality_gate(data_dir, ds)`: validate every curated dataset of one day.
"""
