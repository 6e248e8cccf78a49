"""`python -m benchmarks [--quick] [--only NAME …]`: every benchmark, then one table of ratios.

Each benchmark runs our path beside its bare floor in the same run,
alternating, as whole processes (benchmarks/harness.py). `--quick` runs
small sizes in seconds, to check the benchmarks themselves; the figures
that count come from a full run.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import time
from datetime import date

from benchmarks.harness import Result

BENCHMARKS = ["startup", "ledger", "progress", "import", "demo", "return"]


def table(results: list[Result]) -> str:
    lines = [
        "| path | ours | floor | ratio | goal | peak memory |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        goal = f"≤ {r.goal:g}×" + (f", ≤ {r.memory_goal_mb:.0f} MB" if r.memory_goal_mb else "")
        mark = "" if r.met else " **not met**"
        lines.append(
            f"| {r.path} | {r.ours.seconds:.2f} s | {r.floor.label}: {r.floor.seconds:.2f} s "
            f"| {r.ratio:.2f}×{mark} | {goal} | {r.ours.peak_mb:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, seconds in all")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run only these")
    args = parser.parse_args()
    started = time.perf_counter()
    results: list[Result] = []
    for name in args.only or BENCHMARKS:
        print(f"\n== {name} ==", flush=True)
        module = importlib.import_module(f"benchmarks.bench_{name}")
        results += module.run(args.quick)
    minutes = (time.perf_counter() - started) / 60
    print(f"\n{date.today().isoformat()}, {platform.node()}, {minutes:.1f} min")
    print(table(results))


if __name__ == "__main__":
    main()
