"""Profiling and proposals on samples with known properties (no Great Expectations needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.quality_suite import datagen

from dataforge.errors import DataError, UsageError
from dataforge.quality.profile import profile_file
from dataforge.quality.propose import Proposal, propose, strictness


def by_key(proposals: list[Proposal]) -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(p.type, p.column): p.kwargs for p in proposals}


@pytest.fixture(params=["csv", "jsonl"])
def sample(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    writer = datagen.write_csv if request.param == "csv" else datagen.write_jsonl
    return writer(tmp_path / f"partners.{request.param}", datagen.rows())


def test_profile_finds_the_known_properties(sample: Path) -> None:
    profile = profile_file(sample)
    assert profile.rows == datagen.ROWS
    assert profile.columns == datagen.COLUMNS
    kinds = {name: c.kind for name, c in profile.profiles.items()}
    assert kinds == {
        "partner_id": "integer",
        "email": "string",
        "tier": "string",
        "score": "decimal",
        "signup_date": "date",
        "ref": "string",
        "notes": "string",
        "token": "string",
    }
    assert profile.profiles["notes"].nulls == datagen.ROWS // 10
    assert profile.profiles["partner_id"].is_unique
    assert not profile.profiles["tier"].is_unique


def test_proposal_has_the_expected_expectations(sample: Path) -> None:
    proposed = propose(profile_file(sample), strictness())
    got = by_key(proposed.expectations)
    assert got[("expect_table_columns_to_match_set", None)]["column_set"] == datagen.COLUMNS
    band = got[("expect_table_row_count_to_be_between", None)]
    assert band["min_value"] < datagen.ROWS < band["max_value"]
    assert {c for t, c in got if t == "expect_column_values_to_be_unique"} == {
        "partner_id",
        "email",
        "ref",
        "token",
    }
    assert got[("expect_column_values_to_be_in_set", "tier")]["value_set"] == datagen.TIERS
    score = got[("expect_column_values_to_be_between", "score")]
    assert score["min_value"] < 10.0
    assert score["max_value"] > 90.0
    assert score["max_value"] < 200
    assert got[("expect_column_values_to_not_be_null", "notes")]["mostly"] < 0.9
    assert "mostly" not in got[("expect_column_values_to_not_be_null", "email")]
    assert "@" in got[("expect_column_values_to_match_regex", "email")]["regex"]
    assert got[("expect_column_values_to_match_regex", "ref")]["regex"] == r"^[A-Z]{3}\-[0-9]{5}$"
    assert "[0-9a-fA-F]{8}" in got[("expect_column_values_to_match_regex", "token")]["regex"]
    dates = got[("expect_column_values_to_be_between", "signup_date")]
    assert dates["min_value"] < "2024-01-01"
    assert dates["max_value"] > "2024-12-31"
    assert proposed.column_types == {"partner_id": "integer", "score": "decimal", "signup_date": "date"}


def test_strict_and_lenient_differ(sample: Path) -> None:
    profile = profile_file(sample)
    strict = by_key(propose(profile, strictness("strict")).expectations)
    lenient = by_key(propose(profile, strictness("lenient")).expectations)
    assert (
        strict[("expect_column_values_to_be_between", "score")]["max_value"]
        < lenient[("expect_column_values_to_be_between", "score")]["max_value"]
    )
    assert lenient[("expect_column_values_to_be_in_set", "tier")]["mostly"] == 0.95
    assert by_key(propose(profile, strictness(mostly=0.9)).expectations)[
        ("expect_column_values_to_be_in_set", "tier")
    ]["mostly"] == pytest.approx(0.9)


def test_exclude_leaves_a_column_unchecked(sample: Path) -> None:
    proposed = propose(profile_file(sample, {"notes"}), strictness(), {"notes"})
    assert not [p for p in proposed.expectations if p.column == "notes"]
    assert "notes" in by_key(proposed.expectations)[("expect_table_columns_to_match_set", None)]["column_set"]
    with pytest.raises(UsageError, match="nope"):
        propose(profile_file(sample), strictness(), {"nope"})


def test_free_text_is_not_a_key_and_leading_zeros_stay_strings(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name,zip\n" + "".join(f"Person {i},{i:05d}\n" for i in range(50)))
    proposed = propose(profile_file(path), strictness())
    assert ("expect_column_values_to_be_unique", "name") not in by_key(proposed.expectations)
    assert ("expect_column_values_to_be_unique", "zip") in by_key(proposed.expectations)
    assert "zip" not in proposed.column_types


def test_json_array_and_parquet_without_pyarrow(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"a": 1, "b": "x"}, {"a": 2, "b": None}]))
    profile = profile_file(path)
    assert profile.rows == 2
    assert profile.profiles["a"].kind == "integer"
    parquet = tmp_path / "a.parquet"
    parquet.write_bytes(b"PAR1 not really")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        with pytest.raises(DataError, match="pyarrow"):
            profile_file(parquet)
    else:
        with pytest.raises(DataError, match="not a readable Parquet"):
            profile_file(parquet)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "does not exist"),
        ("empty.csv", "", "is empty"),
        ("header.csv", "a,b\n", "no data rows"),
        ("ragged.csv", "a,b\n1,2\n1,2,3,4\n", "not tabular"),
        ("prose.txt", "hello", "unsupported file type"),
        ("binary.csv", "a,b\n\x00\x01\n", "binary"),
        ("latin.csv", "a,b\n\xe9t\xe9,1\n", "not UTF-8"),
        ("scalars.jsonl", "1\n2\n", "not tabular"),
        ("broken.jsonl", '{"a": 1}\n{oops\n', "not valid JSON"),
    ],
)
def test_bad_inputs_are_data_errors(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content.encode("latin-1"))
    with pytest.raises(DataError, match=message):
        profile_file(path)


def test_progress_is_reported_on_big_inputs(tmp_path: Path) -> None:
    from dataforge.quality.profile import profile_rows

    seen: list[int] = []
    rows = (({"a": str(i)}, i) for i in range(25))
    profile_rows("x", ["a"], rows, progress=lambda n, done, total: seen.append(n), every=10)
    assert seen == [10, 20]
