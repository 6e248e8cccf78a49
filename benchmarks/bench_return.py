"""The return workbook (`kepu export return`) beside a bare openpyxl write-only floor.

Ours is the command an office runs, `kepu --db COPY export return --period
2025 --out FILE`, on a scratch copy of the cached demo county: every sheet,
styled, the 活动明细 ledger streamed from the database. The floor is a
Python process that writes as many rows × columns as that ledger has
(2025's activity count, counted in the same database first) with openpyxl's
write-only mode and plain values, and nothing else: no database, no styles,
no other sheets. Its values are the ledger's first 1,000 rows, over and over
(one row repeated would compress far better than a ledger does, and the
compressor is a good part of the time). Both are whole processes, timed in
turn with their peak memory (benchmarks.harness).

Goal: ours within 1.5× the floor and under 400 MB. Prints the table;
asserts nothing. Run:

    .venv/bin/python -m benchmarks.bench_return          # 100,000 and 1,000,000 activities
    .venv/bin/python -m benchmarks.bench_return --quick  # 3,000 activities
    .venv/bin/python -m benchmarks.bench_return --db FILE  # a copy of this database instead
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from benchmarks.demo_db import demo_copy
from benchmarks.harness import ROOT, Result, Side, compare, environment, kepu, python

PERIOD = "2025"
GOAL = 1.5
MEMORY_GOAL_MB = 400.0

SAMPLE_ROWS = 1000

FLOOR = """
import json, sys
from datetime import date
from openpyxl import Workbook
rows, sample, out = int(sys.argv[1]), json.load(open(sys.argv[2], encoding="utf-8")), sys.argv[3]
sample = [[date.fromisoformat(v[5:]) if isinstance(v, str) and v.startswith("date:") else v
           for v in row] for row in sample]
wb = Workbook(write_only=True)
ws = wb.create_sheet("活动明细")
for i in range(rows):
    row = sample[i % len(sample)]
    row[0] = i + 1
    ws.append(row)
wb.save(out)
"""


def _ledger(db: Path, sample_file: Path) -> int:
    """2025's activity count; its first ledger rows, as plain values, go to `sample_file`.

    Read in a child process, so the benchmark process itself stays small: a
    child forked from it starts with its memory, and the kernel's peak for
    the child would count it.
    """
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_return", "--sample", str(db), str(sample_file)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment(),
    ).stdout
    return int(out)


def _sample(db: Path, sample_file: Path) -> int:
    """2025's activity count, and its first SAMPLE_ROWS ledger rows written to `sample_file`."""
    from itertools import islice

    from desktop.services import Services
    from desktop.services.periods import parse_period

    services = Services.open(db)  # also brings the copy to the current schema, untimed
    try:
        period = parse_period(PERIOD)
        count = services.reports.ledger_count(period)
        rows = [
            [n, *r[1:]]  # a ledger row is its sheet row, the activity id in the place of 序号
            for n, r in enumerate(islice(services.reports.ledger_rows(period), SAMPLE_ROWS), 1)
        ]
    finally:
        services.close()
    plain = [[f"date:{v.isoformat()}" if isinstance(v, date) else v for v in r] for r in rows]
    sample_file.write_text(json.dumps(plain or [[None] * 20], ensure_ascii=False), "utf-8")
    return count


@contextmanager
def _copy_of(db: Path) -> Iterator[Path]:
    """A scratch copy of an existing database (its own data folder), removed after."""
    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        copy = Path(tmp) / "bench.sqlite3"
        shutil.copy(db, copy)
        os.environ["KEPU_DATA_DIR"] = str(Path(tmp) / "data")
        yield copy


def bench(activities: int, runs: int, warm_up: bool = True, source: Path | None = None) -> Result:
    """Ours beside the floor on the demo county of `activities`, or on a copy of `source`."""
    label = f"{activities:,} activities" if source is None else source.name
    scratch = demo_copy(activities) if source is None else _copy_of(source)
    with scratch as db, tempfile.TemporaryDirectory(prefix="kepu-return-") as tmp:
        sample = Path(tmp) / "sample.json"
        rows = _ledger(db, sample)
        ours = Side(
            f"kepu export return --period {PERIOD} ({rows:,} ledger rows)",
            kepu("--db", str(db), "export", "return", "--period", PERIOD, "--out", f"{tmp}/r.xlsx"),
        )
        floor = Side(
            f"openpyxl write_only, {rows:,} rows × 20 plain values",
            python(FLOOR, str(rows), str(sample), f"{tmp}/f.xlsx"),
        )
        return compare(
            f"return workbook, {label}",
            ours,
            floor,
            GOAL,
            runs=runs,
            memory_goal_mb=MEMORY_GOAL_MB,
            warm_up=warm_up,
        )


def run(quick: bool) -> list[Result]:
    """Quick: the 3,000-activity demo; full: 100,000 and 1,000,000 activities."""
    if quick:
        return [bench(3_000, runs=3)]
    return [bench(100_000, runs=3), bench(1_000_000, runs=2)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3,000 activities only")
    parser.add_argument("--db", type=Path, help="a copy of this database instead of the demo")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each side (with --db)")
    parser.add_argument("--sample", nargs=2, type=Path, help=argparse.SUPPRESS)  # _ledger's child
    args = parser.parse_args()
    if args.sample:
        print(_sample(*args.sample))
        return
    results = [bench(0, args.runs, source=args.db)] if args.db else run(args.quick)
    print("all goals met" if all(r.met for r in results) else "some goals NOT MET")


if __name__ == "__main__":
    main()
