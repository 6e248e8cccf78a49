"""报送情况 in the window: the table, the due date beside the period, the 催报 copy, 总览's rate.

The statuses are those of tests/test_reporting.py (2024Q2: 县人社局 on time,
县农业农村局 late, 县教体局 undone, 县科协 never, 县气象局 nothing assigned).
"""

from __future__ import annotations

from datetime import datetime

from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from desktop.services.periods import parse_period
from desktop.ui.dashboard_page import DashboardPage
from desktop.ui.reporting_dialog import ReportingDialog
from desktop.ui.units_dialog import UnitsDialog
from tests.test_reporting import import_as_of, reported  # noqa: F401 (the fixture)


def _dialog(qtbot, svc, code: str = "2024Q2") -> ReportingDialog:
    dialog = ReportingDialog(svc, range(2021, 2026), parse_period(code))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _rows(dialog: ReportingDialog) -> list[list[str]]:
    t = dialog.table
    return [[t.item(r, c).text() for c in (0, 1, 3, 4)] for r in range(t.rowCount())]


def test_table_due_date_and_rate(qtbot, reported):  # noqa: F811
    svc, batches = reported
    dialog = _dialog(qtbot, svc)
    assert dialog.due_label.text() == "报送截止 2024-07-10（期末后 10 天）"
    assert dialog.due_kind.text() == "月、季度期限：期末后" and dialog.due_days.value() == 10
    assert "报送率 2/4（50.0%）" in dialog.summary.text()
    assert "逾期报送 1" in dialog.summary.text() and "无需填报 1" in dialog.summary.text()
    assert _rows(dialog) == [
        ["县科协", "未报送", "", "张敏 13800000001"],
        ["县教体局", "未报送", "", ""],
        ["县农业农村局", "逾期报送", str(batches["县农业农村局"]), ""],
        ["县人社局", "已报送", str(batches["县人社局"]), ""],
        ["县气象局", "无需填报", "", ""],
    ]
    assert dialog.table.item(3, 2).text() == "2024-07-05 09:30"
    # Another period, chosen in the dialog: nothing arrived for the year 2024.
    dialog.period.set_period("2024")
    assert dialog.due_label.text() == "报送截止 2025-01-15（期末后 15 天）"
    assert dialog.due_kind.text() == "年度期限：期末后"
    assert "报送率 0/4（0.0%）" in dialog.summary.text()


def test_saving_the_due_days_moves_a_unit_to_on_time(qtbot, reported):  # noqa: F811
    svc, _ = reported
    dialog = _dialog(qtbot, svc)
    dialog.due_days.setValue(15)
    dialog.save_due.click()
    assert svc.settings.get("due_days") == "15"
    assert dialog.due_label.text() == "报送截止 2024-07-15（期末后 15 天）"
    assert _rows(dialog)[2][:2] == ["县农业农村局", "已报送"]
    assert "报送率 2/4（50.0%）" in dialog.summary.text()


def test_the_chase_list_is_copied_as_text(qtbot, reported):  # noqa: F811
    svc, _ = reported
    dialog = _dialog(qtbot, svc)
    expected = (
        "2024年第2季度采集表未报送单位（报送截止 2024-07-10）：\n"
        "1. 县科协（联系人：张敏 13800000001）\n"
        "2. 县教体局（未登记联系人）"
    )
    assert dialog.chase.toPlainText() == expected
    QApplication.clipboard().clear()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == expected
    assert dialog.copy_button.text() == "已复制"


def test_a_contact_edited_in_the_unit_list_reaches_the_chase_list(qtbot, reported):  # noqa: F811
    svc, _ = reported
    units = UnitsDialog(svc)
    qtbot.addWidget(units)
    row = next(i for i in range(units.units.count()) if units.units.item(i).text() == "县教体局")
    units.units.setCurrentRow(row)
    assert units.contact.text() == ""
    units.contact.setText("王芳 0536-1234567")
    units.save_contact()
    dialog = _dialog(qtbot, svc)
    assert "2. 县教体局（联系人：王芳 0536-1234567）" in dialog.chase.toPlainText()


def test_the_overview_shows_the_rate_of_the_last_period_ended(
    qtbot,
    reported,  # noqa: F811
    tmp_path,
    settled,
):
    svc, _ = reported
    import_as_of(
        svc, tmp_path, "县人社局", datetime(2025, 1, 5, 10, 0), "2024Q4", values={"C1": 100}
    )
    page = DashboardPage(svc)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    settled(page)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.set_year(2024)
    card = page.cards["reporting"]
    # 2024 is over, so its last quarter is shown: 县人社局 of the four expected units.
    assert card.value.text() == "25.0%"
    assert card.note.text() == "2024年第4季度 已报 1/应报 4"
    assert card.toolTip() == (
        "2024年第4季度采集表报送率 1/4（25.0%）；报送截止 2025-01-10（期末后 10 天）"
    )


def test_the_chase_list_prints_through_the_pdf_preview(qtbot, reported):  # noqa: F811
    svc, _ = reported
    dialog = _dialog(qtbot, svc)
    dialog.print_button.click()
    assert dialog.preview is not None and dialog.preview.isVisible()
    assert dialog.preview.windowTitle() == "打印预览 — 2024年第2季度采集表催报名单"
    text = "".join(page.extract_text() for page in PdfReader(dialog.preview.pdf).pages)
    for fragment in (
        "2024年第2季度采集表催报名单",
        "报送率 2/4",
        "县科协",
        "张敏 13800000001",
        "县教体局",
    ):
        assert fragment in text
    assert "县人社局" not in text and "县气象局" not in text
    dialog.preview.reject()
