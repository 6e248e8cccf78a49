"""Start to first window: the program beside a bare PySide6 window, in the same run.

Each side is a whole process, started in turn (ours, bare, ours, bare …) so
the ratio holds while the machine's speed drifts. Ours opens a demo database
(built once, default 3,000 activities) and shows the main window, exactly as
`kepu --db FILE` does, then quits once the window is on screen; the floor
creates a QApplication, shows a QMainWindow with a label and quits. Prints
the medians and their ratio; asserts nothing. Run:

    .venv/bin/python -m benchmarks.bench_startup [--activities N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from benchmarks.demo_db import demo_database

OURS = """
import sys
from PySide6.QtCore import QTimer
from desktop.ui.app import application, open_for_window
from desktop.ui.main_window import MainWindow
app = application()
services, lock = open_for_window(sys.argv[1])
window = MainWindow(services)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
services.close()
lock.release()
"""

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


def _timed(code: str, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with demo_database(args.activities) as db_path:
        _timed(OURS, str(db_path))  # warm-up: bytecode and font caches, as a second start has
        _timed(FLOOR)
        ours, floor = [], []
        for _ in range(args.runs):
            ours.append(_timed(OURS, str(db_path)))
            floor.append(_timed(FLOOR))
        a, b = statistics.median(ours), statistics.median(floor)
        print(
            f"start to first window, {args.activities:,} activities: {a:.2f} s (median of {args.runs})"
        )
        print(f"bare PySide6 window:                     {b:.2f} s")
        print(f"ratio: {a / b:.1f}×")


if __name__ == "__main__":
    main()
