"""One shape for every benchmark: our path beside its bare floor, alternating, as whole processes.

A shared machine's speed drifts, so absolute seconds mean little; the ratio
of two commands timed in turn (ours, floor, ours, floor …) in the same run
holds. Each side is a whole process, timed from start to exit, with its
peak resident memory read from the kernel (`wait4`'s rusage), so what the
user waits for and what the machine must hold are both measured.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    seconds: float
    peak_mb: float


@dataclass
class Side:
    """One command, and what each of its runs took."""

    label: str
    argv: list[str]
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)


@dataclass
class Result:
    """A row of the benchmark table: our path, its floor, the ratio and the goal."""

    path: str
    ours: Side
    floor: Side
    goal: float
    memory_goal_mb: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours.seconds / self.floor.seconds

    @property
    def met(self) -> bool:
        within_memory = self.memory_goal_mb is None or self.ours.peak_mb <= self.memory_goal_mb
        return self.ratio <= self.goal and within_memory

    def line(self) -> str:
        memory = f", ≤ {self.memory_goal_mb:.0f} MB" if self.memory_goal_mb else ""
        verdict = "met" if self.met else "NOT MET"
        text = (
            f"{self.path}\n"
            f"    ours   {self.ours.seconds:8.2f} s  peak {self.ours.peak_mb:7.0f} MB  {self.ours.label}\n"
            f"    floor  {self.floor.seconds:8.2f} s  peak {self.floor.peak_mb:7.0f} MB  {self.floor.label}\n"
            f"    ratio  {self.ratio:8.2f}×   goal ≤ {self.goal:g}×{memory}: {verdict}"
        )
        return text + (f"\n    {self.note}" if self.note else "")


def python(code_or_module: str, *args: str, module: bool = False) -> list[str]:
    """argv for this interpreter running a snippet (or `-m module`) with arguments."""
    flag = "-m" if module else "-c"
    return [sys.executable, flag, code_or_module, *args]


def kepu(*args: str) -> list[str]:
    """argv for the `kepu` command line, as the office would run it."""
    return [sys.executable, "-m", "desktop", *args]


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's second start has its bytecode cached
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra or {})
    return env


def run_once(argv: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Start, wait, and read the seconds and the kernel's peak RSS of the whole process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        env=env or environment(),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} exited {proc.returncode}:\n{errors.decode(errors='replace')[-3000:]}"
        )
    return Run(seconds, usage.ru_maxrss / 1024)


def compare(
    path: str,
    ours: Side,
    floor: Side,
    goal: float,
    runs: int = 3,
    memory_goal_mb: float | None = None,
    env: dict[str, str] | None = None,
    warm_up: bool = True,
    note: str = "",
) -> Result:
    """Time `ours` and `floor` in turn, `runs` times each, after one untimed run of each."""
    if warm_up:  # bytecode, page cache and font caches, as a second start has them
        run_once(ours.argv, env)
        run_once(floor.argv, env)
    for _ in range(runs):
        ours.runs.append(run_once(ours.argv, env))
        floor.runs.append(run_once(floor.argv, env))
    result = Result(path, ours, floor, goal, memory_goal_mb, note)
    print(result.line(), flush=True)
    return result
