"""Start to first window: the program beside a bare PySide6 window, as whole processes in turn.

Two rows per demo county, both from the program's own entry point and both
beside the same floor (a QApplication that shows a QMainWindow with a label
and quits):

- to the frame, goal 2×: `kepu --db DEMO smoke --frame-only` shows the main
  window's frame (title, navigation, "正在打开数据库…") as every start does
  and quits once it is on screen, as the floor quits once its window is.
  Nothing of the database is read before the frame, so this is the same
  at any size; the note gives the frame's time in a whole start (with the
  database opening behind it), as that start reports it.
- to the first page's figures, goal 4×: `kepu --db DEMO smoke
  --first-window` goes on to open the database off the GUI thread, fill the
  window and wait for the dashboard's figures (the day's backup, made after
  that, is left out: it keeps nobody waiting).

Both run from compiled bytecode, as a second start does. On the
3,000-activity demo and on the 1,000,000-activity one (not with --quick).
Run alone: `python -m benchmarks.bench_startup [--quick]`.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import tempfile
from pathlib import Path

from benchmarks.demo_db import cached_demo
from benchmarks.harness import ROOT, Result, Side, compare, environment, kepu, python

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

# What `kepu smoke --first-window` says: 窗口显示用时 A 秒，首页数据用时 B 秒（…数据库在 C 秒时已打开…）
REPORTED = re.compile(r"窗口显示用时 ([\d.]+) 秒，首页数据用时 ([\d.]+) 秒.*数据库在 ([\d.]+) 秒")


def reported(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float, float]:
    """Median seconds from process start to the frame, the figures and the open database,
    as the start itself reports them."""
    seen = []
    for _ in range(runs):
        done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
        match = REPORTED.search(done.stdout)
        if match is None:
            raise RuntimeError(f"no start-up figures in: {done.stdout!r}")
        seen.append(tuple(float(x) for x in match.groups()))
    frame, figures, opened = (statistics.median(s[i] for s in seen) for i in range(3))
    return frame, figures, opened


def run(quick: bool) -> list[Result]:
    sizes = [3_000] if quick else [3_000, 1_000_000]
    runs = 3 if quick else 7
    results = []
    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        env = environment({"KEPU_DATA_DIR": str(Path(tmp) / "data")})
        # As an installed program starts the second time: from compiled bytecode
        # (the bundle ships it), not from our sixty modules' source.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for size in sizes:
            demo = str(cached_demo(size))
            whole = kepu("--db", demo, "smoke", "--first-window")
            frame, figures, opened = reported(whole, env, runs)
            results.append(
                compare(
                    f"start to the window's frame, {size:,} activities",
                    Side(f"{size:,} activities", kepu("--db", demo, "smoke", "--frame-only")),
                    Side("bare PySide6 window", python(FLOOR)),
                    goal=2.0,
                    runs=runs,
                    env=env,
                    note=f"ours quits once the frame is on screen; in a whole start it is on "
                    f"screen {frame:.2f} s after launch (median, as the start reports it)",
                )
            )
            results.append(
                compare(
                    f"start to the first page's figures, {size:,} activities",
                    Side(f"{size:,} activities", whole),
                    Side("bare PySide6 window", python(FLOOR)),
                    goal=4.0,
                    runs=runs,
                    env=env,
                    note=f"as the start reports it (median): frame {frame:.2f} s, database open "
                    f"{opened:.2f} s, figures {figures:.2f} s after launch",
                )
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 3,000-activity demo only")
    run(parser.parse_args().quick)


if __name__ == "__main__":
    main()
