"""Letting the event loop run for a moment, from Python, without wearing out `None`.

In PySide6 6.12 on Python 3.11 every call of QCoreApplication.processEvents()
(and of sendPostedEvents, and QTest.qWait) takes one reference from `None`;
a loop that calls it some ten thousand times — a wait for a busy database, a
self-check, a grab of every screen — ends the program with "deallocating
None". Running a short local event loop instead does the same work safely.
Every wait in the program goes through `pump`, so the program stays safe on
such a release too, though pyproject.toml pins one without the fault.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QObject, QTimer


def pump(ms: int = 20) -> None:
    """Process events for about `ms` milliseconds.

    A timer object, not QTimer.singleShot(0, …), which also takes from None.
    """
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(ms)
    loop.exec()


def later(parent: QObject, act: Callable[[], None]) -> None:
    """Run `act` once control is back in the event loop (QTimer.singleShot(0, act), safely)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.timeout.connect(act)
    timer.timeout.connect(timer.deleteLater)
    timer.start(0)
