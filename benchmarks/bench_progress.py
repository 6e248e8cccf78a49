"""The progress report at a million activities beside the same report on the 3,000-activity demo.

The progress engine reads the ledger's monthly totals, so its time should
not grow with the number of activities (as DHIS2's precomputed analytics
tables do not): ours is `kepu progress --as-of 2025-12-31 --json` on the
large demo, the floor the same command on the 3,000-activity demo; goal
1.5×. Run alone: `python -m benchmarks.bench_progress [--quick]`.
"""

from __future__ import annotations

import argparse

from benchmarks.demo_db import cached_demo
from benchmarks.harness import Result, Side, compare, kepu

SMALL = 3_000


def run(quick: bool) -> list[Result]:
    large = 30_000 if quick else 1_000_000
    args = ("progress", "--as-of", "2025-12-31", "--json")
    ours = Side(f"{large:,} activities", kepu("--db", str(cached_demo(large)), *args))
    floor = Side(f"{SMALL:,} activities", kepu("--db", str(cached_demo(SMALL)), *args))
    path = f"kepu progress --as-of 2025-12-31 --json at {large:,} activities"
    return [compare(path, ours, floor, goal=1.5, runs=3 if quick else 5)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="30,000 activities instead of 1,000,000"
    )
    run(parser.parse_args().quick)


if __name__ == "__main__":
    main()
