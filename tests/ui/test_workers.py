"""Long jobs run off the GUI thread, but their progress reaches widgets on the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.ui.workers import run_with_progress


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
