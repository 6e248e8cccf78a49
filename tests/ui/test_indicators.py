"""指标进度 page: hand-computed statuses and colours, ordering, filters and the detail pane."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt

from desktop.ui.indicator_table import COL_STATUS
from desktop.ui.indicators_page import IndicatorsPage
from desktop.ui.theme import STATUS_BACKGROUNDS, STATUS_COLOURS
from desktop.ui.widgets import COMPLETION_ROLE, EXPECTED_ROLE


@pytest.fixture
def page_2021(qtbot, plan_services, settled):
    """The small plan with 2021 entries, shown as of the end of 2021 (year 1 of 5).

    By hand:
    C1 (whole-period count, target 10,000): 500 → 5 %, expected 20 % → 严重滞后 (below 10 %).
    C2 (annual count, target 1,000): 1,000 → 100 % → 已完成.
    L1 (level to reach 500 by the end): 300 → 60 % ≥ 20 % → 正常.
    P1 (percent 90 by the end, baseline 70 in 2020): 72 → 80 %; expected (70 + 20×0.2)/90
       = 82.2 % → 滞后 (between 41.1 % and 82.2 %).
    D1, Y1, E1: nothing recorded → 无数据.
    """
    codes = {i.code: i.id for i in plan_services.plans.indicators()}
    plan_services.entries.set(codes["C1"], "2021", 500)
    plan_services.entries.set(codes["C2"], "2021", 1000, note="人社局报送")
    plan_services.entries.set(codes["L1"], "2021Q4", 300)
    plan_services.entries.set(codes["P1"], "2021", 72)
    page = IndicatorsPage(plan_services)
    qtbot.addWidget(page)
    page.resize(1130, 760)
    page.show()
    settled(page)
    with qtbot.waitSignal(page.loaded):
        page.set_period("2021")
    return page


def row_of(page: IndicatorsPage, code: str) -> int:
    return [p.code for p in page.visible_items()].index(code)


def cell(page: IndicatorsPage, code: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    return page.proxy.index(row_of(page, code), column).data(role)


def test_lagging_first_with_status_text_and_colour(page_2021):
    page = page_2021
    assert [p.code for p in page.visible_items()][:2] == ["C1", "P1"]
    assert [p.code for p in page.visible_items()][-2:] == ["L1", "C2"]
    assert cell(page, "C1", COL_STATUS) == "严重滞后"
    assert (
        cell(page, "C1", COL_STATUS, Qt.ItemDataRole.BackgroundRole)
        == STATUS_BACKGROUNDS["far_behind"]
    )
    assert (
        cell(page, "C1", COL_STATUS, Qt.ItemDataRole.ForegroundRole) == STATUS_COLOURS["far_behind"]
    )
    assert (cell(page, "C1", 4), cell(page, "C1", 5), cell(page, "C1", 6)) == (
        "10,000",
        "500",
        "500",
    )
    assert cell(page, "C1", 7, COMPLETION_ROLE) == pytest.approx(5.0)
    assert cell(page, "C1", 8) == "20.0%"
    assert cell(page, "P1", COL_STATUS) == "滞后"
    assert (
        cell(page, "P1", COL_STATUS, Qt.ItemDataRole.BackgroundRole) == STATUS_BACKGROUNDS["behind"]
    )
    assert cell(page, "P1", 7, COMPLETION_ROLE) == pytest.approx(72 / 90 * 100)
    assert cell(page, "P1", 7, EXPECTED_ROLE) == pytest.approx(74 / 90 * 100)
    assert cell(page, "P1", 8) == "82.2%"
    assert cell(page, "L1", COL_STATUS) == "正常" and cell(page, "C2", COL_STATUS) == "已完成"
    assert cell(page, "D1", COL_STATUS) == "无数据" and cell(page, "D1", 7, COMPLETION_ROLE) is None
    assert cell(page, "C1", 0) == "基层科普能力提升工程" and cell(page, "C1", 10) == "县农业农村局"
    pills = {s: p.text() for s, p in page.status_pills.items() if not p.isHidden()}
    assert pills == {
        "far_behind": "严重滞后 1",
        "behind": "滞后 1",
        "on_track": "正常 1",
        "done": "已完成 1",
        "no_data": "无数据 3",
    }


def test_order_toggle_and_filters(page_2021):
    page = page_2021
    page.lagging_first.setChecked(False)
    assert [p.code for p in page.visible_items()] == ["C1", "C2", "L1", "P1", "D1", "Y1", "E1"]
    page.lagging_first.setChecked(True)
    assert page.visible_items()[0].code == "C1"

    page.status.setCurrentIndex(page.status.findText("已完成"))
    assert [p.code for p in page.visible_items()] == ["C2"]
    assert page.shown_label.text() == "显示 1 / 7 项指标"
    page.status.setCurrentIndex(0)
    page.section.setCurrentIndex(page.section.findText("青少年科学素质提升行动"))
    assert sorted(p.code for p in page.visible_items()) == ["D1", "L1"]


def test_detail_shows_entries_or_the_rule_in_words(page_2021):
    page = page_2021
    assert page.select_indicator("C2")
    assert page.detail_title.text() == "C2　每年农村妇女培训人次"
    assert "每年达到 1,000人次" in page.detail_text.text()
    assert page.entries.isVisibleTo(page)
    row = [page.entries.item(0, c).text() for c in range(5)]
    assert row == ["2021年", "汇总（不分单位）", "", "1,000", "人社局报送"]

    assert page.select_indicator("D1")
    text = page.detail_text.text()
    assert "由活动台账自动统计：活动类型为科普讲座，面向青少年的活动，累加参加人次。" in text
    assert not page.entries.isVisibleTo(page)

    assert page.select_indicator("P1")
    assert "到规划期末达到 90%，2020年基数 70%" in page.detail_text.text()


def test_period_and_as_of_change_the_figures(qtbot, page_2021):
    page = page_2021
    with qtbot.waitSignal(page.loaded):
        page.set_period("2022")  # 2021's annual entry no longer counts for C2
    assert cell(page, "C2", COL_STATUS) == "无数据"
    assert cell(page, "C1", 5) == "—" and cell(page, "C1", 6) == "500"  # 本期 vs 累计
    assert page.as_of.date().toPython().isoformat() == "2022-12-31"


def test_demo_lagging_indicator_in_the_main_window(qtbot, main_window, settled):
    page = main_window.show_page("指标进度")
    settled(page)
    with qtbot.waitSignal(page.loaded):
        page.set_period("2025")
    # 注册科技志愿者人数 (target 3,000 by the end) is the latest headcount of the demo
    # teams; at the end of 2025 100 % is expected, and the teams fall short → 滞后.
    shown = int(cell(page, "I04", 6).replace(",", ""))
    assert 1500 <= shown < 3000
    assert cell(page, "I04", 7, COMPLETION_ROLE) == pytest.approx(shown / 3000 * 100)
    assert cell(page, "I04", 8) == "100.0%"
    assert cell(page, "I04", COL_STATUS) == "滞后"
    assert (
        cell(page, "I04", COL_STATUS, Qt.ItemDataRole.BackgroundRole)
        == STATUS_BACKGROUNDS["behind"]
    )
    lagging = {p.code for p in page.report.lagging()}
    assert {p.code for p in page.visible_items()[: len(lagging)]} == lagging


def test_as_of_date_stays_within_the_period_and_the_plan(qtbot, main_window, settled):
    """截至 2021-01-01 for 2025 showed 2025's whole 本期 beside 无数据 everywhere."""
    page = main_window.show_page("指标进度")
    settled(page)
    page.set_period("2025")
    settled(page)
    page.as_of.setDate(QDate(2021, 1, 1))
    settled(page)
    assert page.as_of.date() == QDate(2025, 1, 1)
    page.as_of.setDate(QDate(2030, 6, 1))
    settled(page)
    assert page.as_of.date() == QDate(2025, 12, 31)
    page.period.year.setCurrentIndex(page.period.year.findData(2023))
    settled(page)
    assert page.as_of.date() == QDate(2023, 12, 31)
    assert page.as_of.minimumDate() == QDate(2023, 1, 1)
