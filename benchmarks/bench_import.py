"""Collection import: `kepu collection import` of a filled workbook beside openpyxl reading it.

The workbook is the program's own collection template for one unit of the
demo county (市科协, the year 2025), filled with N activity rows the way a
unit fills it in, built once per size and cached in `benchmarks/.cache/`.
Ours imports it into a fresh copy of the small demo county, as a whole
`kepu` process (read, check every row, back up, write, recount the month
totals, commit); the floor is a bare Python process that opens the same file
with `openpyxl.load_workbook(read_only=True)` and reads every row's values.
Goal: ≤ 2×. Run:

    .venv/bin/python -m benchmarks.bench_import [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks.demo_db import cache_entry, cached_demo
from benchmarks.harness import ROOT, Result, Side, compare, environment, kepu, python

DEMO = 3000
UNIT = "市科协"
PERIOD = "2025"
GOAL = 2.0

FLOOR = """
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], read_only=True)
rows = 0
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        rows += 1
wb.close()
"""

PLACES = ["兴安街道", "新安街道", "景芝镇", "凌河街道", "官庄镇", "大盛镇", "石堆镇", "柘山镇"]
TYPES = ["科普讲座", "实用技术培训", "青少年科技活动", "科普展览", "应急科普/演练", "科技志愿服务"]
GROUPS = ["社会公众", "农民", "青少年", "老年人", "社区居民"]


def _version() -> str:
    """A digest of what decides the workbook: this builder and the template writer."""
    digest = hashlib.sha256()
    for source in (
        Path(__file__),
        ROOT / "desktop" / "exporting" / "collection_template.py",
        ROOT / "desktop" / "collection_layout.py",
    ):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def _rows(n: int) -> list[list[object]]:
    """N believable, distinct activities of one unit over 2025, as a unit types them."""
    rng = random.Random(n)
    first = date(2025, 1, 1)
    rows = []
    for i in range(n):
        day = first + timedelta(days=rng.randrange(365))
        place = rng.choice(PLACES)
        participants = rng.randint(20, 800)
        rows.append(
            [
                day if i % 3 else day.isoformat(),  # date cells and typed dates, as both arrive
                None,
                f"{place}{rng.choice(TYPES)}第{i + 1}场",
                rng.choice(TYPES),
                place,
                None,
                "、".join(rng.sample(GROUPS, rng.randint(1, 2))),
                None,
                participants,
                participants // 2,
                participants // 3,
                rng.choice([1, 1, 2]),
                rng.choice([0, 2, 5]),
                float(rng.choice([0, 4, 10])),
                float(rng.randrange(0, 5000, 50)),
                "",
                f"{place}新时代文明实践所组织开展，参加 {participants} 人次。",
            ]
        )
    return rows


def collection_workbook(n: int) -> Path:
    """The demo unit's collection template filled with `n` activity rows (built once, cached)."""
    path = cache_entry("collection", n, _version(), ".xlsx")
    if path.exists():
        return path
    from openpyxl import load_workbook

    from desktop.collection_layout import ACTIVITY_SHEET, FIRST_DATA_ROW
    from desktop.exporting.collection_template import write_template
    from desktop.services import Services

    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        db = Path(tmp) / "demo.sqlite3"
        shutil.copy(cached_demo(DEMO), db)
        services = Services.open(db)
        try:
            unit = next(u.id for u in services.reference.units() if u.name == UNIT)
            template = write_template(
                services.imports.template_spec(unit, PERIOD), Path(tmp) / "template.xlsx"
            )
            tasks = [t.code for t in services.imports.template_spec(unit, PERIOD).tasks]
        finally:
            services.close()
        wb = load_workbook(template)
        ws = wb[ACTIVITY_SHEET]
        rng = random.Random(-n)
        for offset, values in enumerate(_rows(n)):
            values[5] = rng.choice(tasks) if tasks else None
            for col, value in enumerate(values, start=1):
                if value is not None and value != "":
                    cell = ws.cell(FIRST_DATA_ROW + offset, col, value)
                    if isinstance(value, str):
                        cell.data_type = "s"
        part = path.with_suffix(".part")
        wb.save(part)
        part.rename(path)
    return path


def measure(n: int, runs: int) -> Result:
    book = collection_workbook(n)
    demo = cached_demo(DEMO)
    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        db = Path(tmp) / "county.sqlite3"
        # A fresh copy before every run of ours: `cp` and then the import, in one process chain.
        ours = Side(
            "kepu collection import (fresh copy of the demo county each run)",
            python(
                "import shutil, sys; shutil.copy(sys.argv[1], sys.argv[2]);"
                "from desktop.cli import main; sys.exit(main(['--db', sys.argv[2], "
                "'collection', 'import', sys.argv[3]]))",
                str(demo),
                str(db),
                str(book),
            ),
        )
        floor = Side("openpyxl.load_workbook(read_only=True), every row", python(FLOOR, str(book)))
        env = environment({"KEPU_DATA_DIR": str(Path(tmp) / "data")})
        return compare(
            f"collection import, {n:,} rows",
            ours,
            floor,
            GOAL,
            runs=runs,
            env=env,
            note=f"argv of ours: {' '.join(kepu('--db', 'COPY', 'collection', 'import', book.name))}",
        )


def run(quick: bool) -> list[Result]:
    sizes = [1_000] if quick else [10_000, 100_000]
    return [measure(n, runs=1 if quick or n >= 100_000 else 3) for n in sizes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 rows only")
    args = parser.parse_args()
    run(args.quick)


if __name__ == "__main__":
    main()
