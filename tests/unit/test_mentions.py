from __future__ import annotations

import pytest

from dataforge.catalog import load_catalog
from dataforge.facts import extract_facts
from dataforge.facts.mentions import build_index, find_mentions
from dataforge.facts.text import normalise, tokenise
from dataforge.facts.typos import closest, edit_distance


def ids(text: str) -> list[str]:
    return [m.id for m in find_mentions(tokenise(normalise(text))) if m.type == "technology"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BQ", "bigquery"),
        ("Big Query", "bigquery"),
        ("Cloud SQL Postgres", "postgres"),
        ("PostgreSQL", "postgres"),
        ("Event Hubs", "eventhubs"),
        ("Pub/Sub", "pubsub"),
        ("ADLS Gen2", "adls"),
        ("Amazon S3", "s3"),
        ("MSK", "kafka"),
        ("Confluent Cloud", "kafka"),
        ("a REST API", "api"),
        ("Stripe", "stripe"),
        ("GitHub issues", "github"),
        ("HubSpot CRM", "hubspot"),
        ("CSV drops", "sftp"),
        ("Delta Lake", "delta"),
        ("MS SQL Server", "sqlserver"),
    ],
)
def test_synonyms_map_to_canonical_ids(text: str, expected: str) -> None:
    assert ids(text) == [expected]


def test_longest_phrase_wins() -> None:
    mentions = find_mentions(tokenise(normalise("Azure Synapse Analytics")))
    assert [(m.id, m.spelling) for m in mentions] == [("synapse", "azure synapse analytics")]


def test_delta_loads_are_incremental_not_delta_lake() -> None:
    facts = extract_facts("hourly delta loads from Oracle into Snowflake")
    assert "delta" not in facts.technologies
    assert "incremental" in facts.intents


def test_cloud_synonym_implies_cloud() -> None:
    facts = extract_facts("MSK to Snowflake")
    assert facts.sources == ["kafka"]
    assert facts.clouds == ["aws"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [("kafak", "kafka"), ("snowflak", "snowflake"), ("bigqeury", "bigquery"), ("postgress", "postgres"),
     ("clickhose", "clickhouse"), ("redshfit", "redshift"), ("elasticsaerch", "elasticsearch")],
)  # fmt: skip
def test_typos_are_corrected_with_a_note(written: str, expected: str) -> None:
    facts = extract_facts(f"load {written} data")
    assert expected in facts.technologies
    assert facts.corrections[0].written == written
    assert facts.corrections[0].technology == expected


@pytest.mark.parametrize("word", ["strip", "market", "deltas", "stream", "tables", "daily", "data"])
def test_ordinary_words_are_not_corrected(word: str) -> None:
    assert extract_facts(f"{word} things").corrections == []


def test_edit_distance_counts_a_swap_once() -> None:
    assert edit_distance("kafak", "kafka", 2) == 1
    assert edit_distance("kafka", "kafka", 1) == 0
    assert edit_distance("abcdef", "uvwxyz", 1) == 2  # capped at limit + 1


def test_ambiguous_typo_is_not_guessed() -> None:
    assert closest("abcde", {"abcdx": "one", "abcdy": "two"}) is None
    assert closest("abcde", {"abcdx": "one", "abcdy": "one"}) == ("abcdx", "one")


def test_catalogue_phrases_name_one_entry_each() -> None:
    index = build_index(load_catalog())  # raises on a phrase claimed by two entries
    assert index.longest >= 3
