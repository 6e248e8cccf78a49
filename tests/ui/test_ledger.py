"""活动台账 page: filters, totals, paging, sorting, add, delete and undo — through its widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from desktop.services.activities import ActivityFilter
from desktop.ui.activity_model import COLUMNS
from desktop.ui.ledger_page import LedgerPage


@pytest.fixture
def small_ledger(qtbot, plan_services, add_activity, settled):
    """Four hand-made activities in the small test county, on a shown ledger page."""
    s = plan_services
    add_activity(
        s, date(2024, 3, 1), "城关镇青少年科普讲座", "科普讲座", "县科协",
        participants=100, sessions=2, volunteers=5, volunteer_hours=10, funding_yuan=1000,
        summary="机器人表演和科学实验",
    )  # fmt: skip
    add_activity(
        s, date(2024, 7, 15), "农民实用技术培训班", "实用技术培训", "县科协",
        participants=50, sessions=1, funding_yuan=250.5,
    )  # fmt: skip
    add_activity(
        s, date(2024, 5, 1), "青少年科技节", "青少年科技活动", "县教体局",
        participants=300, sessions=3, volunteers=10, funding_yuan=2000,
    )  # fmt: skip
    add_activity(
        s, date(2023, 11, 11), "科普讲座进社区", "科普讲座", "县科协",
        participants=20, sessions=1,
    )  # fmt: skip
    page = LedgerPage(s)
    qtbot.addWidget(page)
    page.resize(1130, 760)
    page.show()
    settled(page)
    return page


def titles(page: LedgerPage) -> list[str]:
    m = page.model
    return [m.data(m.index(r, 1)) for r in range(m.rowCount())]


def test_unit_filter_shows_its_rows_and_hand_summed_totals(qtbot, small_ledger):
    page = small_ledger
    assert page.model.rowCount() == 4
    with qtbot.waitSignal(page.refreshed):
        page.unit.setCurrentIndex(page.unit.findText("县科协"))
    assert sorted(titles(page)) == sorted(
        ["城关镇青少年科普讲座", "农民实用技术培训班", "科普讲座进社区"]
    )
    # By hand: sessions 2+1+1, 人次 100+50+20, volunteers 5, hours 10, money 1000+250.50.
    t = page.totals
    assert (t.activities, t.sessions, t.participants, t.volunteers) == (3, 4, 170, 5)
    assert t.volunteer_hours == 10 and t.funding_yuan == pytest.approx(1250.50)
    text = page.totals_label.text()
    for part in ("筛选结果 3 条", "场次 4", "参加人次 170", "志愿者人次 5", "经费 1,250.50 元"):
        assert part in text
    # The same figures the service computes for that filter.
    flt = page.current_filter()
    assert page.model.total == page.services.activities.count(flt) == 3
    assert page.totals == page.services.activities.totals(flt)

    with qtbot.waitSignal(page.refreshed):
        page.period.year.setCurrentIndex(page.period.year.findData(2024))
    assert sorted(titles(page)) == sorted(["城关镇青少年科普讲座", "农民实用技术培训班"])
    assert page.totals.participants == 150 and page.totals.sessions == 3

    with qtbot.waitSignal(page.refreshed):
        page.period.part.setCurrentIndex(page.period.part.findText("第三季度"))
    assert titles(page) == ["农民实用技术培训班"]

    with qtbot.waitSignal(page.refreshed):
        page.clear_button.click()
    assert page.model.rowCount() == 4 and page.totals.participants == 470


def test_text_search_type_and_evidence_filters(qtbot, small_ledger, tmp_path):
    page = small_ledger
    with qtbot.waitSignal(page.refreshed, timeout=3000):
        for ch in "科普讲座":  # typed one character at a time; refiltered once typing stops
            page.search.insert(ch)
    assert sorted(titles(page)) == sorted(["城关镇青少年科普讲座", "科普讲座进社区"])
    page.search.clear_quietly()
    with qtbot.waitSignal(page.refreshed):
        page.search.setText("机器人表演")  # in the summary only
        page.search.flush()
    assert titles(page) == ["城关镇青少年科普讲座"]
    page.search.clear_quietly()

    with qtbot.waitSignal(page.refreshed):
        page.type.setCurrentIndex(page.type.findText("科普讲座"))
    assert sorted(titles(page)) == sorted(["城关镇青少年科普讲座", "科普讲座进社区"])
    assert page.totals.participants == 120

    photo = tmp_path / "签到表.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    first = page.services.activities.rows(ActivityFilter(text="进社区"), 0, 10)[0].id
    page.services.evidence.add(first, photo)
    page.services.evidence.add(first, photo)  # a second file: the table counts both
    with qtbot.waitSignal(page.refreshed):
        page.evidence.setCurrentIndex(page.evidence.findText("有佐证材料"))
    assert titles(page) == ["科普讲座进社区"]
    column = [c.header for c in COLUMNS].index("佐证")
    assert page.model.index(0, column).data() == "2 份"
    with qtbot.waitSignal(page.refreshed):
        page.evidence.setCurrentIndex(page.evidence.findText("无佐证材料"))
    assert titles(page) == ["城关镇青少年科普讲座"]


def test_clicking_headers_sorts_in_sql(qtbot, small_ledger):
    page = small_ledger
    assert titles(page)[0] == "农民实用技术培训班"  # newest first by default
    header = page.table.horizontalHeader()
    column = 5  # 参加人次
    point = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    with qtbot.waitSignal(page.refreshed):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    first = [page.model.row_data(r).participants for r in range(page.model.rowCount())]
    with qtbot.waitSignal(page.refreshed):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    second = [page.model.row_data(r).participants for r in range(page.model.rowCount())]
    assert page.model.sort_key == "participants"
    assert sorted([first, second]) == [[20, 50, 100, 300], [300, 100, 50, 20]]


def test_every_row_is_counted_and_read_when_shown(qtbot, demo_services, settled):
    page = LedgerPage(demo_services)
    qtbot.addWidget(page)
    page.show()
    settled(page)
    model = page.model
    assert model.total == model.rowCount() == 300  # the count, not what was read
    assert model.cached_pages == [0] and model.page_size == 200  # count + first page only
    assert model.row_data(299) is None
    with qtbot.waitSignal(model.page_loaded) as arrived:
        page.table.scrollToBottom()
    assert arrived.args == [200, 299]
    ids = [model.activity_id(r) for r in range(300)]
    assert None not in ids and len(set(ids)) == 300


def test_demo_unit_filter_matches_service(qtbot, demo_services, settled):
    page = LedgerPage(demo_services)
    qtbot.addWidget(page)
    settled(page)
    with qtbot.waitSignal(page.refreshed):
        page.unit.setCurrentIndex(page.unit.findText("市科协"))
    unit_id = {u.name: u.id for u in demo_services.reference.units()}["市科协"]
    flt = ActivityFilter(unit_id=unit_id)
    expected = demo_services.activities.totals(flt)
    assert 0 < page.model.total == demo_services.activities.count(flt) < 300
    assert page.totals == expected
    assert f"参加人次 {expected.participants:,}" in page.totals_label.text()
    assert {page.model.row_data(r).unit_name for r in range(page.model.rowCount())} == {"市科协"}


def test_add_through_dialog_then_it_is_in_the_table(qtbot, demo_services, settled, ref):
    page = LedgerPage(demo_services)
    qtbot.addWidget(page)
    page.show()
    settled(page)
    before = page.model.total
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.title_edit.insert("景芝镇姜蒜高效栽培技术培训")
    dialog.start_edit.setDate(date(2025, 6, 18))
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findText("实用技术培训"))
    dialog.place_combo.setCurrentIndex(dialog.place_combo.findText("景芝镇"))
    dialog.unit_combo.lineEdit().setText("市农业农村局")
    dialog.participants.setValue(120)
    dialog.female.setValue(45)
    dialog.sessions.setValue(2)
    dialog.funding.setValue(1800)
    dialog.group_checks[ref(demo_services, "groups")["农民"]].setChecked(True)
    with qtbot.waitSignal(page.refreshed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert page.model.total == before + 1
    new_id = page.selected_id()
    assert new_id is not None
    row = page.model.row_data(page.model.row_of(new_id))
    assert (row.title, row.unit_name, row.place_name, row.participants) == (
        "景芝镇姜蒜高效栽培技术培训",
        "市农业农村局",
        "景芝镇",
        120,
    )
    saved = demo_services.activities.get(new_id)
    assert saved.female == 45 and saved.rural is None and saved.sessions == 2
    assert saved.funding_fen == 180000 and [g.name for g in saved.groups] == ["农民"]
    assert page.notice.label.text() == "已保存：景芝镇姜蒜高效栽培技术培训"  # a sign, and selected


def test_a_filter_with_no_match_says_so(qtbot, small_ledger, settled):
    page = small_ledger
    assert page.no_match.isHidden()
    page.search.setText("没有这样的活动名称")
    page.apply_filters()
    settled(page)
    assert page.totals.activities == 0
    assert not page.no_match.isHidden()
    assert page.no_match.text().startswith("没有符合筛选条件的活动")
    page.search.setText("")
    page.apply_filters()
    settled(page)
    assert page.no_match.isHidden()


def test_delete_asks_then_undo_restores(qtbot, demo_services, settled, answer):
    page = LedgerPage(demo_services)
    qtbot.addWidget(page)
    page.show()
    settled(page)
    before = page.model.total
    page.table.selectRow(0)  # newest first: 2025, not locked
    victim = page.model.row_data(0)

    answer.next("取消")
    page.delete_button.click()
    assert page.model.total == before  # cancelled: nothing deleted
    assert "确定删除" in answer.texts[-1] and victim.title in answer.texts[-1]

    answer.next("删除")
    with qtbot.waitSignal(page.refreshed):
        page.delete_button.click()
    assert page.model.total == before - 1
    assert page.model.row_of(victim.id) is None
    assert page.notice.isVisible() and "已删除" in page.notice.label.text()
    assert page.notice.action.text() == "撤销"

    with qtbot.waitSignal(page.refreshed):
        page.notice.action.click()
    assert page.model.total == before
    restored = page.model.row_data(page.model.row_of(page.selected_id()))
    assert (restored.title, restored.start_date, restored.participants) == (
        victim.title,
        victim.start_date,
        victim.participants,
    )
    assert "已恢复" in page.notice.label.text()


def test_deleting_in_a_locked_year_is_refused_with_the_reason(
    qtbot, demo_services, settled, monkeypatch
):
    page = LedgerPage(demo_services)
    qtbot.addWidget(page)
    page.show()
    settled(page)
    with qtbot.waitSignal(page.refreshed):
        page.period.year.setCurrentIndex(page.period.year.findData(2023))
    count = page.model.total
    page.table.selectRow(0)
    asked: list[str] = []

    def ask(box: QMessageBox) -> int:
        asked.append(box.text())
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", ask)
    page.delete_button.click()
    assert asked == []  # refused at once: no "确定删除" first, then a refusal
    assert page.model.total == count
    assert "2023年已报送并锁定" in page.notice.label.text()
    assert not page.notice.action.isVisible()


def test_keyboard_delete_only_acts_from_the_table(qtbot, small_ledger, answer):
    page = small_ledger
    page.activateWindow()
    qtbot.waitActive(page)
    page.table.selectRow(0)
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Delete)  # editing the search box
    assert page.model.total == 4 and answer.texts == []

    page.table.setFocus()
    answer.next("取消")
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(answer.texts) == 1)
    assert "确定删除" in answer.texts[0]
    assert page.model.total == 4


def test_double_click_opens_the_row_for_editing(qtbot, small_ledger):
    page = small_ledger
    row = page.model.row_data(1)
    cell = page.table.visualRect(page.model.index(1, 1)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "修改活动"
    assert dialog.title_edit.text() == row.title
    dialog.participants.setValue(row.participants + 7)
    with qtbot.waitSignal(page.refreshed):
        dialog.save_button.click()
    assert page.model.row_data(page.model.row_of(row.id)).participants == row.participants + 7
    assert page.selected_id() == row.id
