"""The activity dialog: validation next to the field, duplicates, locks, evidence, editing."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from desktop.services.activities import ActivityFilter, ActivityInput
from desktop.ui.activity_dialog import ActivityDialog


@pytest.fixture
def dialog_for(qtbot):
    def make(services, activity_id=None) -> ActivityDialog:
        dialog = ActivityDialog(services, activity_id)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def fill(dialog: ActivityDialog, title: str, day: date, type_name: str, unit: str) -> None:
    dialog.title_edit.setText(title)
    dialog.start_edit.setDate(day)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findText(type_name))
    dialog.unit_combo.lineEdit().setText(unit)


def test_female_above_participants_is_shown_at_the_field_and_nothing_saved(
    plan_services, dialog_for
):
    dialog = dialog_for(plan_services)
    fill(dialog, "青少年科普讲座", date(2024, 4, 2), "科普讲座", "县科协")
    dialog.participants.setValue(50)
    dialog.female.setValue(80)
    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.field_error("female") == "女性人次（80）不能超过参加人次（50）。"
    assert dialog.error_label.text() == dialog.field_error("female")
    assert dialog.field_error("participants") == ""
    assert plan_services.activities.count(ActivityFilter()) == 0

    dialog.female.setValue(30)  # corrected: saves, and the message goes away
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert plan_services.activities.count(ActivityFilter()) == 1


def test_every_problem_shows_at_once_and_goes_as_soon_as_it_is_fixed(plan_services, dialog_for):
    """An empty 新增活动 used to flag the name, then on the next save the date, then the type."""
    dialog = dialog_for(plan_services)
    dialog.start_edit.setDate(date(2019, 5, 1))
    dialog.save_button.click()
    assert dialog.field_error("title") == "活动名称不能为空。"
    assert dialog.field_error("type_id") == "请选择活动类型。"
    assert "不在实施方案期限" in dialog.field_error("start_date")
    assert dialog.field_error("unit_id") == "请选择组织单位。"
    assert dialog.error_label.text() == "有 4 处需要修改，见各项下方的红字。"
    assert dialog.focusWidget() is dialog.title_edit  # the first, in the form's order
    dialog.title_edit.setText("科普讲座")  # fixed: its message goes at once, the others stay
    assert dialog.field_error("title") == ""
    assert dialog.field_error("type_id") == "请选择活动类型。"
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findText("科普讲座"))
    assert dialog.field_error("type_id") == ""
    dialog.start_edit.setDate(date(2024, 5, 1))
    assert dialog.field_error("start_date") == ""
    dialog.unit_combo.lineEdit().setText("县科协")
    assert dialog.field_error("unit_id") == "" and dialog.error_label.text() == ""
    assert plan_services.activities.count(ActivityFilter()) == 0


def test_missing_title_type_and_unit_each_point_at_their_field(plan_services, dialog_for):
    dialog = dialog_for(plan_services)
    dialog.save_button.click()
    assert dialog.field_error("title") == "活动名称不能为空。"
    dialog.title_edit.setText("科普讲座")
    dialog.save_button.click()
    assert dialog.field_error("title") == ""
    assert dialog.field_error("type_id") == "请选择活动类型。"
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findText("科普讲座"))
    dialog.unit_combo.lineEdit().setText("不存在的单位")
    dialog.save_button.click()
    assert dialog.field_error("unit_id") == "请选择组织单位。"
    dialog.start_edit.setDate(date(2019, 5, 1))
    dialog.unit_combo.lineEdit().setText("县科协")
    dialog.save_button.click()
    assert "不在实施方案期限（2021—2025年）内" in dialog.field_error("start_date")
    dialog.end_check.setChecked(True)
    dialog.start_edit.setDate(date(2024, 5, 3))
    dialog.end_edit.setDate(date(2024, 5, 1))
    dialog.save_button.click()
    assert dialog.field_error("end_date") == "结束日期不能早于开始日期。"
    assert plan_services.activities.count(ActivityFilter()) == 0


def test_duplicate_asks_before_saving(plan_services, dialog_for, add_activity, answer):
    add_activity(plan_services, date(2024, 6, 1), "城关镇科普讲座", "科普讲座", "县科协")
    dialog = dialog_for(plan_services)
    fill(dialog, "城关镇科普讲座（第二场）", date(2024, 6, 1), "科普讲座", "县科协")
    answer.next("返回修改")
    dialog.save_button.click()
    assert "同一单位同一天已有名称相近的活动" in answer.texts[-1]
    assert "城关镇科普讲座" in answer.texts[-1]
    assert dialog.isVisible() and plan_services.activities.count(ActivityFilter()) == 1

    answer.next("仍然保存")
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert plan_services.activities.count(ActivityFilter()) == 2


def test_a_mistake_is_shown_before_any_duplicate_question(
    plan_services, dialog_for, add_activity, answer
):
    add_activity(plan_services, date(2024, 6, 1), "城关镇科普讲座", "科普讲座", "县科协")
    dialog = dialog_for(plan_services)
    fill(dialog, "城关镇科普讲座（第二场）", date(2024, 6, 1), "科普讲座", "县科协")
    dialog.participants.setValue(40)
    dialog.female.setValue(90)
    answer.next("返回修改")  # would dismiss a duplicate question, were one asked
    dialog.save_button.click()
    assert answer.texts == []
    assert dialog.field_error("female") == "女性人次（90）不能超过参加人次（40）。"
    assert plan_services.activities.count(ActivityFilter()) == 1


def test_locked_activity_opens_read_only(demo_services, dialog_for):
    locked = demo_services.activities.rows(
        ActivityFilter(start=date(2023, 1, 1), end=date(2023, 12, 31)), 0, 1
    )[0]
    dialog = dialog_for(demo_services, locked.id)
    assert dialog.windowTitle() == "查看活动（已锁定）"
    assert dialog.lock_banner.isVisible() and "已报送并锁定" in dialog.lock_banner.text()
    assert not dialog.save_button.isEnabled() and not dialog.save_button.isVisible()
    assert dialog.cancel_button.text() == "关闭"  # nothing to cancel in a view-only record
    assert not dialog.evidence.add_button.isEnabled()
    assert dialog.title_edit.text() == locked.title
    assert not dialog.title_edit.isEnabled() and not dialog.participants.isEnabled()


def test_new_activity_in_a_locked_year_shows_the_lock_message(demo_services, dialog_for):
    before = demo_services.activities.count(ActivityFilter())
    dialog = dialog_for(demo_services)
    fill(dialog, "补录：2023年科普讲座", date(2023, 8, 8), "科普讲座", "市科协")
    dialog.save_button.click()
    assert dialog.field_error("start_date").startswith("2023年已报送并锁定")
    assert demo_services.activities.count(ActivityFilter()) == before


def test_evidence_is_attached_on_save_opened_and_removed(
    plan_services, dialog_for, tmp_path, qtbot
):
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"photo" * 100)
    sheet = tmp_path / "签到表.pdf"
    sheet.write_bytes(b"%PDF-1.4 sign-in sheet")
    script = tmp_path / "virus.exe"
    script.write_bytes(b"MZ")

    dialog = dialog_for(plan_services)
    fill(dialog, "科技志愿服务进社区", date(2024, 9, 20), "科技志愿服务", "县科协")
    dialog.evidence.add_files([photo, sheet, script])
    assert "virus.exe" in dialog.error_label.text()  # refused at once, not queued
    assert dialog.evidence.files.count() == 2
    assert dialog.evidence.files.item(0).text() == "现场照片.jpg（待保存）"
    dialog.save_button.click()
    assert not dialog.isVisible()
    new_id = plan_services.activities.rows(ActivityFilter(), 0, 1)[0].id
    stored = plan_services.evidence.list(new_id)
    assert [e.original_name for e in stored] == ["现场照片.jpg", "签到表.pdf"]
    assert plan_services.evidence.path(stored[0]).read_bytes() == photo.read_bytes()

    # Reopen: the files are listed; 打开 hands the stored copy to the desktop.
    opened: list[QUrl] = []

    class Catcher(QObject):
        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            opened.append(url)

    catcher = Catcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        dialog = dialog_for(plan_services, new_id)
        assert dialog.evidence.files.count() == 2
        dialog.evidence.files.setCurrentRow(1)
        dialog.evidence.open_button.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in opened] == [str(plan_services.evidence.path(stored[1]))]

    dialog.evidence.remove_button.click()  # removes 签到表.pdf, pending until saved
    assert dialog.evidence.files.count() == 1
    assert len(plan_services.evidence.list(new_id)) == 2
    dialog.save_button.click()
    assert [e.original_name for e in plan_services.evidence.list(new_id)] == ["现场照片.jpg"]


def test_cancel_discards_evidence_changes(
    plan_services, dialog_for, add_activity, tmp_path, modals
):
    activity_id = add_activity(plan_services, date(2024, 3, 3), "科普展览", "科普展览", "县科协")
    photo = tmp_path / "展板.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 50)
    dialog = dialog_for(plan_services, activity_id)
    dialog.evidence.add_files([photo])
    modals.reply(QMessageBox.StandardButton.Discard)
    dialog.cancel_button.click()
    assert modals.shown == ["放弃修改？：这张表里有尚未保存的修改。要保存吗？"]
    assert not dialog.isVisible()
    assert plan_services.evidence.list(activity_id) == []


def test_esc_on_a_filled_form_asks_and_keep_editing_keeps_everything(
    qtbot, plan_services, dialog_for, modals
):
    """Esc threw a filled 新增活动 away without asking."""
    dialog = dialog_for(plan_services)
    fill(dialog, "青少年科普讲座", date(2024, 4, 2), "科普讲座", "县科协")
    modals.reply(QMessageBox.StandardButton.Cancel)  # 继续编辑
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.title_edit.text() == "青少年科普讲座"
    modals.reply(QMessageBox.StandardButton.Save)  # 保存 from the question saves and closes
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert [
        r.title for r in plan_services.activities.rows(ActivityFilter(), 0, 5, "title", False)
    ] == ["青少年科普讲座"]
    assert len(modals.shown) == 2


def test_an_untouched_form_closes_without_a_question(qtbot, plan_services, dialog_for, modals):
    dialog = dialog_for(plan_services)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and modals.shown == []


def test_closing_the_main_window_asks_an_open_form_first(qtbot, main_window, demo_services, modals):
    dialog = ActivityDialog(demo_services, None, main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title_edit.setText("写了一半的活动")
    modals.reply(QMessageBox.StandardButton.Cancel)  # 继续编辑: the window stays open too
    main_window.close()
    assert main_window.isVisible() and dialog.isVisible()
    modals.reply(QMessageBox.StandardButton.Discard)
    main_window.close()
    assert not main_window.isVisible() and not dialog.isVisible()


def test_edit_loads_every_field_and_saves_changes(plan_services, dialog_for, ref):
    groups = ref(plan_services, "groups")
    units = ref(plan_services, "units")
    place = plan_services.reference.add_place("城关街道")
    task_ids = {t.code: t.id for t in plan_services.plans.tasks()}
    dialog = dialog_for(plan_services)
    fill(dialog, "城关街道青少年科普讲座", date(2024, 4, 12), "科普讲座", "县教体局")
    dialog.end_check.setChecked(True)
    dialog.end_edit.setDate(date(2024, 4, 13))
    dialog.place_combo.setCurrentIndex(dialog.place_combo.findText("城关街道"))
    dialog.participants.setValue(260)
    dialog.female.setValue(120)
    dialog.rural.setValue(40)
    dialog.sessions.setValue(2)
    dialog.volunteers.setValue(6)
    dialog.hours.setValue(18.5)
    dialog.funding.setValue(3200.75)
    dialog.media_edit.setText("县融媒体中心报道")
    dialog.summary_edit.setPlainText("讲解人工智能基础知识。")
    dialog.tasks.search.setText("讲座")  # the task list filters as one types
    visible = [i.text(0) for i in dialog.tasks._items() if not i.isHidden()]
    assert visible == ["A1.1 开展青少年科普讲座"]
    dialog.tasks.item_for(task_ids["A1.1"]).setCheckState(0, Qt.CheckState.Checked)
    assert dialog.tasks.summary.text() == "已选 1 项：A1.1"
    dialog.group_checks[groups["青少年"]].setChecked(True)
    dialog.cooperators.item_for(units["县科协"]).setCheckState(0, Qt.CheckState.Checked)
    dialog.save_button.click()
    assert not dialog.isVisible()

    new_id = plan_services.activities.rows(ActivityFilter(), 0, 1)[0].id
    a = plan_services.activities.get(new_id)
    assert (a.title, a.start_date, a.end_date, a.place_id) == (
        "城关街道青少年科普讲座",
        date(2024, 4, 12),
        date(2024, 4, 13),
        place.id,
    )
    assert (a.participants, a.female, a.rural, a.sessions, a.volunteers) == (260, 120, 40, 2, 6)
    assert a.volunteer_hours == 18.5 and a.funding_fen == 320075
    assert (a.media, a.summary) == ("县融媒体中心报道", "讲解人工智能基础知识。")
    assert [t.code for t in a.tasks] == ["A1.1"]
    assert [g.name for g in a.groups] == ["青少年"]
    assert [u.name for u in a.cooperators] == ["县科协"]

    dialog = dialog_for(plan_services, new_id)
    assert dialog.activity_input() == ActivityInput.from_activity(a)
    dialog.participants.setValue(300)
    dialog.rural.setValue(-1)  # back to 未统计
    dialog.save_button.click()
    a = plan_services.activities.get(new_id)
    assert a.participants == 300 and a.rural is None and a.female == 120


def test_save_and_new_keeps_date_type_and_unit(plan_services, dialog_for, answer):
    dialog = dialog_for(plan_services)
    fill(dialog, "第一期农民培训班", date(2024, 10, 9), "实用技术培训", "县农业农村局")
    dialog.participants.setValue(80)
    dialog.save_new_button.click()
    assert dialog.isVisible() and dialog.windowTitle() == "新增活动"
    assert dialog.title_edit.text() == "" and dialog.participants.value() == 0
    assert dialog.error_label.text() == "已保存，请录入下一条。"
    dialog.title_edit.setText("第二期农民培训班")
    dialog.participants.setValue(95)
    answer.next("仍然保存")  # same unit, same day, similar title: the user is asked
    dialog.save_button.click()
    assert "第一期农民培训班" in answer.texts[-1]
    rows = plan_services.activities.rows(ActivityFilter(), 0, 10, "title", False)
    assert [(r.title, r.start_date, r.type_name, r.unit_name, r.participants) for r in rows] == [
        ("第一期农民培训班", date(2024, 10, 9), "实用技术培训", "县农业农村局", 80),
        ("第二期农民培训班", date(2024, 10, 9), "实用技术培训", "县农业农村局", 95),
    ]
