"""How the activity ledger behaves at 1,000,000 activities.

Builds the demo county with a million activities (Core inserts, through the
FTS triggers) in a temporary folder, then times what the ledger page does:
count, the first page, filters, text search (trigram index and LIKE),
totals, and the progress report. Prints seconds; asserts nothing. Run:

    python -m benchmarks.bench_ledger [--activities N] [--keep FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any


def timed(label: str, run: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - started
    shown = f"{result:,}" if isinstance(result, int) else type(result).__name__
    print(f"{label:<46} {elapsed:8.3f} s   ({shown})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--keep", help="copy the built database here for later runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        os.environ["KEPU_DATA_DIR"] = str(Path(tmp) / "data")
        from desktop.db import Database
        from desktop.services import Services
        from desktop.services.activities import ActivityFilter
        from desktop.services.demo import build_demo
        from desktop.services.periods import parse_period

        path = Path(tmp) / "bench.sqlite3"
        db = Database.open(path)
        last = [0.0]
        started = time.perf_counter()

        def progress(done: int, total: int) -> bool:
            now = time.perf_counter()
            if now - last[0] > 10 or done == total:
                print(f"  building … {done:,}/{total:,} ({now - started:.0f} s)", flush=True)
                last[0] = now
            return True

        build_demo(db, activities=args.activities, progress=progress)
        db.close()
        print(
            f"demo database, {args.activities:,} activities: {time.perf_counter() - started:.1f} s"
        )
        print(f"file size: {path.stat().st_size / 1024 / 1024:,.0f} MB")
        if args.keep:
            shutil.copy(path, args.keep)

        svc = Services.open(path)
        act = svc.activities
        units = {u.name: u.id for u in svc.reference.units()}
        types = {t.code: t.id for t in svc.reference.activity_types()}
        y2025 = parse_period("2025")
        everything = ActivityFilter()
        cases: list[tuple[str, ActivityFilter]] = [
            ("all", everything),
            ("year 2025", ActivityFilter(start=y2025.start, end=y2025.end)),
            ("unit 市科协", ActivityFilter(unit_id=units["市科协"])),
            (
                "type 科普讲座, 2024Q3",
                ActivityFilter(
                    start=date(2024, 7, 1), end=date(2024, 9, 30), type_id=types["lecture"]
                ),
            ),
            ("text 电信诈骗 (trigram index)", ActivityFilter(text="电信诈骗")),
            ("text 景芝镇 (trigram index)", ActivityFilter(text="景芝镇")),
            ("text 演练 (2 characters: LIKE)", ActivityFilter(text="演练")),
            ("text + year 2025", ActivityFilter(text="科普讲座", start=y2025.start, end=y2025.end)),
            ("has evidence", ActivityFilter(has_evidence=True)),
        ]
        for label, flt in cases:
            timed(f"count: {label}", lambda flt=flt: act.count(flt))
            timed(f"first page (100 rows): {label}", lambda flt=flt: act.rows(flt, 0, 100))
            timed(f"totals: {label}", lambda flt=flt: act.totals(flt))
        timed("page at offset 500,000 by date", lambda: act.rows(everything, 500_000, 100))
        timed("first page sorted by title", lambda: act.rows(everything, 0, 100, "title", False))
        timed("progress.report(2025)", lambda: svc.progress.report(date(2025, 12, 31), y2025))
        timed("progress.report(2024Q3)", lambda: svc.progress.report(period=parse_period("2024Q3")))
        svc.close()


if __name__ == "__main__":
    main()
