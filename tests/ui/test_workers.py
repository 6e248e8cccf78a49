"""Long jobs run off the GUI thread, but their progress reaches widgets on the GUI thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.ui.workers import Task, run_with_progress, running_tasks, stop_all


def test_progress_is_delivered_on_the_gui_thread(qtbot):
    """A progress dialog driven from the worker thread warns, then crashes (seen exporting a summary)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    threads: list[str] = []
    results: list[object] = []

    def job(report):
        for i in range(20):
            report(i, 20)
        return "ok"

    task = run_with_progress(parent, "正在导出", job, results.append, results.append)
    task.progressed.connect(lambda _done, _total: threads.append(threading.current_thread().name))
    qtbot.waitUntil(lambda: bool(results))
    assert results == ["ok"]
    assert threads and set(threads) == {threading.main_thread().name}
    dialog = parent.findChild(QProgressDialog)
    assert dialog is not None and not dialog.isVisible()


def _slow_job(started: threading.Event, steps: list[int]):
    def job(report):
        started.set()
        for i in range(10_000):
            steps.append(i)
            if not report(i, 10_000):
                return "cancelled"
            time.sleep(0.001)
        return "finished"

    return job


def test_closing_the_owner_cancels_its_job_and_drops_the_result(qtbot):
    """The owner's window closes mid-job: the thread ends by itself, nothing reaches dead widgets."""
    owner = QWidget()
    started = threading.Event()
    steps: list[int] = []
    delivered: list[object] = []
    task = Task(_slow_job(started, steps), owner)
    task.done.connect(delivered.append)
    task.start()
    assert started.wait(5)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert task.cancelled and len(steps) < 10_000
    assert delivered == [] and running_tasks() == []


def test_stop_all_cancels_and_waits_for_every_job(qtbot):
    started = threading.Event()
    steps: list[int] = []
    results: list[object] = []
    tasks = [Task(_slow_job(started, steps)) for _ in range(3)]
    for task in tasks:
        task.done.connect(results.append)
        task.start()
    assert started.wait(5)
    assert stop_all(timeout_s=10)
    assert running_tasks() == []
    assert results == ["cancelled"] * 3  # results already on their way are still delivered
