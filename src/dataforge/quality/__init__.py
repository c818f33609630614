"""`dataforge add-quality-suite`: Great Expectations suites proposed from data samples or dbt schemas.

read (readers) -> profile (profile) -> propose (propose, dbt_schema) -> merge with the existing suite (suite)
-> render the `quality_suite` blueprint into staging, validate, place (command).
"""
