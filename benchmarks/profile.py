"""Profile a generated CSV of N rows (default 1,000,000) and report time and peak memory.

    python benchmarks/profile.py [--rows 1000000] [--tracemalloc]

Peak memory is the process's maximum resident set size (resource.getrusage), which includes the interpreter;
with --tracemalloc the peak of Python allocations during profiling is reported too (slower).
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from dataforge.quality.profile import profile_file
from dataforge.quality.propose import propose, strictness

TIERS = ["gold", "silver", "bronze", "platinum"]


def write_sample(path: Path, rows: int) -> None:
    """A deterministic sample: a key, an e-mail, a category, a decimal, a date, a code, nullable text."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "email", "tier", "amount", "signup_date", "code", "comment"])
        for i in range(1, rows + 1):
            writer.writerow(
                [
                    i,
                    f"user{i}@example.com",
                    TIERS[i % 4],
                    f"{(i * 7919) % 100000 / 100:.2f}",
                    f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                    f"AB-{i % 100000:05d}",
                    "" if i % 20 == 0 else f"comment {i % 997}",
                ]
            )


def main() -> int:
    """Run the benchmark and print one line of figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        sample = Path(scratch) / "sample.csv"
        write_sample(sample, args.rows)
        size = sample.stat().st_size
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if args.tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        profile = profile_file(sample)
        proposed = propose(profile, strictness())
        elapsed = time.perf_counter() - started
        traced = tracemalloc.get_traced_memory()[1] if args.tracemalloc else 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"rows={args.rows:,} file={size / 1e6:.1f}MB columns={len(profile.columns)} "
        f"expectations={len(proposed.expectations)} time={elapsed:.1f}s rows/s={args.rows / elapsed:,.0f} "
        f"peak_rss={rss / 1024:.0f}MB (before profiling {rss_before / 1024:.0f}MB)"
        + (f" tracemalloc_peak={traced / 1e6:.0f}MB" if args.tracemalloc else ""),
        file=sys.stdout,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
