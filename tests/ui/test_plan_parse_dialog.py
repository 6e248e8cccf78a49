"""从文本识别: a seed document becomes a draft the user fixes in the tree, then a saved plan."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTreeWidgetItem

from desktop.services import Services
from desktop.ui.indicator_dialog import IndicatorDialog
from desktop.ui.plan_dialogs import PlanInfoDialog, UnitLinkDialog
from desktop.ui.plan_parse_dialog import PlanParseDialog
from tests.modal_guard import when_shown
from tests.paths import PLAN_TEXTS

SEEDS = PLAN_TEXTS
SHORT_PLAN = (
    "一、青少年科学素质提升行动\n"
    "1．开展科普讲座。每年举办科普讲座不少于4次。〔责任单位：县科协、县教体局〕\n"
    "2．建设科技志愿者队伍。到2025年科技志愿者达到500人。〔责任单位：县科协〕\n"
)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def note(_parent, _title, text, *args):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", note)
    monkeypatch.setattr(QMessageBox, "information", note)
    return shown


@pytest.fixture
def dialog(qtbot, services: Services) -> PlanParseDialog:
    widget = PlanParseDialog(services)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def item(dialog: PlanParseDialog, key: tuple) -> QTreeWidgetItem:
    tree = dialog.widget.editor.tree

    def walk(node: QTreeWidgetItem):
        if node.data(0, 256) == key:
            return node
        for i in range(node.childCount()):
            found = walk(node.child(i))
            if found is not None:
                return found
        return None

    for i in range(tree.topLevelItemCount()):
        found = walk(tree.topLevelItem(i))
        if found is not None:
            return found
    raise AssertionError(key)


def test_seed_document_is_reviewed_fixed_and_saved(dialog: PlanParseDialog, services: Services):
    editor = dialog.widget.editor
    dialog.widget.open_file(SEEDS / "panzhihua-2022-2025.txt")
    assert "10 个行动/工程，28 项任务" in editor.summary.text()
    assert editor.tree.topLevelItemCount() == 10
    first_task = item(dialog, ("task", 0, 0))
    lead = first_task.child(0)
    assert lead.text(2) == "牵头"

    # the user deletes the second task of the first section
    removed_title = item(dialog, ("task", 0, 1)).text(0)
    editor.tree.setCurrentItem(item(dialog, ("task", 0, 1)))
    editor.remove_item()

    # … makes the first task's second unit a lead unit …
    second_unit = item(dialog, ("task_unit", 0, 0, 1)).text(0)
    editor.tree.setCurrentItem(item(dialog, ("task_unit", 0, 0, 1)))

    def lead_role(d: UnitLinkDialog) -> None:
        d.role.setCurrentIndex(d.role.findData("lead"))
        d.accept()

    when_shown(UnitLinkDialog, lead_role)
    editor.edit_item()

    # … and adds a unit the document forgot
    editor.tree.setCurrentItem(item(dialog, ("task", 0, 0)))

    def add(d: UnitLinkDialog) -> None:
        d.name.setCurrentText("市档案馆")
        d.role.setCurrentIndex(d.role.findData("cooperating"))
        d.accept()

    when_shown(UnitLinkDialog, add)
    editor.add_unit()
    assert editor.problems.text() == ""

    dialog.save()
    assert dialog.result() == PlanParseDialog.DialogCode.Accepted
    plan = services.plans.document(dialog.saved_plan_id).to_dict()
    assert services.plans.active().id == dialog.saved_plan_id
    assert plan["plan"]["region"] == "攀枝花市"
    tasks = [t for s in plan["sections"] for t in s["tasks"]]
    assert len(tasks) == 27
    assert removed_title.split("．", 1)[-1] not in [t["title"] for t in tasks]
    units = tasks[0]["units"]
    assert units[1] == {"name": second_unit, "role": "lead"}
    assert units[-1] == {"name": "市档案馆", "role": "cooperating"}


def test_a_draft_without_plan_info_is_not_saved_until_fixed(
    dialog: PlanParseDialog, services: Services, warnings: list[str]
):
    editor = dialog.widget.editor
    dialog.widget.text.setPlainText(SHORT_PLAN)
    dialog.widget.parse_button.click()
    assert editor.tree.topLevelItemCount() == 1
    assert editor.problems.text() == ""  # not in red before the clerk reached anything
    dialog.save()
    assert warnings and warnings[0].startswith("方案草稿还有 4 处问题，请先修正：")
    assert services.plans.plans() == []
    assert editor.problems.text().startswith("保存前须修正 4 处：")
    assert "方案信息的“名称”：“名称”不能为空。" in editor.problems.text()

    def fill(d: PlanInfoDialog) -> None:
        d.name.setText("测试县全民科学素质行动实施方案（2021—2025年）")
        d.region.setText("测试县")
        d.first.setValue(2021)
        d.last.setValue(2025)
        d.accept()

    when_shown(PlanInfoDialog, fill)
    editor.edit_plan_info()
    assert editor.problems.text() == ""

    editor.tabs.setCurrentIndex(1)
    editor.table.selectRow(0)
    assert editor.table.item(0, 3).text() == "≥ 4次"

    def target(d: IndicatorDialog) -> None:
        d.target.setText("6")
        d.accept()

    when_shown(IndicatorDialog, target)
    editor.edit_indicator()
    assert editor.table.item(0, 3).text() == "≥ 6次"

    dialog.activate.setChecked(False)
    dialog.save()
    plans = services.plans.plans()
    assert [p.name for p in plans] == ["测试县全民科学素质行动实施方案（2021—2025年）"]
    saved = services.plans.document(plans[0].id).to_dict()
    assert saved["indicators"][0]["target"] == 6
    assert saved["sections"][0]["tasks"][0]["units"] == [
        {"name": "县科协", "role": "lead"},
        {"name": "县教体局", "role": "cooperating"},
    ]


def test_nothing_pasted_is_explained(dialog: PlanParseDialog, warnings: list[str]):
    dialog.widget.parse_button.click()
    dialog.save()
    assert warnings == ["请先粘贴或打开方案原文。", "还没有识别出方案：请先粘贴原文并点“识别”。"]
    assert dialog.isVisible()


def test_esc_after_a_plan_was_pasted_and_recognised_asks_first(
    qtbot, dialog: PlanParseDialog, services: Services, modals
):
    """从文本识别 threw a pasted, recognised plan away on Esc."""
    dialog.widget.text.setPlainText(SHORT_PLAN)
    dialog.widget.parse_button.click()
    assert dialog.widget.editor.tree.topLevelItemCount() >= 1
    modals.reply(QMessageBox.StandardButton.Cancel)  # 继续编辑
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.widget.text.toPlainText() == SHORT_PLAN
    modals.reply(QMessageBox.StandardButton.Discard)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and services.plans.plans() == []
    assert [s.split("：")[0] for s in modals.shown] == ["放弃修改？", "放弃修改？"]


UNPLACED_PLAN = (
    "二、重点任务\n"
    "（一）青少年科学素质提升行动\n"
    "1．开展科普讲座。每年举办科普讲座不少于4次。〔责任单位：县科协〕\n"
    "这一段写在责任单位之后，\n不属于任何任务。\n"
    "2．建设科技志愿者队伍。〔责任单位：县科协〕\n"
)


def test_a_line_the_parser_cannot_place_is_listed_beside_the_tree(qtbot, dialog: PlanParseDialog):
    widget = dialog.widget
    listed = widget.editor.unplaced
    assert not listed.isVisible()  # nothing parsed yet
    widget.text.setPlainText(SHORT_PLAN)
    widget.parse_button.click()
    assert listed.isVisible() and listed.title.text() == "未能识别的内容：无"
    assert not listed.list.isVisible()

    widget.text.setPlainText(UNPLACED_PLAN)
    widget.parse_button.click()
    assert listed.lines() == ["这一段写在责任单位之后，不属于任何任务。"]
    assert "未能识别的内容（1 行）" in listed.title.text() and listed.list.isVisible()
    # double-clicking it selects it in the pasted text, though the text wraps it
    listed.list.itemDoubleClicked.emit(listed.list.item(0))
    assert (
        widget.text.textCursor().selectedText() == "这一段写在责任单位之后，\u2029不属于任何任务。"
    )
    listed.list.setCurrentRow(0)
    listed.copy_selected()
    assert QApplication.clipboard().text() == "这一段写在责任单位之后，不属于任何任务。"


def test_a_fresh_draft_shows_no_problem_in_red_until_save_is_pressed(
    dialog: PlanParseDialog, warnings: list[str]
):
    editor = dialog.widget.editor
    assert editor.problems.text() == ""  # the dialog opens quiet, nothing pasted
    dialog.widget.text.setPlainText(SHORT_PLAN)  # no name, region or years
    dialog.widget.parse_button.click()
    assert editor.problems.text() == ""
    # editing the tree shows the tree's problems (none), not the plan info's
    editor.tree.setCurrentItem(item(dialog, ("task", 0, 1)))
    editor.remove_item()
    assert editor.problems.text() == ""
    dialog.save()
    assert warnings == [warnings[0]] and warnings[0].startswith("方案草稿还有 4 处问题")
    assert editor.problems.text().startswith("保存前须修正 4 处：")
    # a new parse is a fresh draft again
    dialog.widget.parse_button.click()
    assert editor.problems.text() == ""


def test_the_first_run_text_page_opens_without_problems(qtbot, services: Services):
    from desktop.ui.first_run import TextPage

    page = TextPage(services)
    qtbot.addWidget(page)
    assert page.widget.editor.problems.text() == ""
    page.widget.text.setPlainText(SHORT_PLAN)
    page.widget.parse_button.click()
    assert page.widget.editor.problems.text() == ""
    assert page.isComplete()
    page.plan()  # what 完成 saves: from now on its problems are shown
    assert page.widget.editor.problems.text().startswith("保存前须修正 4 处：")
