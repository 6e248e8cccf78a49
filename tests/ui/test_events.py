"""Waiting in Python never wears out None (PySide 6.12 takes a reference per processEvents)."""

from __future__ import annotations

import sys

from desktop.ui.events import pump


def test_pumping_events_many_times_keeps_nones_references(qapp):
    before = sys.getrefcount(None)
    for _ in range(2000):
        pump(0)
    assert sys.getrefcount(None) >= before  # processEvents() here would have taken 2000
