"""总览 page: hand-summed year totals, status counts, lagging list, charts; the main window."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.ui.dashboard_page import DashboardPage, year_filter
from desktop.ui.theme import STATUS_COLOURS


@pytest.fixture
def small_dashboard(qtbot, plan_services, add_activity, ref, settled):
    """Three activities in 2024 and one in 2023, in the small test county."""
    s = plan_services
    youth = ref(s, "groups")["青少年"]
    add_activity(
        s, date(2024, 3, 1), "青少年科普讲座", "科普讲座", "县科协",
        participants=100, sessions=2, volunteers=5, volunteer_hours=10, funding_yuan=1000,
        group_ids=[youth],
    )  # fmt: skip
    add_activity(
        s, date(2024, 7, 15), "农民实用技术培训班", "实用技术培训", "县科协",
        participants=50, sessions=1, funding_yuan=250.5,
    )  # fmt: skip
    add_activity(
        s, date(2024, 5, 1), "青少年科技节", "青少年科技活动", "县教体局",
        participants=300, sessions=3, volunteers=10, funding_yuan=2000,
    )  # fmt: skip
    add_activity(s, date(2023, 11, 11), "科普讲座进社区", "科普讲座", "县科协", participants=20)
    page = DashboardPage(s)
    qtbot.addWidget(page)
    page.resize(1130, 770)
    page.show()
    settled(page)
    return page


def test_defaults_to_the_latest_year_with_activities(small_dashboard):
    assert small_dashboard.selected_year() == 2024  # nothing recorded in 2025 yet
    assert small_dashboard.as_of_label.text() == "截至 2024-12-31"


def test_cards_show_hand_summed_totals(small_dashboard):
    cards = {k: (c.value.text(), c.note.text()) for k, c in small_dashboard.cards.items()}
    # 2024 by hand: 3 activities, sessions 2+1+3, 人次 100+50+300, volunteers 5+10,
    # 10 hours, 1000+250.50+2000 元; 2023 had 1 activity with 20 人次.
    assert cards["activities"] == ("3", "场次/期数 6　较上年 ↑200.0%")
    assert cards["participants"] == ("450", "较上年 ↑2150.0%")
    assert cards["volunteers"] == ("15", "")
    assert cards["hours"] == ("10", "")
    assert cards["funding"] == ("0.33", "3,250.50 元")
    assert small_dashboard.data.month_counts == [0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0]


def test_status_lagging_and_sections(small_dashboard):
    page = small_dashboard
    # D1 (青少年科普讲座参加人次, whole-period 2,500): only the March lecture for 青少年
    # counts, 100 → 4 % where 80 % is expected at the end of 2024 → 严重滞后.
    # Every other indicator has no entries → 无数据.
    pills = {s: p.text() for s, p in page.status_pills.items()}
    assert pills["far_behind"] == "严重滞后 1" and pills["no_data"] == "无数据 6"
    assert page.lagging.rowCount() == 1
    assert [page.lagging.item(0, c).text() for c in range(3)] == [
        "严重滞后",
        "D1 青少年科普讲座参加人次",
        "4.0% / 80.0%",
    ]
    assert (
        page.lagging.item(0, 0).background().color() != page.lagging.item(0, 1).background().color()
    )
    sections = [
        (page.sections.item(r, 0).text(), page.sections.item(r, 3).text())
        for r in range(page.sections.rowCount())
    ]
    assert sections == [("青少年科学素质提升行动", "严重滞后"), ("基层科普能力提升工程", "无数据")]


def test_chart_draws_the_bars_with_a_chinese_font(small_dashboard):
    page = small_dashboard
    chart = page.chart_view.chart()
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    assert axis.categories() == ["D1 青少年科普讲座参加人次"]
    assert axis.labelsFont().family() == QApplication.font().family() == "WenQuanYi Zen Hei"
    image = page.chart_view.grab().toImage()
    red = STATUS_COLOURS["far_behind"].rgb()
    bar_pixels = sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if image.pixel(x, y) == red
    )
    assert bar_pixels > 20  # the 4 % bar is drawn, in the 严重滞后 colour
    assert "超过 150% 的按 150% 画出" in page.chart_note.text()
    assert "另有 6 项指标暂无数据" in page.chart_note.text()


def test_changing_the_year(qtbot, small_dashboard):
    page = small_dashboard
    with qtbot.waitSignal(page.loaded):
        page.set_year(2023)
    assert page.cards["activities"].value.text() == "1"
    assert page.cards["participants"].value.text() == "20"
    assert page.cards["activities"].note.text() == "场次/期数 1"
    assert page.data.month_counts[10] == 1


def test_main_window_opens_every_page_on_the_demo_county(qtbot, main_window, settled):
    dashboard = main_window.page("总览")
    settled(dashboard)
    today = date.today()
    assert dashboard.selected_year() == min(max(today.year, 2021), 2025)
    totals = main_window.services.activities.totals(year_filter(dashboard.selected_year()))
    assert dashboard.cards["participants"].value.text() == f"{totals.participants:,}"
    for label in ("活动台账", "指标进度", "总览"):
        page = main_window.show_page(label)
        settled(page)
        assert main_window.stack.currentWidget() is page
    assert "当前方案：安丘市" in main_window.status_label.text()


def test_double_clicking_a_lagging_indicator_opens_it(qtbot, main_window, settled):
    dashboard = main_window.page("总览")
    settled(dashboard)
    first = dashboard.data.report.lagging()[0]
    assert dashboard.lagging.item(0, 1).text() == f"{first.code} {first.name}"
    indicators = main_window.page("指标进度")
    cell = dashboard.lagging.visualItemRect(dashboard.lagging.item(0, 1)).center()
    with qtbot.waitSignal(indicators.loaded, timeout=30_000):
        # A real double-click: the first press, then the double-click event.
        qtbot.mouseClick(dashboard.lagging.viewport(), Qt.MouseButton.LeftButton, pos=cell)
        qtbot.mouseDClick(dashboard.lagging.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    settled(indicators)
    assert main_window.stack.currentWidget() is indicators
    assert indicators.current_item().code == first.code
    assert indicators.period.period().code == str(dashboard.selected_year())
    assert indicators.detail_title.text().startswith(first.code)


def test_start_up_builds_only_the_first_page(main_window):
    """Start-up builds what the first screen shows; each other page on its first showing."""
    assert list(main_window.pages) == ["总览"]
    ledger = main_window.show_page("活动台账")
    assert main_window.stack.currentWidget() is ledger
    assert list(main_window.pages) == ["总览", "活动台账"]
    assert main_window.show_page("活动台账") is ledger  # built once
