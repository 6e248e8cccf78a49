"""数据安全: the audit trail reads back every change; locks and backups work from the page."""

from __future__ import annotations

from datetime import date

from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.ui.safety_page import SafetyPage


def test_audit_tab_shows_who_changed_what(qtbot, plan_services: Services, ref):
    svc = plan_services
    types, units = ref(svc, "types"), ref(svc, "units")
    data = ActivityInput(
        start_date=date(2022, 5, 1),
        title="防灾减灾科普讲座",
        type_id=types["科普讲座"],
        unit_id=units["县科协"],
        participants=80,
    )
    aid = svc.activities.add(data)
    data.participants = 120
    svc.activities.update(aid, data)

    page = SafetyPage(svc)
    qtbot.addWidget(page)
    page.refresh()
    tab = page.audit
    tab.entity.setCurrentIndex(tab.entity.findText("活动"))
    assert tab.model.rowCount() == 2
    assert tab.count_label.text() == "共 2 条记录"
    newest = [tab.model.index(0, c).data() for c in range(5)]
    assert newest[1:4] == ["测试员", "修改", "活动"]
    assert newest[4] == "修改活动 防灾减灾科普讲座"
    tab.table.selectRow(0)
    assert "参加人次：80 → 120" in tab.detail.toPlainText()


def test_locks_tab_locks_and_unlocks_with_reason(qtbot, plan_services: Services, answer):
    svc = plan_services
    page = SafetyPage(svc)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.locks)
    assert page.locks.lock("2022Q2")
    assert page.locks.table.item(0, 0).text() == "2022年第2季度"
    assert page.locks.table.item(0, 1).text() == "已锁定"

    answer.next("确定")
    assert not page.locks.unlock("2022Q2", "")
    assert answer.texts == ["解锁必须填写原因。"]
    assert page.locks.unlock("2022Q2", "数据更正")
    assert page.locks.table.item(0, 1).text() == "已解锁"
    assert page.locks.table.item(0, 6).text() == "数据更正"


def test_backup_then_restore_brings_back_the_old_data(qtbot, plan_services: Services, answer):
    svc = plan_services
    page = SafetyPage(svc)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.backups)
    answer.next("确定")
    page.backups.backup_now()
    assert page.backups.table.rowCount() == 1
    assert page.backups.table.item(0, 1).text() == "手动"
    backup = svc.backups.backups()[0].path

    c1 = next(i.id for i in svc.plans.indicators() if i.code == "C1")
    svc.entries.set(c1, "2022", 500)
    assert len(svc.entries.entries(c1)) == 1

    answer.next("确定")
    assert page.backups.restore(backup)
    assert svc.entries.entries(c1) == []
    kinds = {b.label for b in svc.backups.backups()}
    assert kinds == {"manual", "pre-restore"}


def test_backup_to_another_folder_such_as_a_usb_drive(
    qtbot, plan_services: Services, tmp_path, modals
):
    """Backups always went beside the database, with no way to choose a USB drive."""
    usb = tmp_path / "U盘"
    usb.mkdir()
    page = SafetyPage(plan_services)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.backups)
    modals.reply(str(usb))  # the folder chosen in 选择备份位置
    modals.reply(None)  # 已备份到 …
    page.backups.backup_elsewhere_button.click()
    copies = list(usb.glob("*.sqlite3"))
    assert len(copies) == 1 and "manual" in copies[0].name
    assert str(copies[0]) in modals.shown[-1]
    import sqlite3

    con = sqlite3.connect(copies[0])
    try:
        assert con.execute("SELECT count(*) FROM indicator").fetchone()[0] == 7
    finally:
        con.close()
