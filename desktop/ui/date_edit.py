"""A date field that takes typing as readily as the calendar: 2026-12-01, never garbage.

Qt's date edit with a calendar popup hands digits typed while the calendar
is open to the calendar's own little date editor, which produced
2025/-2147483648/0 and reset the date to 2000-01-01. Here the calendar
keeps no editor of its own; a digit or a dash typed while it is open
closes it and goes to the field, where it replaces the section it lands
on, as in any spreadsheet.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDateEdit, QWidget

DATE_FORMAT = "yyyy-MM-dd"
_TYPED = set("0123456789-/.")


class DateEdit(QDateEdit):
    def __init__(self, day: date | QDate | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DATE_FORMAT)
        self.setCalendarPopup(True)
        self.setCorrectionMode(QDateEdit.CorrectionMode.CorrectToNearestValue)
        calendar = self.calendarWidget()
        calendar.setDateEditEnabled(False)
        calendar.installEventFilter(self)
        if day is not None:
            self.setDate(day if isinstance(day, QDate) else QDate(day.year, day.month, day.day))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            watched is self.calendarWidget()
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.text()
            and event.text() in _TYPED
        ):
            popup = self.calendarWidget().window()
            if popup is not self.window():
                popup.hide()
            self.setFocus(Qt.FocusReason.PopupFocusReason)
            line = self.lineEdit()
            QApplication.sendEvent(
                line, QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers(), event.text())
            )
            return True
        return super().eventFilter(watched, event)
