"""Decision quality on a labelled corpus: the share right per field and overall, with every miss.

    python benchmarks/decision_quality.py [CORPUS.toml]   (default: tests/corpus/heldout.toml)

Fields: pattern and cloud as decided; primary source (first named source, or none) and sinks (as a
set) as read from the requirement. "overall" counts cases with all four right. A requirement that
`plan` refuses counts as a miss on every field. Issue 11 asks for >= 97% per field on the held-out set.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

from dataforge.commands.plan import plan
from dataforge.errors import DataforgeError

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "heldout.toml"
FIELDS = ("pattern", "primary source", "sinks", "cloud")


def expected(case: dict[str, Any]) -> dict[str, object]:
    """The labelled value of each field."""
    return {
        "pattern": case["pattern"],
        "primary source": case["sources"][0] if case["sources"] else None,
        "sinks": sorted(case["sinks"]),
        "cloud": None if case["cloud"] == "none" else case["cloud"],
    }


def actual(text: str) -> dict[str, object]:
    """What dataforge decides for each field; a refusal is reported as the error's class name."""
    try:
        decision = plan(text)
    except DataforgeError as error:
        refused = f"refused ({type(error).__name__})"
        return dict.fromkeys(FIELDS, refused)
    sources = decision.facts.sources
    return {
        "pattern": decision.pattern,
        "primary source": sources[0] if sources else None,
        "sinks": sorted(decision.facts.sinks),
        "cloud": decision.cloud,
    }


def score(cases: list[dict[str, Any]]) -> tuple[dict[str, float], list[str]]:
    """Share right per field (and "overall"), and one line per missed field."""
    hits = dict.fromkeys((*FIELDS, "overall"), 0)
    misses: list[str] = []
    for case in cases:
        want, got = expected(case), actual(case["text"])
        wrong = [f for f in FIELDS if want[f] != got[f]]
        for field in FIELDS:
            hits[field] += field not in wrong
        hits["overall"] += not wrong
        misses += [f"MISS {f:14} expected={want[f]!r} got={got[f]!r}  <- {case['text']}" for f in wrong]
    return {field: count / len(cases) for field, count in hits.items()}, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=HELDOUT, help="a labelled corpus TOML file")
    args = parser.parse_args()
    cases = tomllib.loads(args.corpus.read_text())["case"]
    shares, misses = score(cases)
    print(f"{len(cases)} labelled requirements in {args.corpus.name}")
    for field, share in shares.items():
        print(f"{field:15} {share:7.1%}  ({round(share * len(cases))}/{len(cases)})")
    for miss in misses:
        print(miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
