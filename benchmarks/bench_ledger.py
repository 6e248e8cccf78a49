"""活动台账 at a million activities: every filter as fast as at a hundred, in little memory.

Two paths, each a whole process beside the same process on the
100-activity demo (benchmarks/harness.py):

- filters: the service probe opens the database and, for each filter the
  page offers (all; a year; a unit; a type and a quarter; a task; a group;
  a place; a 3-character and a 2-character text search), reads what the page
  reads when the filter changes: the count and the first page of 200 rows.
  Goal 1.2×. Each filter's own seconds at both sizes are printed after.
- memory: the window probe opens the main window offscreen, shows 活动台账,
  waits for the first rows, presses Ctrl+End and waits for the true last
  rows, filters by a unit, searches a word, and quits. Its peak resident
  memory must stay under 400 MB; its time beside the small demo is shown
  for reference.

Quick mode: 20,000 activities instead of 1,000,000. Run alone:
`python -m benchmarks.bench_ledger [--quick]`.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from benchmarks.demo_db import cached_demo
from benchmarks.harness import ROOT, Result, Side, compare, environment, python

SMALL = 100
MEMORY_MB = 400

# The filters, by the names the demo county gives them; the probe resolves
# them to ids, so both sizes run the very same filters.
FILTERS = """
from datetime import date
from desktop.services.activities import ActivityFilter

def filters(svc):
    units = {u.name: u.id for u in svc.reference.units()}
    types = {t.code: t.id for t in svc.reference.activity_types()}
    groups = {g.name: g.id for g in svc.reference.groups()}
    places = {p.name: p.id for p in svc.reference.places()}
    tasks = {t.code: t for t in svc.plans.tasks()}
    task = tasks["A2.1"]  # one the demo's activities serve (its first task has none)
    return [
        ("all", ActivityFilter()),
        ("year 2025", ActivityFilter(start=date(2025, 1, 1), end=date(2025, 12, 31))),
        ("unit 市科协", ActivityFilter(unit_id=units["市科协"])),
        ("type 科普讲座 + 2024Q3", ActivityFilter(
            start=date(2024, 7, 1), end=date(2024, 9, 30), type_id=types["lecture"])),
        (f"task {task.code}", ActivityFilter(task_id=task.id)),
        ("group 青少年", ActivityFilter(group_id=groups["青少年"])),
        ("place 景芝镇", ActivityFilter(place_id=places["景芝镇"])),
        ("text 科普展 (3 characters)", ActivityFilter(text="科普展")),
        ("text 演练 (2 characters)", ActivityFilter(text="演练")),
    ]
"""

SERVICE_PROBE = (
    FILTERS
    + """
import json, sys, time
from desktop.services import Services

svc = Services.open(sys.argv[1], daily_backup=False)
seconds = {}
for label, flt in filters(svc):
    started = time.perf_counter()
    count = svc.activities.count(flt)
    if count:  # as the page reads it: no page for a filter nothing matches
        assert len(svc.activities.rows(flt, 0, min(count, 200))) == min(count, 200), label
    seconds[label] = time.perf_counter() - started
svc.close()
if sys.argv[2:] == ["--report"]:
    print(json.dumps(seconds))
"""
)

WINDOW_PROBE = """
import sys, time
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from desktop.ui.app import application, open_for_window
from desktop.ui.events import pump
from desktop.ui.main_window import MainWindow
from desktop.ui.widgets import Loader

app = application()
services, lock = open_for_window(sys.argv[1])
window = MainWindow(services)
window.resize(1366, 768)
window.show()
ledger = window.show_page("活动台账")
model = ledger.model
deadline = time.monotonic() + 600

def until(done):
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit("the ledger did not answer within 10 minutes")
        pump(10)

def settled():
    return not any(loader.busy for loader in ledger.findChildren(Loader))

until(lambda: settled() and model.row_data(0) is not None)
ledger.table.setFocus()
QTest.keyClick(ledger.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
until(lambda: model.row_data(model.rowCount() - 1) is not None)
assert ledger.selected_id() == model.activity_id(model.rowCount() - 1)
ledger.unit.setCurrentIndex(ledger.unit.findText("市科协"))
until(lambda: settled() and ledger.totals is not None and model.row_data(0) is not None)
ledger.search.setText("科普展")
ledger.search.flush()
until(lambda: settled() and ledger.totals is not None)
assert model.total == ledger.totals.activities
window.close()
services.close()
if lock is not None:
    lock.release()
"""


def _pad(text: str, width: int) -> str:
    """Left-aligned in a fixed-width column, a Chinese character taking two places."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(0, width - len(text) - wide)


def _report(demo: Path, env: dict[str, str]) -> dict[str, float]:
    """Each filter's own seconds (count + first page), from one more run of the probe."""
    done = subprocess.run(
        python(SERVICE_PROBE, str(demo), "--report"),
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def run(quick: bool) -> list[Result]:
    large = 20_000 if quick else 1_000_000
    runs = 3 if quick else 5
    big, small = cached_demo(large), cached_demo(SMALL)
    results = []
    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        env = environment({"KEPU_DATA_DIR": str(Path(tmp) / "data")})
        results.append(
            compare(
                f"活动台账 filters: count + first page of 9 filters at {large:,} activities",
                Side(f"{large:,} activities", python(SERVICE_PROBE, str(big))),
                Side(f"{SMALL:,} activities", python(SERVICE_PROBE, str(small))),
                goal=1.2,
                runs=runs,
                env=env,
            )
        )
        ours, floor = _report(big, env), _report(small, env)
        print(f"    {_pad('filter', 30)} {large:>10,} {SMALL:>8,}   (seconds in the probe)")
        for label, seconds in ours.items():
            print(f"    {_pad(label, 30)} {seconds:10.3f} {floor[label]:8.3f}")
        memory = compare(
            f"活动台账 window: open, Ctrl+End, filter, search at {large:,} activities",
            Side(f"{large:,} activities", python(WINDOW_PROBE, str(big))),
            Side(f"{SMALL:,} activities", python(WINDOW_PROBE, str(small))),
            goal=math.inf,
            runs=runs,
            memory_goal_mb=MEMORY_MB,
            env=env,
            note="time for reference; the goal is the peak memory",
        )
        print(f"    peak memory {memory.ours.peak_mb / memory.floor.peak_mb:.2f}× the small demo's")
        results.append(memory)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="20,000 activities instead of 1,000,000"
    )
    run(parser.parse_args().quick)


if __name__ == "__main__":
    main()
