"""A save that finds the database busy waits with 正在等待其他操作完成… and can be cancelled."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from desktop.errors import DatabaseBusy
from desktop.ui.workers import WAITING
from tests.test_concurrent_writers import hold_write_lock


def _when_waiting(act) -> list[str]:
    seen: list[str] = []

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, QProgressDialog)
                and widget.isVisible()
                and widget.labelText().startswith(WAITING)
            ):
                seen.append(widget.labelText())
                act(widget)
                return
        QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)
    return seen


def test_cancelling_the_wait_writes_nothing(main_window, demo_services):
    holder = hold_write_lock(demo_services.db.path)
    try:
        before = demo_services.settings.get("office_name")
        seen = _when_waiting(lambda dialog: dialog.cancel())
        with pytest.raises(DatabaseBusy, match="已停止等待"):
            demo_services.settings.update({"office_name": "安丘市科学技术协会"})
        assert seen and "另一个程序" in seen[0]
        assert demo_services.settings.get("office_name") == before
        assert not any(
            isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        )
    finally:
        holder.communicate("\n", timeout=30)


def test_the_save_goes_through_once_the_other_program_is_done(main_window, demo_services):
    holder = hold_write_lock(demo_services.db.path)

    def other_program_finishes(_dialog: QProgressDialog) -> None:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()

    seen = _when_waiting(other_program_finishes)
    demo_services.settings.update({"office_name": "安丘市科学技术协会"})
    holder.wait(timeout=30)
    assert seen
    assert demo_services.settings.get("office_name") == "安丘市科学技术协会"
    assert not any(
        isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )
