"""A long session never wears out True or None inside PySide6.

PySide6 6.12.0 takes one reference from True at every Signal.emit and one
from None at every QSortFilterProxyModel.invalidate()/sort(): after a few
thousand — an hour of clicking — the program dies with "deallocating True".
pyproject.toml pins the release that does not; these fail on one that does.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItemModel


class _Sender(QObject):
    flag = Signal(bool)
    bare = Signal()


def test_emitting_signals_many_times_keeps_trues_references(qapp):
    sender = _Sender()
    received = {"flag": 0, "bare": 0}

    def count(name: str) -> None:
        received[name] += 1

    sender.flag.connect(lambda _value: count("flag"))
    sender.bare.connect(lambda: count("bare"))
    before = sys.getrefcount(True)
    for _ in range(2000):
        sender.flag.emit(True)
        sender.bare.emit()
    assert received == {"flag": 2000, "bare": 2000}
    assert sys.getrefcount(True) >= before


def test_refiltering_and_sorting_many_times_keeps_nones_references(qapp):
    source = QStandardItemModel(3, 1)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    before = sys.getrefcount(None)
    for _ in range(1000):
        proxy.invalidate()
        proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert sys.getrefcount(None) >= before
