"""On a 1366×768 laptop (about 1366×728 above the taskbar) windows open inside the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen

from desktop.ui.activity_dialog import ActivityDialog
from desktop.ui.main_window import MainWindow

FREE = QRect(0, 0, 1366, 728)
FRAME = (16, 40)  # window frame and title bar, outside the widget's own size


@pytest.fixture
def laptop_screen(monkeypatch):
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(FREE))


def _fits(widget) -> bool:
    return widget.width() + FRAME[0] <= FREE.width() and widget.height() + FRAME[1] <= FREE.height()


def test_main_window_and_activity_dialog_fit_a_laptop_screen(qtbot, laptop_screen, demo_services):
    window = MainWindow(demo_services)
    qtbot.addWidget(window)
    assert _fits(window)
    dialog = ActivityDialog(demo_services, parent=window)
    qtbot.addWidget(dialog)
    assert _fits(dialog)
    dialog.show()
    qtbot.wait(20)  # the lists scroll to their ticked items once shown
    assert _fits(dialog)  # the layout's minimum does not push it back out
    assert dialog.save_button.isVisible()
    bottom = dialog.save_button.mapTo(dialog, dialog.save_button.rect().bottomLeft()).y()
    assert bottom < dialog.height()
