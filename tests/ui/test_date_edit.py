"""Typing a date works with or without the calendar open (it once showed 2025/-2147483648/0)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt

from desktop.ui.date_edit import DateEdit


def _field(qtbot) -> DateEdit:
    edit = DateEdit(date(2025, 3, 15))
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    edit.setFocus()
    return edit


def test_typing_a_year_over_the_selected_year(qtbot):
    edit = _field(qtbot)
    edit.setCurrentSection(DateEdit.Section.YearSection)
    edit.lineEdit().selectAll()
    edit.setSelectedSection(DateEdit.Section.YearSection)
    qtbot.keyClicks(edit, "2024")
    assert edit.date() == QDate(2024, 3, 15)
    assert edit.text() == "2024-03-15"


def test_digits_typed_while_the_calendar_is_open_go_to_the_field(qtbot):
    edit = _field(qtbot)
    edit.setSelectedSection(DateEdit.Section.YearSection)
    calendar = edit.calendarWidget()
    assert not calendar.isDateEditEnabled()  # the calendar keeps no date editor of its own
    # The arrow at the right opens the calendar popup, as a clerk clicks it.
    qtbot.mouseClick(
        edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 6, edit.height() // 2)
    )
    qtbot.waitUntil(lambda: calendar.isVisible())
    edit.setSelectedSection(DateEdit.Section.YearSection)
    for key in "2023":
        qtbot.keyClick(calendar, key)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert edit.date().year() == 2023  # the field took the digits
    assert edit.date().month() == 3 and edit.date().day() == 15
    assert edit.date() != QDate(2000, 1, 1) and "-2147483648" not in edit.text()
