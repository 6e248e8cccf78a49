"""Waiting in Python never wears out None (PySide 6.12 takes a reference per processEvents)."""

from __future__ import annotations

import gc
import sys

from desktop.ui.events import pump


def test_pumping_events_many_times_keeps_nones_references(qapp):
    # What earlier tests left queued (a finished job's result, a deleteLater) is delivered
    # and freed first: freeing it gives None's references back and would blur the count.
    pump(200)
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(2000):
        pump(0)
    assert sys.getrefcount(None) >= before  # processEvents() here would have taken 2000
