"""Long work off the GUI thread, with a progress dialog and a cancel button.

A job is a plain function `job(report) -> result`, where `report(done, total)`
returns False once the user has pressed cancel; the job then stops at its
next check. Services stay Qt-free: they only ever see that callable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

Report = Callable[[int, int], bool]
Job = Callable[[Report], Any]


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self.cancelled = False

    def run(self) -> None:
        def report(done: int, total: int) -> bool:
            self.progressed.emit(done, total)
            return not self.cancelled

        try:
            result = self._job(report)
        except Exception as exc:  # the GUI shows it; nothing may escape a thread
            self.failed.emit(exc)
        else:
            self.finished.emit(result)


class Task(QObject):
    """Runs one job in a QThread; emits `done(result)` or `error(exception)`."""

    done = Signal(object)
    error = Signal(object)
    progressed = Signal(int, int)  # emitted on the GUI thread: slots may touch widgets

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._worker = _Worker(job)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        # Through a slot of this GUI-thread object, so the connection is queued: a
        # plain function connected to the worker's signal would run on the worker
        # thread and drive the progress dialog from there (Qt warnings, then a crash).
        self._worker.progressed.connect(self._on_progressed)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._worker.cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._worker.cancelled

    def wait(self, ms: int = 60_000) -> bool:
        return self._thread.wait(ms)

    def _stop_thread(self) -> None:
        self._thread.quit()
        self._thread.wait()

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    def _on_finished(self, result: object) -> None:
        self._stop_thread()
        self.done.emit(result)

    def _on_failed(self, exc: object) -> None:
        self._stop_thread()
        self.error.emit(exc)


def run_with_progress(
    parent: QWidget,
    title: str,
    job: Job,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> Task:
    """Start `job` with a modal progress dialog that can cancel it."""
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task = Task(job, parent)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def finished(result: object) -> None:
        dialog.close()
        on_done(result)

    def failed(exc: object) -> None:
        dialog.close()
        on_error(exc)  # type: ignore[arg-type]

    task.progressed.connect(progressed)
    task.done.connect(finished)
    task.error.connect(failed)
    dialog.canceled.connect(task.cancel)
    task.start()
    return task
