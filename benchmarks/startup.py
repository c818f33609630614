"""Start-up time of `dataforge --help` and `dataforge plan` against `copier --help`, in one run.

    python benchmarks/startup.py [--runs 15]

Each command runs several times as a fresh process; the script prints the median wall time
of each and its ratio to the median of `copier --help` measured in the same run.
Targets (issue 2): --help <= 0.5x and plan <= 0.75x of copier --help.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

TARGETS = {"dataforge --help": 0.5, "dataforge plan": 0.75}


def median_seconds(command: list[str], runs: int) -> float:
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    copier = shutil.which("copier")
    if copier is None:
        print("copier is not on PATH; install dataforge's dependencies first", file=sys.stderr)
        return 2
    commands = {
        "copier --help": [copier, "--help"],
        "dataforge --help": [sys.executable, "-m", "dataforge", "--help"],
        "dataforge plan": [sys.executable, "-m", "dataforge", "plan", "Kafka to BigQuery streaming"],
        "dataforge plan --json": [
            sys.executable,
            "-m",
            "dataforge",
            "plan",
            "Kafka to BigQuery streaming",
            "--json",
        ],
    }
    medians = {name: median_seconds(cmd, args.runs) for name, cmd in commands.items()}
    reference = medians["copier --help"]
    print(f"{'command':24} {'median':>9} {'vs copier --help':>17}  target")
    failed = False
    for name, seconds in medians.items():
        ratio = seconds / reference
        target = TARGETS.get(name)
        verdict = "" if target is None else (f"<= {target:.2f}x " + ("ok" if ratio <= target else "MISSED"))
        failed |= target is not None and ratio > target
        print(f"{name:24} {seconds * 1000:7.0f}ms {ratio:16.2f}x  {verdict}")
    print(f"({args.runs} runs each, python {sys.version.split()[0]})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
