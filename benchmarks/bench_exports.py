"""How long the return workbook and the annual summary take on a large county.

Builds a demo database (default 50,000 activities over 2021–2025, so about
12,000 in 2025) in a temporary folder, then times each export of one year.
Prints seconds; asserts nothing. Run:

    python -m benchmarks.bench_exports [--activities N] [--year YYYY]
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

from benchmarks.demo_db import demo_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=50_000)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    started = time.perf_counter()
    with demo_database(args.activities) as path:
        from desktop.exporting.return_pdf import export_return_pdf
        from desktop.exporting.return_workbook import export_return
        from desktop.exporting.summary_pdf import export_summary
        from desktop.services import Services
        from desktop.services.periods import year_period

        print(
            f"demo database, {args.activities:,} activities: {time.perf_counter() - started:.1f} s"
        )

        tmp = path.parent  # the outputs go beside the database
        services = Services.open(path)
        period = year_period(args.year)
        rows = services.reports.ledger_count(period)
        print(f"{args.year}: {rows:,} activities in the ledger")

        for label, run in (
            (
                "return workbook (.xlsx)",
                lambda: export_return(services, period, Path(tmp) / "r.xlsx"),
            ),
            ("summary PDF", lambda: export_summary(services, args.year, Path(tmp) / "s.pdf")),
            (
                "printable 进展统计表 PDF",
                lambda: export_return_pdf(services, period, Path(tmp) / "m.pdf"),
            ),
        ):
            started = time.perf_counter()
            out = run()
            seconds = time.perf_counter() - started
            size = out.stat().st_size / 1e6
            print(f"{label}: {seconds:.1f} s, {size:.1f} MB")
        info = subprocess.run(["pdfinfo", str(Path(tmp) / "s.pdf")], capture_output=True, text=True)
        pages = next(
            (ln.split()[-1] for ln in info.stdout.splitlines() if ln.startswith("Pages")), "?"
        )
        print(f"summary pages: {pages}")
        services.close()


if __name__ == "__main__":
    main()
