"""Pages follow the plan: another plan made active, or an indicator edited, on 实施方案."""

from __future__ import annotations

from desktop.services.plan_store import indicator_document
from desktop.templates import load_template


def _second_plan(services) -> int:
    doc = load_template("anqiu-2021-2025")
    doc.id = "anqiu-2026-2030"
    doc.info.name = "安丘市全民科学素质行动实施方案（2026—2030年）"
    doc.info.first_year, doc.info.last_year = 2026, 2030
    return services.plans.create(doc, activate=False)


def _activate_on_plan_page(main_window, plan_id: int) -> None:
    plan_page = main_window.show_page("实施方案")
    plan_page.plan_box.setCurrentIndex(plan_page.plan_box.findData(plan_id))
    plan_page.activate_plan()


def _years(combo) -> list[int]:
    return [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i) is not None]


def test_dashboard_and_indicators_follow_the_newly_active_plan(
    qtbot, main_window, demo_services, settled
):
    dashboard = main_window.show_page("总览")
    settled(dashboard)
    settled(main_window.show_page("指标进度"))
    plan_id = _second_plan(demo_services)
    _activate_on_plan_page(main_window, plan_id)

    dashboard = main_window.show_page("总览")
    settled(dashboard)
    assert dashboard.plan_label.text() == "安丘市全民科学素质行动实施方案（2026—2030年）"
    assert _years(dashboard.year) == list(range(2021, 2031))  # both plans' years stay offered
    assert dashboard.year.currentData() in range(2026, 2031)

    indicators = main_window.show_page("指标进度")
    settled(indicators)
    assert _years(indicators.period.year) == list(range(2021, 2031))
    assert indicators.period.period().year in range(2026, 2031)


def test_indicator_detail_shows_a_target_edited_on_the_plan_page(
    qtbot, main_window, demo_services, settled
):
    indicators = main_window.show_page("指标进度")
    settled(indicators)
    assert indicators.select_indicator("I05")
    assert "9,000" in indicators.detail_text.text()

    plan_page = main_window.show_page("实施方案")
    ind = next(i for i in plan_page.indicators.rows if i.code == "I05")
    doc = indicator_document(ind, plan_page.indicators.codes())
    doc.target = 12000
    plan_page.editor.update_indicator(ind.id, doc)
    plan_page._changed()

    indicators = main_window.show_page("指标进度")
    settled(indicators)
    assert indicators.select_indicator("I05")
    assert "12,000" in indicators.detail_text.text()
    assert "9,000" not in indicators.detail_text.text()
