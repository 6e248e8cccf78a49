"""志愿者: teams, headcount history, add / edit / record headcount, locks respected."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox

from desktop.ui.volunteers_page import HeadcountDialog, TeamDialog


def _page(main_window):
    return main_window.show_page("志愿者")


def test_lists_demo_teams_with_the_registered_total(main_window, demo_services):
    page = _page(main_window)
    assert page.teams.rowCount() == 16
    rows = demo_services.volunteers.teams()
    assert page.teams.item(0, 0).text() == rows[0].name
    expected = sum(r.headcount for r in rows)  # every team's latest headcount
    assert f"注册科技志愿者合计 {expected:,} 人（16 支队伍" in page.total.text()
    # The history of the selected team, newest first; submitted years are locked.
    history = [page.history.item(r, 3).text() for r in range(page.history.rowCount())]
    assert history == ["", "已锁定", "已锁定", "已锁定", "已锁定"]


def test_add_team_with_headcount_then_record_a_new_headcount(qtbot, main_window, demo_services):
    page = _page(main_window)
    before = demo_services.volunteers.registered_total(date.today())
    page.add_button.click()
    dialog = page.dialog
    assert isinstance(dialog, TeamDialog)
    dialog.name.setText("县医院健康科普志愿服务队")
    dialog.unit.setCurrentIndex(dialog.unit.findText("市卫健委"))
    dialog.headcount.setValue(25)
    dialog.as_of.setDate(QDate(2025, 6, 30))
    dialog._save()
    assert dialog.result() == TeamDialog.DialogCode.Accepted
    assert page.teams.rowCount() == 17
    assert page.selected_team_id() == dialog.saved_id
    assert str(before + 25) in page.total.text().replace(",", "")

    page.count_button.click()
    counter = page.dialog
    assert isinstance(counter, HeadcountDialog)
    assert counter.headcount.value() == 25  # starts from the latest figure
    counter.as_of.setDate(QDate(2025, 9, 30))
    counter.headcount.setValue(40)
    counter._save()
    rows = [
        [page.history.item(r, c).text() for c in range(3)] for r in range(page.history.rowCount())
    ]
    assert rows == [["2025-09-30", "40", "+15"], ["2025-06-30", "25", ""]]
    assert str(before + 40) in page.total.text().replace(",", "")


def test_duplicate_name_keeps_the_dialog_open_with_the_reason(main_window, modals):
    page = _page(main_window)
    page.add_button.click()
    dialog = page.dialog
    dialog.name.setText(page.teams.item(0, 0).text())
    dialog._save()
    assert dialog.isVisible()
    assert "已有名为" in dialog.error.text()
    modals.reply(QMessageBox.StandardButton.Discard)  # 放弃修改？: the typed name is given up
    dialog.reject()
    assert not dialog.isVisible() and modals.shown[-1].startswith("放弃修改？")


def test_an_error_grows_the_headcount_dialog_instead_of_squeezing_its_fields(qtbot, main_window):
    """登记人数 was crushed when it showed an error: the date and count cut to half height."""
    from datetime import date, timedelta

    _page(main_window)
    team = main_window.services.volunteers.teams()[0]
    dialog = HeadcountDialog(main_window.services.volunteers, team.id, team.name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    heights = (dialog.as_of.height(), dialog.headcount.height())
    dialog.as_of.setDate(date.today() + timedelta(days=3))
    dialog._save()
    qtbot.wait(50)
    assert dialog.isVisible() and "统计日期不能晚于今天" in dialog.error.text()
    assert (dialog.as_of.height(), dialog.headcount.height()) == heights
    assert dialog.as_of.height() >= dialog.as_of.sizeHint().height()


def test_edit_renames_the_team(main_window):
    page = _page(main_window)
    page.teams.selectRow(2)
    old = page.teams.item(2, 0).text()
    page.edit_button.click()
    dialog = page.dialog
    assert dialog.name.text() == old
    dialog.name.setText(old.replace("服务队", "服务总队"))
    dialog._save()
    names = [page.teams.item(r, 0).text() for r in range(page.teams.rowCount())]
    assert old.replace("服务队", "服务总队") in names and old not in names


def test_locked_headcounts_cannot_be_removed(qtbot, main_window, demo_services, answer):
    page = _page(main_window)
    page.history.selectRow(1)  # 2024-12-31, locked
    assert not page.delete_count_button.isEnabled()
    page.history.selectRow(0)  # 2025-12-31, open
    assert page.delete_count_button.isEnabled()
    answer.next("删除")
    answer.next("确定")
    name = page.teams.item(0, 0).text()
    page.delete_button.click()
    qtbot.waitUntil(lambda: len(answer.texts) == 2)
    assert "已随报表报送并锁定" in answer.texts[1]
    assert name in [t.name for t in demo_services.volunteers.teams()]
