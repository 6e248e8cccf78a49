"""Garbage cycles are collected on the GUI thread, never on a worker's."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui import gc_guard


class _Node:
    finalised_on: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Node.finalised_on.append(threading.current_thread().name)


def test_cycles_made_by_a_worker_are_collected_on_the_gui_thread(qtbot: QtBot, qapp: QApplication):
    gc_guard.install(qapp)
    assert gc_guard.install(qapp) is qapp.findChild(gc_guard.GarbageCollector)
    assert not gc.isenabled()
    _Node.finalised_on.clear()
    refs: list[weakref.ref[_Node]] = []

    def churn() -> None:
        for _ in range(5000):
            refs.append(weakref.ref(_Node()))

    worker = threading.Thread(target=churn, name="export-worker")
    worker.start()
    worker.join()
    assert _Node.finalised_on == []
    qtbot.waitUntil(lambda: all(ref() is None for ref in refs), timeout=10_000)
    assert set(_Node.finalised_on) == {threading.main_thread().name}
