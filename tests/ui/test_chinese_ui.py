"""Qt's own words (message-box buttons, calendars) are Chinese, not OK / Yes / No."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox


def _buttons_of_next_box(seen: list[list[str]]) -> None:
    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append([b.text() for b in widget.buttons()])
                widget.buttons()[0].click()
                return
        QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def test_message_boxes_and_button_boxes_speak_chinese(qtbot, main_window, modals):
    seen: list[list[str]] = []
    modals.permit()
    modals.permit()
    _buttons_of_next_box(seen)
    QMessageBox.warning(main_window, "数据填报", "“abc”不是数字。")
    _buttons_of_next_box(seen)
    QMessageBox.question(
        main_window,
        "删除方案",
        "删除方案？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    assert seen[0] == ["确定"]
    assert sorted(seen[1]) == sorted(["是(&Y)", "否(&N)"])
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_calendar_month_names_are_chinese(main_window):
    assert QLocale().monthName(5) == "五月"
    assert QLocale().toString(QDate(2025, 5, 1), "MMMM") == "五月"
