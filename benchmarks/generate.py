"""Time `dataforge new --yes --no-git` against `copier copy` of the same blueprints with the same answers.

    python benchmarks/generate.py [--runs 7]

Both run in this one process, alternating, each into a fresh folder; the script prints the medians
and the ratio. dataforge does more than copier here (planning, per-blueprint staging with overlap
checks, validation of every file, records with hashes, an atomic move); the target is <= 1.5x.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REQUIREMENT = "nightly load of Postgres tables into Snowflake"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import copier

    from dataforge.answers import render_data
    from dataforge.commands.new import generate, prepare
    from dataforge.compose import compose

    answers = prepare(REQUIREMENT).answers
    composition = compose(answers.model_dump(mode="json"))
    blueprints = [p for p in composition.parts if p.renders_files]
    data = render_data(answers, composition)

    def with_dataforge(out: Path) -> None:
        generate(REQUIREMENT, output=out, git=False)

    def with_copier(out: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for blueprint in blueprints:
                copier.run_copy(
                    str(blueprint.folder), out / answers.project_name, data=data, defaults=True, quiet=True
                )

    timings: dict[str, list[float]] = {"dataforge new": [], "copier copy": []}
    runners = {"dataforge new": with_dataforge, "copier copy": with_copier}
    for _ in range(args.runs + 1):  # the first round warms imports and caches and is discarded
        for name, runner in runners.items():
            with tempfile.TemporaryDirectory() as scratch:
                start = time.perf_counter()
                runner(Path(scratch))
                timings[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(samples[1:]) for name, samples in timings.items()}
    ratio = medians["dataforge new"] / medians["copier copy"]
    for name, seconds in medians.items():
        print(f"{name:15} {seconds * 1000:8.0f} ms (median of {args.runs})")
    print(f"ratio           {ratio:8.2f}x  (target <= 1.50x: {'ok' if ratio <= 1.5 else 'MISSED'})")
    print(f"{len(blueprints)} blueprints: {', '.join(b.id for b in blueprints)}")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
