"""Building the demo county: `kepu demo --activities N` beside a bare sqlite3 executemany of N rows.

Ours is the whole command as a process: the plan, the units and townships,
N activities drawn from the seeded generator and written through the bulk
path (desktop/services/bulk.py) with their links and search index, the
month totals counted, evidence photos drawn, four years locked. The floor
is a Python process that creates one table with the activity table's
columns (no index, no trigger) and inserts N rows into it with one
`executemany`. Goal: the 1,000,000-activity county within 120 s; printed
with activities per second and the ratio to the floor. Run:

    .venv/bin/python -m benchmarks.bench_demo [--quick]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.harness import Result, Side, environment, kepu, python, run_once

GOAL_SECONDS = 120.0

FLOOR = """
import sqlite3, sys
n = int(sys.argv[2])
con = sqlite3.connect(sys.argv[1])
con.execute(
    "CREATE TABLE activity (id INTEGER PRIMARY KEY, start_date DATE, end_date DATE, "
    "title VARCHAR(300), type_id INTEGER, place_id INTEGER, unit_id INTEGER, "
    "participants INTEGER, female INTEGER, rural INTEGER, sessions INTEGER, "
    "volunteers INTEGER, volunteer_hours FLOAT, funding_fen INTEGER, media TEXT, "
    "summary TEXT, batch_id INTEGER, import_key VARCHAR(64), created_at DATETIME, "
    "updated_at DATETIME)"
)
row = ("2024-05-18", None, "景芝镇健康科普大讲堂", 1, 3, 5, 120, 60, 80, 1, 2, 6.0, 35000,
       "", "景芝镇村（社区）组织开展，参加 120 人次。", None, None,
       "2026-01-01 00:00:00", "2026-01-01 00:00:00")
with con:
    con.executemany(
        "INSERT INTO activity VALUES (?" + ", ?" * 19 + ")",
        ((i, *row) for i in range(1, n + 1)),
    )
con.close()
"""


def measure(n: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        env = environment({"KEPU_DATA_DIR": str(Path(tmp) / "data")})
        ours = Side(
            f"kepu demo --activities {n}",
            kepu("--db", str(Path(tmp) / "demo.sqlite3"), "demo", "--activities", str(n)),
        )
        floor = Side(
            f"sqlite3 executemany of {n:,} rows, same columns",
            python(FLOOR, str(Path(tmp) / "floor.sqlite3"), str(n)),
        )
        ours.runs.append(run_once(ours.argv, env))
        floor.runs.append(run_once(floor.argv, env))
    seconds = ours.seconds
    verdict = "met" if seconds <= GOAL_SECONDS else "NOT MET"
    result = Result(
        f"demo county, {n:,} activities",
        ours,
        floor,
        # The goal is a time; as a ratio to this run's floor, so `met` means within it.
        goal=GOAL_SECONDS / floor.seconds,
        note=f"{n / seconds:,.0f} activities/s; goal ≤ {GOAL_SECONDS:.0f} s: {verdict}",
    )
    print(result.line(), flush=True)
    return result


def run(quick: bool) -> list[Result]:
    return [measure(10_000 if quick else 1_000_000)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 activities only")
    args = parser.parse_args()
    run(args.quick)


if __name__ == "__main__":
    main()
