"""How long a generated project's own `make setup` and `make test` take.

    python benchmarks/generated_project.py [--runs 3] [--requirement "..."]

Generates the project once into a temporary folder, runs `make setup` once (timed; the first run
on a machine also builds PySpark's wheel into uv's cache), then `make test` several times and
prints the median. The target (issue 3) is `make test` under 90 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dataforge.commands.new import generate


def timed(command: list[str], cwd: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requirement", default="nightly load of Postgres tables into Snowflake")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = generate(args.requirement, output=Path(scratch), git=False).path
        setup = timed(["make", "setup"], project)
        tests = [timed(["make", "test"], project) for _ in range(args.runs)]
    print(f"project        {project.name}")
    print(f"make setup     {setup:6.1f} s (once)")
    each = ", ".join(f"{t:.1f}" for t in tests)
    print(f"make test      {statistics.median(tests):6.1f} s median of {args.runs}: {each}")
    print(f"cores          {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
