"""The sample domain follows what the requirement is about (keywords in domains.toml), else its source."""

from __future__ import annotations

import pytest

from dataforge.answers.build import apply_overrides, build_answers
from dataforge.catalog import load_catalog
from dataforge.commands.plan import plan
from dataforge.decision.domain import choose_domain

CASES = [
    # (requirement, domain, rule that chose it)
    ("daily sync of Stripe payments via REST API into Postgres on GCP", "stripe", "domain.connector"),
    ("hourly sync of Salesforce opportunities into BigQuery", "crm", "domain.keyword"),
    ("stream clickstream from Kinesis into S3", "clickstream", "domain.keyword"),
    ("stream page views from Kafka into ClickHouse", "clickstream", "domain.keyword"),
    ("nightly load of Postgres tables into Snowflake", "commerce", "domain.source"),
    ("Every night pull yesterday's orders from a MySQL database and load them into ClickHouse", "commerce", "domain.keyword"),
    ("ingest IoT sensor readings from Kafka into Delta Lake on Databricks", "iot", "domain.keyword"),
    ("sync Zendesk tickets from the REST API into BigQuery every hour", "support_api", "domain.keyword"),
    ("ship application logs from Kafka into Elasticsearch in real time", "app_logs", "domain.keyword"),
    ("load card transactions from Oracle into Redshift nightly", "payments", "domain.keyword"),
    ("daily store sales files from SFTP into Snowflake", "retail_files", "domain.keyword"),
    ("nightly export of HubSpot deals to Snowflake", "hubspot", "domain.connector"),
    ("nightly export of Pipedrive deals to Snowflake", "crm", "domain.keyword"),
    ("stream events from Kafka into BigQuery", "clickstream", "domain.source"),
    ("Monthly load of Google Ads and Facebook Ads spend into BigQuery", "marketing", "domain.keyword"),
    ("Delta tables on S3 with ACID transactions, loaded nightly from Postgres", "commerce", "domain.source"),
]  # fmt: skip


@pytest.mark.parametrize(("requirement", "domain", "rule"), CASES)
def test_the_domain_follows_the_requirement(requirement: str, domain: str, rule: str) -> None:
    decision = plan(requirement)
    assert decision.domain == domain
    reasons = [r for r in decision.reasons if r.rule.startswith("domain.")]
    assert [r.rule for r in reasons] == [rule]
    assert domain in reasons[0].because


@pytest.mark.parametrize(
    ("requirement", "domain"),
    [
        ("sales opportunities from MySQL into Snowflake", "crm"),  # the longer phrase at the same word wins
        ("sales orders from MySQL into Snowflake", "commerce"),
        ("sales from MySQL into Snowflake", "retail_files"),
        ("orders and their payments from MySQL into Snowflake", "commerce"),  # the first mentioned wins
        ("payments and their orders from MySQL into Snowflake", "payments"),
        ("stores in object stores, in order to load Postgres into Snowflake", "commerce"),  # no keyword there
    ],
)
def test_the_first_and_longest_keyword_wins(requirement: str, domain: str) -> None:
    assert choose_domain(requirement, "mysql", load_catalog())[0] == domain


def test_without_keyword_or_listed_source_the_first_domain_is_the_default() -> None:
    domain, reason = choose_domain("move data from A to B", None, load_catalog())
    assert (domain, reason.rule) == (load_catalog().domains[0].id, "domain.default")
    assert "replace them with your own" in reason.because


def test_the_answers_carry_the_chosen_domains_entities() -> None:
    answers = build_answers(plan("load card payments from Oracle into Postgres on GCP"), "pay")
    assert answers.domain == "payments"
    assert [(e.name, e.role) for e in answers.entities] == [("customers", "dimension"), ("payments", "fact")]
    fact = answers.entities[1]
    assert (fact.primary_key, fact.event_time) == ("payment_id", "paid_at")


def test_every_domain_has_one_dimension_and_one_fact_that_references_it() -> None:
    for domain in load_catalog().domains:
        assert [e.role for e in domain.entity] == ["dimension", "fact"], domain.id
        dim, fact = domain.entity
        assert f"{dim.name}.{dim.primary_key}" in {c.references for c in fact.columns}, domain.id


def test_a_keyword_names_one_domain() -> None:
    seen: dict[str, str] = {}
    for domain in load_catalog().domains:
        for keyword in domain.keywords:
            assert keyword.lower() not in seen, (
                f"{keyword!r} names {seen.get(keyword.lower())} and {domain.id}"
            )
            seen[keyword.lower()] = domain.id


def test_invented_categories_are_examples() -> None:
    """No requirement states a list of categories, so every built-in `values` list only warns."""
    for domain in load_catalog().domains:
        for entity in domain.entity:
            for column in entity.columns:
                if column.values:
                    assert column.rule == "example", f"{domain.id}.{entity.name}.{column.name}"


def test_a_domain_set_by_the_user_replaces_the_plans_reason() -> None:
    answers = build_answers(plan("nightly load of Postgres tables into Snowflake"), "shop")
    changed = apply_overrides(answers, {"domain": "iot"})
    assert [e.name for e in changed.entities] == ["devices", "readings"]
    domain_reasons = [r for r in changed.reasons if "domain" in r["rule"]]
    assert domain_reasons == [{"rule": "override.domain", "because": "You set the sample domain iot."}]


def test_the_end_to_end_requirements_model_every_domain() -> None:
    """The e2e suite builds every domain's dbt models and runs its quality suites: each domain is chosen
    by a full project or by a source-reader variant (tests/helpers/requirements.py)."""
    from tests.helpers.requirements import PROJECTS, READER_VARIANTS

    chosen = {plan(text, cloud=cloud).domain for text, cloud in PROJECTS.values()}
    for reader, (text, cloud, _, domain) in READER_VARIANTS.items():
        assert plan(text, cloud=cloud).domain == domain, reader
        chosen.add(domain)
    assert chosen == {d.id for d in load_catalog().domains}
