"""Accuracy of requirement understanding and pattern choice on the labelled corpus.

    python benchmarks/rules_accuracy.py [--misses]

Pattern and cloud are compared with the decision; sources and sinks with what the requirement
names (the facts), primary source first and sinks as a set. The corpus was labelled
independently of the implementation (tests/corpus/requirements.toml).
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

from dataforge.commands.plan import plan

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "requirements.toml"
FIELDS = ("pattern", "primary source", "sources", "sinks", "cloud")


def outcomes(case: dict[str, object]) -> dict[str, tuple[object, object]]:
    """Expected and actual value per field for one corpus case."""
    decision = plan(str(case["text"]))
    facts = decision.facts
    sources = list(case["sources"])  # type: ignore[call-overload]
    return {
        "pattern": (case["pattern"], decision.pattern),
        "primary source": (sources[0] if sources else None, facts.sources[0] if facts.sources else None),
        "sources": (sorted(sources), sorted(facts.sources)),
        "sinks": (sorted(case["sinks"]), sorted(facts.sinks)),  # type: ignore[call-overload]
        "cloud": (None if case["cloud"] == "none" else case["cloud"], decision.cloud),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every case that misses a field")
    args = parser.parse_args()
    cases = tomllib.loads(CORPUS.read_text())["case"]
    hits = dict.fromkeys(FIELDS, 0)
    for case in cases:
        result = outcomes(case)
        for field, (expected, actual) in result.items():
            if expected == actual:
                hits[field] += 1
            elif args.misses:
                print(f"MISS {field:15} expected={expected!r} got={actual!r}  <- {case['text']}")
    print(f"{len(cases)} labelled requirements")
    for field in FIELDS:
        print(f"{field:15} {hits[field] / len(cases):7.1%}  ({hits[field]}/{len(cases)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
