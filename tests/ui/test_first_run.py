"""First run: office details and a plan from a template, a plan file or the document text;
cancelling leaves the database without a plan and the program exits cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWizard

from desktop.exporting.plan_workbook import write_plan_workbook
from desktop.services import Services
from desktop.templates import load_template
from desktop.ui.app import run_gui
from desktop.ui.first_run import FILE, TEMPLATE, TEXT, FirstRunWizard
from tests.modal_guard import when_shown
from tests.paths import PLAN_TEXTS

SEEDS = PLAN_TEXTS


@pytest.fixture
def wizard(qtbot, services: Services) -> FirstRunWizard:
    w = FirstRunWizard(services)
    qtbot.addWidget(w)
    w.show()
    return w


def fill_office(w: FirstRunWizard) -> None:
    assert not w.button(QWizard.WizardButton.NextButton).isEnabled()
    w.office.edits["region"].setText("中卫市")
    w.office.edits["office_name"].setText("中卫市全民科学素质工作领导小组办公室")
    w.office.edits["contact_person"].setText("王芳")
    w.office.edits["contact_phone"].setText("0955-7012345")
    assert w.button(QWizard.WizardButton.NextButton).isEnabled()
    w.next()


def choose(w: FirstRunWizard, source: int) -> None:
    w.source.group.button(source).setChecked(True)
    w.next()
    assert w.currentId() == source


def finish(w: FirstRunWizard) -> None:
    w.button(QWizard.WizardButton.FinishButton).click()


def test_template_route_saves_office_and_active_plan(wizard: FirstRunWizard, services: Services):
    fill_office(wizard)
    choose(wizard, TEMPLATE)
    names = [wizard.template_page.list.item(i).text() for i in range(5)]
    assert names == [
        "安丘市  2021—2025",
        "攀枝花市  2016—2020",
        "攀枝花市  2022—2025",
        "玉溪市  2016—2020",
        "中卫市  2021—2025",
    ]
    assert "安丘市全民科学素质行动规划纲要实施方案" in wizard.template_page.details.text()
    wizard.template_page.list.setCurrentRow(4)
    details = wizard.template_page.details.text()
    assert "10 个行动/工程，33 项任务，23 个指标" in details
    assert "公民具备科学素质的比例目标：10%" in details
    finish(wizard)

    assert wizard.result() == QWizard.DialogCode.Accepted
    assert services.plans.active().name == "中卫市全民科学素质行动规划纲要实施方案（2021年—2025年）"
    settings = services.settings.all()
    assert (settings["region"], settings["office_name"]) == (
        "中卫市",
        "中卫市全民科学素质工作领导小组办公室",
    )
    assert (settings["contact_person"], settings["contact_phone"]) == ("王芳", "0955-7012345")


def test_file_route_refuses_a_bad_file_then_takes_a_good_one(
    wizard: FirstRunWizard, services: Services, data_dir: Path
):
    fill_office(wizard)
    choose(wizard, FILE)
    bad = data_dir / "plan.yaml"
    bad.write_text("plan: [", encoding="utf-8")
    wizard.file_page.load_file(bad)
    assert "YAML 格式错误" in wizard.file_page.result.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()

    good = data_dir / "plan.xlsx"
    write_plan_workbook(load_template("yuxi-2016-2020"), good)
    wizard.file_page.load_file(good)
    assert "10 个行动/工程，39 项任务，12 个指标" in wizard.file_page.result.text()
    finish(wizard)
    assert services.plans.active().code == "yuxi-2016-2020"
    assert len(services.plans.tasks()) == 39


def test_text_route_uses_the_draft_tree(wizard: FirstRunWizard, services: Services):
    fill_office(wizard)
    choose(wizard, TEXT)
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    wizard.text_page.widget.open_file(SEEDS / "anqiu-2021-2025.txt")
    assert wizard.text_page.widget.editor.tree.topLevelItemCount() == 9
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    finish(wizard)
    plan = services.plans.active()
    assert plan.region == "安丘市" and plan.doc_number == "安政发〔2022〕9号"
    assert len(services.plans.tasks()) == 31


def test_cancelling_the_wizard_exits_without_a_plan(qapp: QApplication, data_dir: Path):
    db = data_dir / "new.sqlite3"
    seen: list[str] = []

    def cancel(wizard: FirstRunWizard) -> None:
        seen.append(wizard.windowTitle())
        wizard.reject()

    when_shown(FirstRunWizard, cancel)
    assert run_gui(str(db)) == 0
    assert seen == ["科普台账 — 首次使用"]
    svc = Services.open(db)
    try:
        assert not svc.plans.has_active() and svc.plans.plans() == []
    finally:
        svc.close()
