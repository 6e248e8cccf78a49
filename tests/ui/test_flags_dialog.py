"""疑似异常 in the window: the list, confirming with a comment, correcting, the final-return question.

The figures are tests/test_flags.py's: 县科协's C1 for 2021–2023 is 100, 120,
110 (median 110), so 400 in 2024 is flagged and 300 is not.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.services import Services
from desktop.services.flags import CONFIRMED, FlagService
from desktop.ui.flags_dialog import FlagsDialog
from desktop.ui.reports_page import ReportsPage
from tests.test_flags import _activity, _c1


def flagged(svc: Services) -> None:
    _c1(svc, {"2021": 100, "2022": 120, "2023": 110, "2024": 400})
    _activity(svc, date(2024, 5, 1), participants=20_000, sessions=2, title="科普日")


def make_dialog(qtbot: QtBot, svc: Services, period: str | None = "2024") -> FlagsDialog:
    dialog = FlagsDialog(svc, range(2021, 2026), period)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=30_000):  # found off the GUI thread
        dialog.show()
    return dialog


def test_the_list_confirms_with_a_comment(qtbot: QtBot, plan_services: Services, answer) -> None:
    flagged(plan_services)
    dialog = make_dialog(qtbot, plan_services)
    assert dialog.table.rowCount() == 2
    assert dialog.summary.text() == "共 2 条疑似异常，待处理 2 条。"
    row = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert row[:7] == ["待处理", "填报数据", "C1", "农民培训人次", "县科协", "2024", "400"]
    assert not dialog.confirm_button.isEnabled()
    dialog.select(0)
    answer.next("确定")
    dialog.confirm_selected()  # no comment: refused, said why
    assert "理由" in answer.texts[0]
    dialog.comment.setText("说明：全县集中培训")
    dialog.confirm_selected()
    assert dialog.table.item(0, 0).text() == "已确认"
    assert dialog.table.item(0, 8).text() == "说明：全县集中培训"
    assert FlagService(plan_services.db).flags("2024")[0].status == CONFIRMED
    dialog.open_only.setChecked(True)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "单场人数"


def test_correcting_an_entry_clears_its_flag(qtbot: QtBot, plan_services: Services, modals) -> None:
    flagged(plan_services)
    dialog = make_dialog(qtbot, plan_services, None)
    dialog.select(0)
    modals.reply((300.0, True))
    with qtbot.waitSignal(dialog.loaded, timeout=30_000):
        dialog.correct_selected()
    assert [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())] == ["单场人数"]


def test_a_final_return_names_the_open_flags_first(
    qtbot: QtBot, plan_services: Services, tmp_path: Path, answer
) -> None:
    flagged(plan_services)
    page = ReportsPage(plan_services)
    qtbot.addWidget(page)
    page.show()
    page.period.set_period("2024")
    page.final.setChecked(True)
    answer.next("返回处理")
    page.export_return_to(tmp_path / "r.xlsx")
    qtbot.waitUntil(lambda: "未导出" in page.status.text(), timeout=30_000)
    text = answer.texts[0]
    assert "还有 2 条疑似异常" in text
    assert "农民培训人次（县科协 2024）：400" in text and "每场 10,000 人" in text
    assert not (tmp_path / "r.xlsx").exists()
    assert "未导出" in page.status.text()

    answer.next("仍然报送")
    answer.next("否(&N)")
    page.export_return_to(tmp_path / "r.xlsx")
    qtbot.waitUntil(lambda: (tmp_path / "r.xlsx").exists(), timeout=60_000)
    qtbot.waitUntil(lambda: page.export_return_button.isEnabled(), timeout=60_000)
    assert plan_services.submissions.list()[0].final


def test_the_dialog_opens_from_the_reports_page(qtbot: QtBot, plan_services: Services) -> None:
    flagged(plan_services)
    page = ReportsPage(plan_services)
    qtbot.addWidget(page)
    page.period.set_period("2024Q2")
    dialog = page.flags_dialog()
    qtbot.addWidget(dialog)
    qtbot.waitSignal(dialog.loaded, timeout=30_000).wait()
    assert [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())] == ["单场人数"]


def test_the_ledger_marks_a_flagged_activity(
    qtbot: QtBot, plan_services: Services, settled
) -> None:
    from PySide6.QtCore import Qt

    from desktop.ui.activity_model import FLAG_COLOR
    from desktop.ui.ledger_page import LedgerPage

    big = _activity(
        plan_services, date(2024, 5, 1), participants=20_000, sessions=2, title="科普日"
    )
    usual = _activity(plan_services, date(2024, 5, 2), participants=80)
    page = LedgerPage(plan_services)
    qtbot.addWidget(page)
    page.show()
    page.model.reload()
    settled(page)
    model = page.model
    rows = {model.activity_id(r): r for r in range(model.rowCount())}
    title = model.index(rows[big], 1)
    assert model.data(title, Qt.ItemDataRole.BackgroundRole) == FLAG_COLOR
    assert "每场 10,000 人" in model.data(title, Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(rows[usual], 1), Qt.ItemDataRole.BackgroundRole) is None
    FlagService(plan_services.db).confirm(FlagService(plan_services.db).flags()[0], "全县科普日")
    model.reload()
    settled(page)
    assert model.data(model.index(rows[big], 1), Qt.ItemDataRole.BackgroundRole) is None


def test_an_import_names_the_flags_it_brought(
    qtbot: QtBot, county: Services, tmp_path: Path, answer
) -> None:
    """县人社局's quarters 100, 120, 110 (median 110): its 2024Q2 workbook's 400 is flagged."""
    from datetime import datetime

    from PySide6.QtWidgets import QWidget

    from desktop.services.import_pass import FileOutcome
    from desktop.services.imports import ImportResult
    from desktop.ui.collection_dialogs import ImportFlow
    from tests.test_reporting import import_as_of

    _c1(county, {"2023Q3": 100, "2023Q4": 120, "2024Q1": 110}, unit="县人社局")
    batch = import_as_of(county, tmp_path, "县人社局", datetime(2024, 7, 5), values={"C1": 400})
    (flag,) = FlagService(county.db).imported([batch])
    assert (flag.code, flag.unit, flag.period, flag.value) == ("C1", "县人社局", "2024Q2", 400)
    assert FlagService(county.db).imported([]) == []

    parent = QWidget()
    qtbot.addWidget(parent)
    flow = ImportFlow(county.imports, parent)
    result = ImportResult([FileOutcome("人社局.xlsx", entries=1, batch_id=batch)], written=True)
    answer.next("确定")
    flow._imported(result)
    assert (
        "1 条疑似异常" in answer.texts[0]
        and "农民培训人次（县人社局 2024Q2）：400" in answer.texts[0]
    )


def test_the_entry_grid_marks_a_flagged_figure_until_it_is_confirmed(qtbot, plan_services):
    """县人社局 C1: 100, 120, 110 in 2021–2023, then 400 in 2024 — 3.6× the median 110."""
    from PySide6.QtGui import QColor

    from desktop.services.flags import FlagService
    from desktop.ui.activity_model import FLAG_COLOR
    from desktop.ui.entries_page import FIXED_COLUMNS, EntriesPage

    svc = plan_services
    unit = next(u.id for u in svc.reference.units() if u.name == "县人社局")
    c1 = next(i.id for i in svc.plans.indicators() if i.code == "C1")
    for period, value in {"2021": 100, "2022": 120, "2023": 110, "2024": 400}.items():
        svc.entries.set(c1, period, value, unit)
    page = EntriesPage(svc)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.select_unit("县人社局")
    page.set_view("year")
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "C1")
    cells = {
        page.table.horizontalHeaderItem(c).text(): page.table.item(row, c)
        for c in range(len(FIXED_COLUMNS), page.table.columnCount())
    }
    assert cells["2024年"].background().color() == QColor(FLAG_COLOR)
    assert "3.6 倍" in cells["2024年"].toolTip()
    assert cells["2023年"].background().color() != QColor(FLAG_COLOR)
    (flag,) = FlagService(svc.db).flags()
    FlagService(svc.db).confirm(flag, "全县集中培训")
    page.set_view("year")
    assert page.table.item(row, len(FIXED_COLUMNS) + 3).background().color() != QColor(FLAG_COLOR)
