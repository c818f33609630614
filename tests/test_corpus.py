"""Every labelled requirement in the corpus (tests/corpus/requirements.toml) must plan as labelled."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from dataforge.commands.plan import plan

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "corpus" / "requirements.toml").read_text()
)["case"]


def test_corpus_is_broad_enough() -> None:
    assert len(CASES) >= 80
    assert {c["pattern"] for c in CASES} == {"batch", "kappa", "lambda", "lakehouse"}
    assert {c["cloud"] for c in CASES} == {"aws", "gcp", "azure", "none"}


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:60] for c in CASES])
def test_requirement_is_understood_as_labelled(case: dict[str, Any]) -> None:
    decision = plan(case["text"])
    assert decision.pattern == case["pattern"]
    assert decision.facts.sources == case["sources"]
    assert sorted(decision.facts.sinks) == sorted(case["sinks"])
    assert decision.cloud == (None if case["cloud"] == "none" else case["cloud"])
