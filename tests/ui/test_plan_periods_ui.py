"""The period's turn in the window: 开始下一期方案 on the 实施方案 page, the ended plan read-only
until unlocked with a reason, 接续上一期方案's review table, pending targets shown as 未定目标,
and year choices that span both plans and name each year's plan."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from desktop.plan.document import PlanDocument
from desktop.services import Services
from desktop.ui.continuation_dialog import NEW_INDICATOR, ContinuationDialog
from desktop.ui.entries_page import EntriesPage
from desktop.ui.indicator_table import COL_STATUS
from desktop.ui.indicators_page import IndicatorsPage
from desktop.ui.plan_page import PlanPage
from desktop.ui.rollover_dialog import RolloverDialog
from desktop.ui.widgets import PeriodPicker
from tests.conftest import SMALL_PLAN
from tests.modal_guard import when_shown

OLD_NAME = "测试县全民科学素质行动实施方案（2021—2025年）"
NEW_NAME = "测试县全民科学素质行动实施方案（2026—2030年）"
COL_TARGET = 4


@pytest.fixture
def page(qtbot, plan_services: Services) -> PlanPage:
    codes = {i.code: i.id for i in plan_services.plans.indicators()}
    plan_services.entries.set(codes["C1"], "2025", 9000)
    widget = PlanPage(plan_services)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    return widget


def roll_over(page: PlanPage, seen: dict) -> None:
    """开始下一期方案… with the dialog's defaults, as a user who reads and clicks 开始下一期."""

    def act(dialog: RolloverDialog) -> None:
        seen["years"] = (dialog.first.value(), dialog.last.value())
        seen["name"] = dialog.name.text()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    when_shown(RolloverDialog, act)
    page.rollover_button.click()


def panel_targets(page: PlanPage) -> list[str]:
    table = page.indicators.table
    return [table.item(r, 2).text() for r in range(table.rowCount())]


def test_rollover_from_the_dialog_shows_the_new_plan_with_pending_targets(
    qtbot, page, plan_services, settled
):
    seen: dict = {}
    roll_over(page, seen)
    assert seen == {"years": (2026, 2030), "name": NEW_NAME}
    active = plan_services.plans.active()
    assert (active.name, active.first_year, active.last_year) == (NEW_NAME, 2026, 2030)
    assert page.plan_box.currentData() == active.id
    assert "（当前）" in page.plan_box.currentText()
    assert set(panel_targets(page)) == {"未定目标"}
    assert not page.banner.isVisible()
    old = page.plan_box.findData(
        next(p.id for p in plan_services.plans.plans() if p.name == OLD_NAME)
    )
    assert page.plan_box.itemText(old).endswith("（已结束）")

    indicators = IndicatorsPage(plan_services)
    qtbot.addWidget(indicators)
    indicators.resize(1130, 760)
    indicators.show()
    settled(indicators)
    with qtbot.waitSignal(indicators.loaded):
        indicators.set_period("2026")
    rows = range(indicators.proxy.rowCount())
    assert {indicators.proxy.index(r, COL_STATUS).data() for r in rows} == {"未定目标"}
    assert {indicators.proxy.index(r, COL_TARGET).data() for r in rows} == {"未定目标"}


def test_the_dialog_shows_a_refusal_in_chinese_and_changes_nothing(qtbot, plan_services):
    dialog = RolloverDialog(plan_services)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.first.setValue(2024)
    assert dialog.name.text() == "测试县全民科学素质行动实施方案（2024—2030年）"
    finished: list[bool] = []
    dialog.start(lambda: finished.append(True))
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    assert dialog.isVisible() and dialog.new_code is None
    assert "下一期方案应从 2026 年或以后开始" in dialog.error.text()
    assert [p.name for p in plan_services.plans.plans()] == [OLD_NAME]


def test_an_ended_plan_is_read_only_until_unlocked_with_a_reason(
    qtbot, page, plan_services, modals
):
    roll_over(page, {})
    old_id = next(p.id for p in plan_services.plans.plans() if p.name == OLD_NAME)
    page.plan_box.setCurrentIndex(page.plan_box.findData(old_id))
    assert page.banner.isVisible()
    assert "本方案已结束，结构只读" in page.banner_label.text()
    assert page.unlock_button.isVisible() and not page.lock_button.isVisible()
    editing = [*page.sections.buttons.values(), *page.indicators.buttons.values(), page.info_button]
    assert not any(b.isEnabled() for b in editing)

    modals.reply(("更正2025年指标口径", True))
    page.unlock_button.click()
    assert not plan_services.plan_periods.read_only(plan_services.plans.plans()[-1].code)
    assert "更正2025年指标口径" in page.banner_label.text()
    assert page.lock_button.isVisible() and not page.unlock_button.isVisible()
    assert all(b.isEnabled() for b in page.indicators.buttons.values())
    assert page.info_button.isEnabled()

    page.lock_button.click()
    assert "结构只读" in page.banner_label.text()
    assert not any(b.isEnabled() for b in page.indicators.buttons.values())


def test_an_unlock_without_a_reason_is_refused(page, plan_services, modals):
    roll_over(page, {})
    old_id = next(p.id for p in plan_services.plans.plans() if p.name == OLD_NAME)
    page.plan_box.setCurrentIndex(page.plan_box.findData(old_id))
    modals.reply(("  ", True))
    modals.reply(None)  # the refusal's message box
    page.unlock_button.click()
    assert page.unlock_button.isVisible()
    assert not any(b.isEnabled() for b in page.indicators.buttons.values())


def next_plan_from_text(services: Services) -> None:
    """A 2026–2030 plan as read from its own text: reworded, one indicator new, no links."""
    data = copy.deepcopy(SMALL_PLAN)
    data["id"] = "test-county-2026-2030"
    data["plan"].update(first_year=2026, last_year=2030, name=NEW_NAME)
    for ind in data["indicators"]:
        ind["code"] = "N" + ind["code"]
        if ind.get("targets_by_year"):
            ind["targets_by_year"] = None  # 2021–2025's years: pending in the new plan
    data["indicators"][0]["name"] = "农民培训 人次"
    data["indicators"][1]["name"] = "农村妇女技能培训人次（新）"
    services.plans.create(PlanDocument.from_dict(data), activate=True)


def test_the_continuation_dialog_links_the_chosen_indicators(qtbot, page, plan_services):
    next_plan_from_text(plan_services)
    plans = {p.first_year: p for p in plan_services.plans.plans()}
    dialog = ContinuationDialog(plan_services, plans[2026], plans[2021])
    qtbot.addWidget(dialog)
    dialog.show()
    row = {c.code: i for i, c in enumerate(dialog.rows)}
    assert dialog.combos[row["NC1"]].currentData() == "C1"  # the same name, spaces aside
    assert dialog.table.item(row["NC1"], 4).text() == "9,000"  # C1's final value
    assert dialog.combos[row["NC2"]].currentText() == NEW_INDICATOR
    dialog.combos[row["NL1"]].setCurrentIndex(0)
    dialog.save()
    assert dialog.linked == len(dialog.rows) - 2
    old_ids = {i.id: i.code for i in plan_services.plans.indicators(plans[2021].id)}
    links = {
        i.code: old_ids.get(i.continues_id) for i in plan_services.plans.indicators(plans[2026].id)
    }
    assert links["NC1"] == "C1" and links["NP1"] == "P1"
    assert links["NL1"] is None and links["NC2"] is None


def test_the_page_offers_the_continuation_for_a_plan_that_follows_another(page, plan_services):
    assert not page.continue_button.isEnabled()
    next_plan_from_text(plan_services)
    page.refresh()
    assert not page.continue_button.isEnabled()  # the 2021–2025 plan is still shown
    new = next(p.id for p in plan_services.plans.plans() if p.first_year == 2026)
    page.plan_box.setCurrentIndex(page.plan_box.findData(new))
    assert page.continue_button.isEnabled()


def test_year_choices_span_both_plans_and_name_each_years_plan(qtbot, page, plan_services):
    roll_over(page, {})
    picker = PeriodPicker()
    qtbot.addWidget(picker)
    picker.set_plan_years(plan_services.plans.plans(), 2025)
    items = [(picker.year.itemText(i), picker.year.itemData(i)) for i in range(picker.year.count())]
    assert items[0] == ("全部年份", None)
    assert ("2021年（2021—2025方案）", 2021) in items
    assert ("2025年（2021—2025方案）", 2025) in items
    assert ("2026年（2026—2030方案）", 2026) in items
    assert [y for _t, y in items[1:]] == list(range(2021, 2031))
    assert picker.period().code == "2025"


def test_the_entries_page_shows_the_chosen_plans_grid(qtbot, page, plan_services):
    roll_over(page, {})
    entries = EntriesPage(plan_services)
    qtbot.addWidget(entries)
    entries.resize(1280, 760)
    entries.show()
    entries.refresh()
    assert entries.plan_box.isVisible()
    assert entries.plan_box.currentText() == "2026—2030年"
    headers = [
        entries.table.horizontalHeaderItem(c).text() for c in range(entries.table.columnCount())
    ]
    assert "2026年" in headers and "2025年" not in headers
    targets = {entries.table.item(r, 3).text() for r in range(entries.table.rowCount())}
    assert targets == {"未定目标"}
    entries.plan_box.setCurrentIndex(entries.plan_box.findText("2021—2025年"))
    headers = [
        entries.table.horizontalHeaderItem(c).text() for c in range(entries.table.columnCount())
    ]
    assert "2025年" in headers and "2026年" not in headers


def test_continuing_from_the_page_stores_the_links_and_says_how_many(page, plan_services, modals):
    next_plan_from_text(plan_services)
    page.refresh()
    new = next(p for p in plan_services.plans.plans() if p.first_year == 2026)
    page.plan_box.setCurrentIndex(page.plan_box.findData(new.id))
    when_shown(ContinuationDialog, lambda dialog: dialog.save())
    modals.reply(None)  # 已将 … 项指标接续 …
    page.continue_button.click()
    linked = [i for i in plan_services.plans.indicators(new.id) if i.continues_id is not None]
    assert {i.code for i in linked} >= {"NC1", "NL1", "NP1"}
