"""Long work off the GUI thread, with a progress dialog and a cancel button.

A job is a plain function `job(report) -> result`, where `report(done, total)`
returns False once the user has pressed cancel; the job then stops at its
next check. Services stay Qt-free: they only ever see that callable.

Every running job is kept in one registry until its thread has ended, so no
QThread is ever destroyed while it runs (Qt aborts the program when one is):
a job outlives the widget that started it — the widget's closing only cancels
it and drops its result — and `stop_all` cancels and waits for every job
when the main window closes and when the application quits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.ui.events import pump

Report = Callable[[int, int], bool]
Job = Callable[[Report], Any]

_running: set[Task] = set()
_current = threading.local()


class _JobThread(QThread):
    """Runs one job and keeps its result or failure for the GUI thread to collect."""

    progressed = Signal(int, int)
    waiting = Signal(float)  # seconds waited for the database; negative once the wait is over

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self.cancelled = False
        self.result: object = None
        self.failure: BaseException | None = None

    def run(self) -> None:
        def report(done: int, total: int) -> bool:
            self.progressed.emit(done, total)
            return not self.cancelled

        _current.job = self
        try:
            self.result = self._job(report)
        except Exception as exc:  # the GUI shows it; nothing may escape a thread
            self.failure = exc
        finally:
            _current.job = None


def current_job() -> _JobThread | None:
    """The job running on this thread, if this is a job's thread."""
    return getattr(_current, "job", None)


class Task(QObject):
    """Runs one job in its own thread; emits `done(result)` or `error(exception)` on the GUI thread.

    `owner` is the widget (or other object) the job works for: once it is
    destroyed the job is cancelled and its result is not delivered.
    """

    done = Signal(object)
    error = Signal(object)
    progressed = Signal(int, int)  # emitted on the GUI thread: slots may touch widgets
    waiting = Signal(float)  # the job waits for another program's write (seconds; < 0: over)

    def __init__(self, job: Job, owner: QObject | None = None) -> None:
        super().__init__()
        self._orphaned = False
        self._thread = _JobThread(job)
        # Through slots of this GUI-thread object, so the connections are queued:
        # a plain function connected to the thread's signal would run on the
        # worker thread and drive widgets from there (Qt warnings, then a crash).
        self._thread.progressed.connect(self._on_progressed)
        self._thread.waiting.connect(self._on_waiting)
        self._thread.finished.connect(self._on_finished)
        if owner is not None:
            owner.destroyed.connect(self._on_owner_destroyed)

    def start(self) -> None:
        _running.add(self)
        self._thread.start()

    def cancel(self) -> None:
        self._thread.cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._thread.cancelled

    @property
    def running(self) -> bool:
        return self in _running

    def wait(self, ms: int = 60_000) -> bool:
        """Block until the thread has ended; its result is delivered by the event loop after."""
        return self._thread.wait(ms)

    @Slot()
    def _on_owner_destroyed(self) -> None:
        self._orphaned = True
        self.cancel()

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        if not self._orphaned:
            self.progressed.emit(done, total)

    @Slot(float)
    def _on_waiting(self, seconds: float) -> None:
        if not self._orphaned:
            self.waiting.emit(seconds)

    @Slot()
    def _on_finished(self) -> None:
        self._thread.wait()  # `finished` is sent just before run() returns
        _running.discard(self)
        if self._orphaned:
            return
        if self._thread.failure is not None:
            self.error.emit(self._thread.failure)
        else:
            self.done.emit(self._thread.result)


def running_tasks() -> list[Task]:
    return list(_running)


def stop_all(timeout_s: float = 120.0) -> bool:
    """Cancel every running job and wait for each thread to end (on close and on quit).

    Events keep flowing while it waits, so results already on their way are
    delivered in order. Returns False if a job did not end in time.
    """
    for task in list(_running):
        task.cancel()
    deadline = time.monotonic() + timeout_s
    while _running and time.monotonic() < deadline:
        for task in list(_running):
            task.wait(20)
        pump(20)
    return not _running


def install(app: QCoreApplication) -> None:
    """No thread may outlive the application: wait for them all when it quits."""
    if not app.property("kepu_workers_installed"):
        app.setProperty("kepu_workers_installed", True)
        app.aboutToQuit.connect(stop_all)


WAITING = "正在等待其他操作完成…"


class BusyWaiter:
    """The window's side of a write that finds the database busy (db.Waiter).

    A job's thread shows the wait in its own progress dialog, and its cancel
    button stops the wait. A write on the GUI thread — a dialog's 保存 —
    shows a small modal notice with 取消 and keeps the window drawing while
    it waits.
    """

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self._dialog: QProgressDialog | None = None
        self._cancelled = False

    def waiting(self, seconds: float) -> bool:
        job = current_job()
        if job is not None:
            job.waiting.emit(seconds)
            return not job.cancelled
        if threading.current_thread() is not threading.main_thread():
            return True  # a thread of someone else's: nothing to show it in
        if self._dialog is None:
            self._cancelled = False
            self._dialog = QProgressDialog(WAITING, "取消", 0, 0, self._parent)
            self._dialog.setWindowTitle("请稍候")
            self._dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            self._dialog.setMinimumDuration(0)
            self._dialog.canceled.connect(self._cancel)
            self._dialog.show()
        self._dialog.setLabelText(
            f"{WAITING}（已等待 {seconds:.0f} 秒）\n另一个程序（例如命令行导入）正在写入数据库。"
        )
        pump(50)
        return not (self._cancelled or self._dialog.wasCanceled())

    def done(self) -> None:
        job = current_job()
        if job is not None:
            job.waiting.emit(-1.0)
            return
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    def _cancel(self) -> None:
        self._cancelled = True


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

    def waiting(seconds: float) -> None:
        dialog.setLabelText(title if seconds < 0 else f"{WAITING}（已等待 {seconds:.0f} 秒）")

    task.progressed.connect(progressed)
    task.waiting.connect(waiting)
    task.done.connect(finished)
    task.error.connect(failed)
    dialog.canceled.connect(task.cancel)
    task.start()
    return task
