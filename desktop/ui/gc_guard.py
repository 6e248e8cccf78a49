"""Python's cyclic garbage collector, run only on the GUI thread.

With automatic collection on, a cycle holding a Qt wrapper can be collected on
whichever thread happens to allocate at that moment — an export worker, say —
and Qt objects deleted off their own thread crash the program. So automatic
collection is turned off and a timer on the GUI thread collects instead,
generation by generation, as often as Python itself would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GarbageCollector(QObject):
    """Lives as long as the application; see `install`."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(INTERVAL_MS)

    def collect(self) -> None:
        """Collect the oldest generation whose count is over its threshold."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return


def install(app: QObject) -> GarbageCollector:
    """Give the application its collector, once."""
    existing = app.findChild(GarbageCollector)
    return existing if existing is not None else GarbageCollector(app)
