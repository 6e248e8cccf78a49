"""实施方案 page: the tree and indicators as the user sees them; editing through the dialogs;
guarded removal; several plans with one active; plan files in and out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QTreeWidgetItem

from desktop.plan.document import IndicatorDoc
from desktop.services import Services
from desktop.templates import load_template
from desktop.ui.indicator_dialog import IndicatorDialog
from desktop.ui.plan_dialogs import SectionDialog, TaskDialog, UnitLinkDialog
from desktop.ui.plan_page import PlanPage
from tests.modal_guard import when_shown


class Questions:
    """Stands in for the user at QMessageBox.question; records what was asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[str] = []
        self.answers: list[QMessageBox.StandardButton] = []
        self.shown: list[str] = []
        monkeypatch.setattr(QMessageBox, "question", self._question)
        monkeypatch.setattr(QMessageBox, "information", self._note)
        monkeypatch.setattr(QMessageBox, "warning", self._note)

    def _question(self, _parent, _title, text, *args) -> QMessageBox.StandardButton:
        self.asked.append(text)
        return self.answers.pop(0) if self.answers else QMessageBox.StandardButton.Yes

    def _note(self, _parent, _title, text, *args) -> QMessageBox.StandardButton:
        self.shown.append(text)
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    return Questions(monkeypatch)


@pytest.fixture
def page(qtbot, plan_services: Services) -> PlanPage:
    widget = PlanPage(plan_services)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    return widget


def texts(item: QTreeWidgetItem) -> list[str]:
    return [item.text(c) for c in range(4)]


def find(page: PlanPage, kind: str, code_or_name: str) -> QTreeWidgetItem:
    def walk(item: QTreeWidgetItem):
        data = item.data(0, 256)
        if data and data[0] == kind and code_or_name in (item.text(1), item.text(0)):
            return item
        for i in range(item.childCount()):
            found = walk(item.child(i))
            if found is not None:
                return found
        return None

    for i in range(page.sections.tree.topLevelItemCount()):
        found = walk(page.sections.tree.topLevelItem(i))
        if found is not None:
            return found
    raise AssertionError(f"{kind} {code_or_name} not in the tree")


def select(page: PlanPage, kind: str, code_or_name: str) -> None:
    page.sections.tree.setCurrentItem(find(page, kind, code_or_name))


def table_row(page: PlanPage, code: str) -> list[str]:
    table = page.indicators.table
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == code:
            return [table.item(row, c).text() for c in range(table.columnCount())]
    raise AssertionError(code)


def test_tree_and_indicators_show_the_plan(page: PlanPage):
    assert page.plan_box.currentText().endswith("2021—2025（当前）")
    assert page.active_label.text() == "● 当前启用"
    a1 = page.sections.tree.topLevelItem(0)
    assert texts(a1) == ["青少年科学素质提升行动", "A1", "提升行动", "青少年"]
    assert texts(a1.child(0)) == ["1．开展青少年科普讲座", "A1.1", "任务", "县教体局"]
    assert texts(a1.child(0).child(0))[:3] == ["县教体局", "", "牵头"]
    assert texts(a1.child(0).child(1))[:3] == ["县科协", "", "配合"]
    p1 = page.sections.tree.topLevelItem(1)
    assert texts(p1)[:3] == ["基层科普能力提升工程", "P1", "重点工程"]
    assert p1.child(0).text(0) == "行动/工程责任单位（1 个）"
    assert texts(p1.child(0).child(0))[:3] == ["县科协", "", "牵头"]
    assert page.indicators.table.rowCount() == 7
    assert table_row(page, "C1") == [
        "C1",
        "农民培训人次",
        "≥ 10000人次",
        "规划期累计",
        "累计数",
        "P1.1",
        "手工填报",
    ]
    assert table_row(page, "Y1")[2] == "2021年 100；2022年 200；2023年 300；2024年 400；2025年 500"
    assert table_row(page, "E1")[2] == "≤ 10次"
    assert table_row(page, "D1")[6] == "台账统计"


def test_add_section_task_and_unit_through_the_dialogs(page: PlanPage, plan_services: Services):
    def section(d: SectionDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData("project"))
        d.title_edit.setText("科普信息化工程")
        d.accept()

    when_shown(SectionDialog, section)
    page.sections.add_section()
    assert texts(page.sections.tree.currentItem())[:3] == ["科普信息化工程", "P2", "重点工程"]

    def task(d: TaskDialog) -> None:
        d.number.setText("1")
        d.title_edit.setText("建设县级科普网站")
        d.text.setPlainText("建设县级科普网站并每周更新。")
        d.accept()

    when_shown(TaskDialog, task)
    page.sections.add_task()
    assert texts(page.sections.tree.currentItem())[:3] == ["1．建设县级科普网站", "P2.1", "任务"]

    def unit(d: UnitLinkDialog) -> None:
        d.name.setCurrentText("县融媒体中心")
        d.role.setCurrentIndex(d.role.findData("lead"))
        d.accept()

    when_shown(UnitLinkDialog, unit)
    page.sections.add_unit()
    assert texts(page.sections.tree.currentItem())[:3] == ["县融媒体中心", "", "牵头"]
    p2 = plan_services.plans.document().to_dict()["sections"][2]
    assert p2["code"] == "P2" and p2["tasks"][0]["units"] == [
        {"name": "县融媒体中心", "role": "lead"}
    ]


def test_a_refused_edit_keeps_the_dialog_and_the_input(
    page: PlanPage, plan_services: Services, modals
):
    seen: dict[str, object] = {}

    def empty_title(d: TaskDialog) -> None:
        d.title_edit.setText("")
        d.accept()
        seen["error"] = d.error.text()
        seen["open"] = d.isVisible()
        seen["text"] = d.text.toPlainText()
        d.reject()

    select(page, "task", "A1.1")
    when_shown(TaskDialog, empty_title)
    modals.reply(QMessageBox.StandardButton.Discard)  # 放弃修改？ on 取消 after the edit
    page.sections.edit_item()
    assert seen == {"error": "任务标题不能为空。", "open": True, "text": "每年开展青少年科普讲座。"}
    assert modals.shown[-1].startswith("放弃修改？")
    assert (
        plan_services.plans.document().to_dict()["sections"][0]["tasks"][0]["title"]
        == "开展青少年科普讲座"
    )


def test_move_up_and_down(page: PlanPage, plan_services: Services):
    select(page, "task", "A1.2")
    page.sections.buttons["up"].click()
    a1 = page.sections.tree.topLevelItem(0)
    assert [a1.child(i).text(1) for i in range(a1.childCount())] == ["A1.2", "A1.1"]
    assert page.sections.tree.currentItem().text(1) == "A1.2"
    select(page, "section", "P1")
    page.sections.buttons["up"].click()
    assert page.sections.tree.topLevelItem(0).text(1) == "P1"
    assert [s["code"] for s in plan_services.plans.document().to_dict()["sections"]] == ["P1", "A1"]


def test_removal_with_dependents_asks_twice_and_can_be_declined(
    page: PlanPage, plan_services: Services, questions: Questions, add_activity
):
    tasks = {t.code: t.id for t in plan_services.plans.tasks()}
    add_activity(
        plan_services,
        date(2025, 5, 4),
        "科学家精神进校园",
        "科普讲座",
        "县教体局",
        participants=200,
        task_ids=[tasks["A1.1"]],
    )
    select(page, "task", "A1.1")
    questions.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No]
    page.sections.buttons["remove"].click()
    assert questions.asked[0] == "删除任务“开展青少年科普讲座”？"
    assert questions.asked[1].startswith(
        "任务 A1.1“开展青少年科普讲座”已有 1 条活动关联、1 个指标属于它。"
    )
    assert find(page, "task", "A1.1") is not None

    select(page, "task", "A1.1")
    questions.answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Yes]
    page.sections.buttons["remove"].click()
    a1 = page.sections.tree.topLevelItem(0)
    assert [a1.child(i).text(1) for i in range(a1.childCount())] == ["A1.2"]
    assert table_row(page, "D1")[5] == "全方案"


def test_edit_an_indicator_target_and_a_bad_number(page: PlanPage, plan_services: Services, modals):
    page.indicators.table.selectRow(0)
    seen: dict[str, str] = {}

    def bad(d: IndicatorDialog) -> None:
        d.target.setText("很多")
        d.accept()
        seen["error"] = d.error.text()
        d.reject()

    when_shown(IndicatorDialog, bad)
    modals.reply(QMessageBox.StandardButton.Discard)
    page.indicators.edit_indicator()
    assert seen["error"] == "“目标值”应为数字，现为“很多”。"

    def good(d: IndicatorDialog) -> None:
        d.target.setText("12,000")
        d.accept()

    when_shown(IndicatorDialog, good)
    page.indicators.edit_indicator()
    assert table_row(page, "C1")[2] == "≥ 12000人次"
    assert plan_services.plans.document().to_dict()["indicators"][0]["target"] == 12000


def test_export_then_import_as_a_second_plan_and_switch(
    qtbot,
    page: PlanPage,
    plan_services: Services,
    questions: Questions,
    data_dir: Path,
    monkeypatch,
):
    out = data_dir / "测试县方案.xlsx"
    done: list[bool] = []
    page.export_file(out, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    assert questions.shown == [f"已导出：{out}"]

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("test-county-rev", True))
    # a second plan, not an update of this one; do not activate it
    questions.answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.No]
    done.clear()
    page.import_file(out, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    assert questions.asked[-1].startswith("已读入“测试县全民科学素质行动实施方案（2021—2025年）”")
    assert page.plan_box.count() == 2
    assert not page.plan_box.currentText().endswith("（当前）")
    assert page.activate_button.isEnabled() and page.delete_plan_button.isEnabled()

    page.activate_button.click()
    assert page.plan_box.currentText().endswith("（当前）")
    assert plan_services.plans.active().code == "test-county-rev"
    other = [page.plan_box.itemText(i) for i in range(2)]
    assert sum(text.endswith("（当前）") for text in other) == 1


def test_a_bad_plan_file_is_explained(qtbot, page: PlanPage, questions: Questions, data_dir: Path):
    bad = data_dir / "bad.yaml"
    bad.write_text("id: x\nplan: {region: 测试县}\n", encoding="utf-8")
    done: list[bool] = []
    page.import_file(bad, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    (message,) = questions.shown
    assert message.startswith("方案文件“bad.yaml”有 3 处问题，未导入任何内容：")
    assert "方案信息的“名称”：“名称”不能为空。" in message
    assert page.plan_box.count() == 1


def test_main_window_has_the_plan_page(main_window):
    page = main_window.show_page("实施方案")
    assert isinstance(page, PlanPage)
    assert page.sections.tree.topLevelItemCount() == 9
    assert page.sections.tree.topLevelItem(0).text(0) == "青少年科学素质提升行动"


def test_activating_another_plan_renames_it_in_the_status_bar(main_window):
    services = main_window.services
    services.plans.create(load_template("yuxi-2016-2020"), activate=False)
    page = main_window.show_page("实施方案")
    page.plan_box.setCurrentIndex(page.plan_box.findText("玉溪", Qt.MatchFlag.MatchContains))
    page.activate_button.click()
    assert services.plans.active().code == "yuxi-2016-2020"
    assert main_window.status_label.text().startswith(f"当前方案：{services.plans.active().name}")
    assert "安丘" not in main_window.status_label.text()


def test_loading_an_edited_file_back_updates_the_plan(
    qtbot, page: PlanPage, plan_services: Services, questions: Questions, data_dir: Path
):
    import openpyxl

    out = data_dir / "plan.xlsx"
    done: list[bool] = []
    page.export_file(out, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    wb = openpyxl.load_workbook(out)
    wb["行动与任务"]["D3"] = "开展青少年科普讲座和科学实验"
    wb.save(out)

    questions.answers = [QMessageBox.StandardButton.Yes]  # update the existing plan
    done.clear()
    page.import_file(out, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    assert questions.shown[-1] == "已按文件更新方案：新增 0 项、修改 1 项、删除 0 项。"
    assert page.plan_box.count() == 1
    assert find(page, "task", "A1.1").text(0) == "1．开展青少年科普讲座和科学实验"


def select_indicator(page: PlanPage, code: str) -> None:
    table = page.indicators.table
    rows = range(table.rowCount())
    table.selectRow(next(r for r in rows if table.item(r, 0).text() == code))


def test_coverage_ratio_set_up_in_the_dialog_is_computed_and_guards_its_parts(
    qtbot, page: PlanPage, plan_services: Services, questions: Questions, data_dir: Path
):
    editor, plan_id = plan_services.plan_editor, plan_services.plans.active().id
    level = {"unit": "个", "measure": "level", "target_mode": "end", "task": None}
    editor.add_indicator(
        plan_id, IndicatorDoc.from_dict({**level, "code": "R1", "name": "示范社区数", "target": 24})
    )
    editor.add_indicator(
        plan_id, IndicatorDoc.from_dict({**level, "code": "R2", "name": "社区总数", "target": 40})
    )
    page.load_plan()
    seen: dict[str, object] = {}

    def fill(d: IndicatorDialog) -> None:
        # A count (the default) has no 分子 / 分母.
        seen["hidden"] = not d.numerator.isVisible() and not d.denominator.isVisible()
        d.code.setText("R3")
        d.name.setText("科普示范社区覆盖率")
        d.uom.setCurrentText("%")
        d.measure.setCurrentIndex(d.measure.findData("percent"))
        d.mode.setCurrentIndex(d.mode.findData("end"))
        d.target.setText("60")
        seen["shown"] = d.numerator.isVisible() and d.denominator.isEnabled()
        seen["choices"] = [d.numerator.itemText(i) for i in range(d.numerator.count())]
        d.numerator.setCurrentIndex(d.numerator.findData("R1"))
        d.accept()  # no denominator yet: refused, the dialog stays open
        seen["error"] = d.error.text()
        d.denominator.setCurrentIndex(d.denominator.findData("R2"))
        d.grab().save(str(data_dir / "indicator_dialog.png"))
        d.accept()

    when_shown(IndicatorDialog, fill)
    page.indicators.add_indicator()
    assert seen["hidden"] and seen["shown"]
    # Level and count indicators in plan order; the percent P1 is not offered.
    assert seen["choices"] == [
        "（不设）",
        "C1 农民培训人次",
        "C2 每年农村妇女培训人次",
        "L1 注册科技志愿者人数",
        "D1 青少年科普讲座参加人次",
        "Y1 科普示范村数",
        "E1 安全事故次数",
        "R1 示范社区数",
        "R2 社区总数",
    ]
    assert seen["error"] == (
        "填写了分子指标“R1”，还应填写分母指标（分子、分母要么都填，要么都不填）。"
    )
    assert table_row(page, "R3")[2:] == ["≥ 60%", "期末达到", "比率", "全方案", "计算：R1 ÷ R2"]

    ids = {i.code: i.id for i in plan_services.plans.indicators()}
    plan_services.entries.set(ids["R1"], "2022", 18)
    plan_services.entries.set(ids["R2"], "2022", 40)
    report = plan_services.progress.report(as_of=date(2022, 12, 31))
    r3 = next(p for p in report.indicators if p.code == "R3")
    assert r3.actual == pytest.approx(45.0)  # 18 / 40
    assert r3.completion_pct == pytest.approx(75.0)

    # Editing R3 shows its parts; R3 itself is not offered as its own part.
    def check(d: IndicatorDialog) -> None:
        seen["edit"] = (d.numerator.currentData(), d.denominator.currentData())
        seen["own"] = d.numerator.findData("R3")
        d.reject()

    select_indicator(page, "R3")
    when_shown(IndicatorDialog, check)
    page.indicators.edit_indicator()
    assert seen["edit"] == ("R1", "R2") and seen["own"] == -1

    # Removing a part is refused with the reason shown; R1 and its figure stay.
    select_indicator(page, "R1")
    questions.answers = [QMessageBox.StandardButton.Yes]
    page.indicators.remove_indicator()
    assert questions.asked[-1] == "删除指标 R1“示范社区数”？"
    assert questions.shown[-1] == (
        "指标 R1“示范社区数”是比率指标 R3“科普示范社区覆盖率”的分子，不能删除；"
        "请先在那个指标中取消或更换分子、分母。"
    )
    assert table_row(page, "R1")[1] == "示范社区数"
    assert len(plan_services.entries.entries(ids["R1"])) == 1


def test_a_unit_with_activities_is_not_deleted_and_no_missing_action_is_advised(
    qtbot, demo_services, answer
):
    """The refusal told the user to 停用 the unit, which nothing in the program can do."""
    from desktop.ui.units_dialog import UnitsDialog

    dialog = UnitsDialog(demo_services)
    qtbot.addWidget(dialog)
    row = next(i for i in range(dialog.units.count()) if dialog.units.item(i).text() == "市科协")
    dialog.units.setCurrentRow(row)
    answer.next("确定")
    dialog.remove_unit()
    assert "市科协" in [u.name for u in demo_services.reference.units()]
    assert "不能删除" in answer.texts[0] and "停用" not in answer.texts[0]
