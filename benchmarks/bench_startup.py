"""Start to first window: the program beside a bare PySide6 window, as whole processes in turn.

Ours is `kepu --db DEMO smoke --first-window`: the program's own entry
point opens the demo county, shows the main window and stops once the first
page is on screen with its figures (the daily backup, made off the GUI
thread after that, is left out: it keeps nobody waiting). Both run from
compiled bytecode, as a second start does. The floor creates
a QApplication, shows a QMainWindow with a label and quits. Goal 2×, on the
3,000-activity demo and on the 1,000,000-activity one (not with --quick).
Run alone: `python -m benchmarks.bench_startup [--quick]`.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.demo_db import cached_demo
from benchmarks.harness import Result, Side, compare, environment, kepu, python

FLOOR = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("科普台账"))
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def run(quick: bool) -> list[Result]:
    sizes = [3_000] if quick else [3_000, 1_000_000]
    results = []
    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        env = environment({"KEPU_DATA_DIR": str(Path(tmp) / "data")})
        # As an installed program starts the second time: from compiled bytecode
        # (the bundle ships it), not from our sixty modules' source.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for size in sizes:
            demo = cached_demo(size)
            ours = Side(f"{size:,} activities", kepu("--db", str(demo), "smoke", "--first-window"))
            floor = Side("bare PySide6 window", python(FLOOR))
            path = f"start to first window, {size:,} activities"
            results.append(compare(path, ours, floor, goal=2.0, runs=3 if quick else 7, env=env))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 3,000-activity demo only")
    run(parser.parse_args().quick)


if __name__ == "__main__":
    main()
