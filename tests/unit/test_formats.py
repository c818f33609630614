"""The file format a requirement names reaches the files reader's default; one it cannot read is a warning."""

from __future__ import annotations

import pytest

from dataforge.answers.build import build_answers
from dataforge.commands.plan import plan
from dataforge.facts.formats import find_file_format


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("hourly json files landing in azure blob storage", "json"),
        ("ndjson exports dropped in s3 every night", "json"),
        ("daily parquet drops from gcs", "parquet"),
        ("csv files from an sftp server", "csv"),
        ("avro files on s3", "avro"),
        ("nightly load of postgres tables", None),
        ("a jsonb column in postgres", None),  # a word that only starts like a format
    ],
)
def test_the_first_named_format_is_read(text: str, named: str | None) -> None:
    assert find_file_format(text) == named


@pytest.mark.parametrize(
    ("requirement", "source_format", "warned"),
    [
        ("Hourly ingestion of JSON files landing in S3 into Snowflake", "json", False),
        ("daily parquet files from GCS into BigQuery", "parquet", False),
        ("nightly load of Postgres tables into Snowflake", "csv", False),
        ("avro files from S3 into Redshift every day", "csv", True),
    ],
)
def test_the_answer_follows_the_named_format(requirement: str, source_format: str, warned: bool) -> None:
    decision = plan(requirement, pattern="batch")
    assert build_answers(decision, "files_project").source_format == source_format
    assert any("needs its Spark package" in w for w in decision.warnings) == warned


def test_a_format_the_reader_does_not_read_is_refused_as_an_answer() -> None:
    from dataforge.answers.build import apply_overrides
    from dataforge.errors import DataforgeError

    answers = build_answers(plan("daily parquet files from GCS into BigQuery"), "files_project")
    assert apply_overrides(answers, {"source_format": "json"}).source_format == "json"
    with pytest.raises(DataforgeError, match="source_format must be one of"):
        apply_overrides(answers, {"source_format": "xlsx"})
