"""Named SaaS APIs (Stripe, GitHub, HubSpot) get their own connector, reader part and domain; a generic REST API
keeps the generic `api` reader. The connectors are data (blueprints/sources/saas/connectors/) that must agree
with the domain the source chooses, since the connector lands exactly that domain's columns."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from dataforge.answers.build import build_answers
from dataforge.catalog import load_catalog
from dataforge.commands.plan import plan
from dataforge.compose.parts import load_part
from dataforge.render.tree import render_part

BLUEPRINTS = Path(__file__).resolve().parents[2] / "blueprints"
CONNECTORS = BLUEPRINTS / "sources" / "saas" / "connectors"
SAAS = ("stripe", "github", "hubspot")

CASES = [
    # (requirement, source, domain, dimension, fact)
    ("daily sync of Stripe payments via REST API into Postgres on GCP", "stripe", "stripe", "customers", "charges"),
    ("load payments from Stripe into Snowflake every night", "stripe", "stripe", "customers", "charges"),
    ("load GitHub issues into BigQuery every day", "github", "github", "repositories", "issues"),
    ("nightly export of HubSpot deals to Snowflake", "hubspot", "hubspot", "companies", "deals"),
]  # fmt: skip


def _connector(source: str) -> dict:
    with (CONNECTORS / f"{source}.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize(("requirement", "source", "domain", "dimension", "fact"), CASES)
def test_a_named_saas_api_chooses_its_connector_and_its_objects(requirement, source, domain, dimension, fact):
    answers = build_answers(plan(requirement), "saas_project")
    assert (answers.source, answers.source_kind, answers.source_reader) == (source, "saas", "saas")
    assert answers.domain == domain
    assert [e.name for e in answers.entities] == [dimension, fact]
    reasons = [r for r in answers.reasons if r["rule"].startswith("domain.")]
    assert [r["rule"] for r in reasons] == ["domain.connector"]


@pytest.mark.parametrize(
    "requirement",
    [
        "sync tickets from our REST API into BigQuery every hour",
        "pull data from an HTTP API into Snowflake daily",
    ],
)
def test_a_generic_rest_api_keeps_the_generic_reader(requirement):
    answers = build_answers(plan(requirement), "api_project")
    assert (answers.source, answers.source_reader) == ("api", "api")
    assert not load_catalog().domain_for("api").connector


def test_github_alone_still_names_the_ci_provider():
    decision = plan("nightly load of Postgres tables into Snowflake, CI on GitHub")
    assert "github" not in decision.sources
    assert decision.ci_provider == "github_actions"


def test_every_saas_technology_has_a_connector_and_a_connector_domain():
    catalog = load_catalog()
    readers = {t.id for t in catalog.technologies if t.reader == "saas"}
    assert readers == set(SAAS)
    assert {p.stem for p in CONNECTORS.glob("*.toml")} == readers
    for source in readers:
        domain = catalog.connector_domain(source)
        assert domain is not None, source
        assert catalog.domain_for(source) == domain


@pytest.mark.parametrize("source", SAAS)
def test_the_connector_maps_every_column_of_its_domain(source):
    connector = _connector(source)
    domain = load_catalog().connector_domain(source)
    assert domain is not None
    assert connector["base_url"].startswith("https://")
    assert connector["auth"] == "bearer"
    assert connector["paginator"]["type"] in {"cursor", "header_link", "json_link", "offset", "page_number"}
    assert list(connector["resources"]) == [entity.name for entity in domain.entity]
    for entity in domain.entity:
        resource = connector["resources"][entity.name]
        assert set(resource["columns"]) == {column.name for column in entity.columns}, entity.name
        assert resource["primary_key"] == resource["columns"][entity.primary_key], entity.name
    dimension, fact = domain.entity
    assert "incremental" not in connector["resources"][dimension.name], "the dimension is a full snapshot"
    incremental = connector["resources"][fact.name]["incremental"]
    assert incremental["cursor_path"]
    assert incremental["value_format"]


@pytest.mark.parametrize("source", SAAS)
def test_the_stand_in_pages_are_real_shaped_and_cover_every_entity(source):
    pages = json.loads((CONNECTORS / f"{source}.pages.json").read_text(encoding="utf-8"))
    assert set(pages["resources"]) == set(_connector(source)["resources"])
    for resource in pages["resources"].values():
        assert len(resource["pages"]) == 2
        assert resource["second_page_query"]
        assert resource["expected_ids"]


@pytest.mark.parametrize("source", SAAS)
def test_connector_data_holds_no_copier_delimiters(source):
    # The files are copied through a Jinja include whose delimiters are [[ ]], [% %] and [# #].
    for path in (CONNECTORS / f"{source}.toml", CONNECTORS / f"{source}.pages.json"):
        text = path.read_text(encoding="utf-8")
        assert not any(mark in text for mark in ("[[", "]]", "[%", "%]", "[#", "#]")), path.name


def test_the_part_renders_the_chosen_connector_as_it_stands(tmp_path):
    part = load_part(BLUEPRINTS, "sources", "saas")
    assert part is not None
    data = {"project_name": "hub", "source": "hubspot", "source_name": "HubSpot", "object_store": "s3"}
    render_part(part, data, tmp_path)
    rendered = tmp_path / "src" / "hub" / "connector.toml"
    assert rendered.read_bytes() == (CONNECTORS / "hubspot.toml").read_bytes()
    pages = tmp_path / "tests" / "source" / "connector_pages.json"
    assert pages.read_bytes() == (CONNECTORS / "hubspot.pages.json").read_bytes()
    assert not (tmp_path / "connectors").exists()
    assert 'name="hubspot"' in (tmp_path / "src" / "hub" / "source.py").read_text(encoding="utf-8")
