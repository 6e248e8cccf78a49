"""总览: one year at a glance — key totals, indicator completion, lagging items, sections.

Totals come from ActivityService.totals and progress from
ProgressService.report; the page computes nothing itself but the layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services import Services
from desktop.services.activities import ActivityFilter, Totals
from desktop.services.periods import parse_period, year_period
from desktop.services.progress import STATUS_LABELS, IndicatorProgress, ProgressReport, Rollup
from desktop.services.reporting import PeriodReport
from desktop.ui.status_pills import add_status_pills, show_status_counts
from desktop.ui.theme import STATUS_BACKGROUNDS, STATUS_COLOURS
from desktop.ui.widgets import (
    COMPLETION_ROLE,
    DASH,
    EXPECTED_ROLE,
    MUTED,
    STATUS_ROLE,
    CompletionBarDelegate,
    Loader,
    StatCard,
    fmt_money,
    fmt_number,
    fmt_pct,
    page_title,
    plan_years,
    section_label,
    ui_font,
)

CHART_CAP = 150.0  # completion beyond this is drawn at the cap (and labelled in the tooltip)
CHART_STATUSES = ("done", "on_track", "behind", "far_behind")


@dataclass(frozen=True)
class DashboardData:
    """Everything the page shows for one year, read in one go off the GUI thread."""

    year: int
    totals: Totals
    previous: Totals | None
    report: ProgressReport
    month_counts: list[int]
    reporting: PeriodReport | None  # who has reported for the last period ended
    returns: PeriodReport | None  # the lower regions' returns, for an office that has any


def year_filter(year: int) -> ActivityFilter:
    period = year_period(year)
    return ActivityFilter(start=period.start, end=period.end)


def load_dashboard(services: Services, year: int, as_of: date) -> DashboardData:
    totals = services.activities.totals(year_filter(year))
    previous = services.activities.totals(year_filter(year - 1))
    report = services.progress.report(as_of, year_period(year))
    months = [parse_period(f"{year}{m:02d}") for m in range(1, 13)]
    counts = [services.activities.count(ActivityFilter(start=p.start, end=p.end)) for p in months]
    return DashboardData(
        year,
        totals,
        previous if previous.activities else None,
        report,
        counts,
        services.reporting.current(as_of),
        services.returns.current(as_of),
    )


def _change(now: float, before: float | None) -> str:
    if not before:
        return ""
    delta = (now - before) / before * 100
    arrow = "↑" if delta >= 0 else "↓"
    return f"较上年 {arrow}{abs(delta):.1f}%"


def _style_chart(chart: QChart) -> None:
    chart.setBackgroundRoundness(0)
    chart.setBackgroundBrush(QBrush(QColor("white")))
    chart.setMargins(QMargins(0, 0, 0, 0))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setFont(ui_font(-0.5))
    chart.setTitleFont(ui_font(1, bold=True))


def completion_chart(items: list[IndicatorProgress]) -> QChart:
    """Horizontal bars of completion %, coloured by status, with a tick at expected progress."""
    chart = QChart()
    _style_chart(chart)
    shown = [p for p in items if p.completion_pct is not None][::-1]  # first on top
    labels = [f"{p.code} {p.name}" for p in shown]
    series = QHorizontalStackedBarSeries()
    series.setBarWidth(0.62)
    for status in CHART_STATUSES:
        bar_set = QBarSet(STATUS_LABELS[status])
        bar_set.setColor(STATUS_COLOURS[status])
        bar_set.setBorderColor(STATUS_COLOURS[status])
        for p in shown:
            value = min(p.completion_pct or 0.0, CHART_CAP) if p.status == status else 0.0
            bar_set.append(value)
        series.append(bar_set)
    chart.addSeries(series)
    axis_y = QBarCategoryAxis()
    axis_y.append(labels or [""])
    axis_y.setLabelsFont(ui_font(-0.5))
    axis_y.setGridLineVisible(False)
    axis_x = QValueAxis()
    axis_x.setRange(0, CHART_CAP)
    axis_x.setTickCount(7)
    axis_x.setLabelFormat("%d%%")
    axis_x.setLabelsFont(ui_font(-1))
    axis_x.setGridLineColor(QColor("#e6e9ec"))
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_y)
    series.attachAxis(axis_x)
    # Expected progress: a short dark tick across each bar, on a hidden value axis
    # that spans the category positions (-0.5 … n-0.5).
    axis_pos = QValueAxis()
    axis_pos.setRange(-0.5, max(len(shown), 1) - 0.5)
    axis_pos.setVisible(False)
    chart.addAxis(axis_pos, Qt.AlignmentFlag.AlignRight)
    pen = QPen(QColor("#263238"), 3)
    for i, p in enumerate(shown):
        expected = min(p.expected_pct or 0.0, CHART_CAP)
        tick = QLineSeries()
        tick.setName("应达进度")
        tick.setPen(pen)
        tick.append(QPointF(expected, i - 0.42))
        tick.append(QPointF(expected, i + 0.42))
        chart.addSeries(tick)
        tick.attachAxis(axis_x)
        tick.attachAxis(axis_pos)
        if i > 0:
            for marker in chart.legend().markers(tick):
                marker.setVisible(False)
    for status, marker in zip(CHART_STATUSES, chart.legend().markers(series), strict=True):
        marker.setVisible(any(p.status == status for p in shown))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def month_chart(counts: list[int]) -> QChart:
    """Activities per month of the year."""
    chart = QChart()
    _style_chart(chart)
    bar_set = QBarSet("活动次数")
    bar_set.setColor(QColor("#42a5f5"))
    bar_set.setBorderColor(QColor("#42a5f5"))
    bar_set.setLabelColor(QColor("#37474f"))
    bar_set.setLabelFont(ui_font(-1.5))
    for n in counts:
        bar_set.append(n)
    series = QBarSeries()
    series.append(bar_set)
    series.setBarWidth(0.6)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsFormat("@value")
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append([f"{m}月" for m in range(1, 13)])
    axis_x.setLabelsFont(ui_font(-1))
    axis_x.setGridLineVisible(False)
    axis_x.setTruncateLabels(False)  # 10月 was cut to "10…" on a 1366-wide screen
    axis_y = QValueAxis()
    top = max(counts, default=0)
    axis_y.setRange(0, max(5, top * 1.15))
    axis_y.setTickCount(5)
    axis_y.applyNiceNumbers()
    axis_y.setLabelFormat("%d")
    axis_y.setLabelsFont(ui_font(-1))
    axis_y.setGridLineColor(QColor("#e6e9ec"))
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    chart.legend().hide()
    return chart


def _panel() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("panel")
    frame.setStyleSheet(
        "QFrame#panel { background: white; border: 1px solid #dfe3e8; border-radius: 8px; }"
    )
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(6)
    return frame, layout


def _plain_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(28)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setStyleSheet("QTableWidget { border: none; }")
    table.horizontalHeader().setHighlightSections(False)
    return table


def _status_item(status: str, text: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text or STATUS_LABELS[status])
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    item.setBackground(QBrush(STATUS_BACKGROUNDS[status]))
    item.setForeground(QBrush(STATUS_COLOURS[status]))
    item.setFont(ui_font(0, bold=True))
    return item


class DashboardPage(QWidget):
    loaded = Signal()  # new figures are on screen

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.data: DashboardData | None = None
        self.loader = Loader(self)
        self._filled_for: tuple[object, ...] | None = None  # the plan the year list shows
        self._build()
        self._fill_years()
        self.refresh()

    # --- building -----------------------------------------------------------

    def _build(self) -> None:
        self.year = QComboBox()
        self.year.setMinimumContentsLength(7)
        self.year.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # plan labels
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.plan_label = QLabel()
        self.plan_label.setStyleSheet(f"color: {MUTED};")
        self.as_of_label = QLabel()
        self.as_of_label.setStyleSheet(f"color: {MUTED};")
        header = QHBoxLayout()
        title_box = QVBoxLayout()
        title_box.setSpacing(0)
        title_box.addWidget(page_title("总览"))
        title_box.addWidget(self.plan_label)
        header.addLayout(title_box)
        header.addStretch(1)
        self.busy_label = QLabel()
        self.busy_label.setStyleSheet("color: #ef6c00;")
        header.addWidget(self.busy_label)
        header.addSpacing(10)
        header.addWidget(self.as_of_label)
        header.addSpacing(10)
        header.addWidget(QLabel("年度"))
        header.addWidget(self.year)

        self.cards = {
            "activities": StatCard("活动次数"),
            "participants": StatCard("参加人次"),
            "volunteers": StatCard("志愿者人次"),
            "hours": StatCard("志愿服务时长（小时）"),
            "funding": StatCard("活动经费（万元）"),
            "reporting": StatCard("采集表报送率"),
        }
        cards = QHBoxLayout()
        cards.setSpacing(10)
        for card in self.cards.values():
            cards.addWidget(card, 1)

        chart_panel, chart_layout = _panel()
        chart_layout.addWidget(section_label("指标完成情况"))
        self.chart_note = QLabel()
        self.chart_note.setStyleSheet(f"color: {MUTED};")
        self.chart_note.setWordWrap(True)
        self.chart_view = QChartView()
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setFrameShape(QFrame.Shape.NoFrame)
        self.chart_view.setMinimumHeight(300)
        chart_layout.addWidget(self.chart_view, 1)
        chart_layout.addWidget(self.chart_note)

        side_panel, side_layout = _panel()
        side_layout.addWidget(section_label("状态分布"))
        status_row = QHBoxLayout()
        status_row.setSpacing(6)
        self.status_pills = add_status_pills(status_row)
        status_row.addStretch(1)
        side_layout.addLayout(status_row)
        side_layout.addWidget(section_label("滞后指标"))
        self.lagging = _plain_table(["状态", "指标", "完成率 / 应达"])
        self.lagging.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.lagging.setColumnWidth(0, 76)
        self.lagging.setColumnWidth(2, 116)
        self.lagging.setToolTip("双击查看该指标的详细情况")
        self.lagging.cellDoubleClicked.connect(lambda row, _col: self.open_lagging(row))
        self.lagging_empty = QLabel("当前没有滞后的指标。")
        self.lagging_empty.setStyleSheet("color: #2e7d32;")
        side_layout.addWidget(self.lagging)
        side_layout.addWidget(self.lagging_empty)

        sections_panel, sections_layout = _panel()
        sections_layout.addWidget(section_label("各行动/工程进度"))
        self.sections = _plain_table(["行动/工程", "指标", "完成率", "状态"])
        self.sections.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.sections.setColumnWidth(1, 44)
        self.sections.setColumnWidth(2, 170)
        self.sections.setColumnWidth(3, 76)
        self.sections.setItemDelegateForColumn(2, CompletionBarDelegate(self.sections))
        self.sections.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        sections_layout.addWidget(self.sections)
        sections_note = QLabel("完成率为各项指标完成率（封顶 100%）的平均；竖线为应达进度。")
        sections_note.setStyleSheet(f"color: {MUTED};")
        sections_note.setWordWrap(True)
        sections_layout.addWidget(sections_note)

        months_panel, months_layout = _panel()
        months_layout.addWidget(section_label("各月活动次数"))
        self.month_view = QChartView()
        self.month_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.month_view.setFrameShape(QFrame.Shape.NoFrame)
        self.month_view.setFixedHeight(250)
        months_layout.addWidget(self.month_view, 1)

        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(chart_panel)
        left.addWidget(months_panel)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(side_panel)
        right.addWidget(sections_panel)
        right.addStretch(1)
        grid = QHBoxLayout()
        grid.setSpacing(10)
        grid.addLayout(left, 1)
        grid.addLayout(right, 1)

        content = QWidget()
        content.setObjectName("dashboard")
        content.setStyleSheet("QWidget#dashboard { background: #f4f6f8; }")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addLayout(cards)
        layout.addLayout(grid, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- data ---------------------------------------------------------------

    def _plan_key(self) -> tuple[object, ...] | None:
        """What the year list and title were filled from: they go stale when it changes."""
        if not self.services.plans.has_active():
            return None
        plan = self.services.plans.active()
        return (plan.id, plan.name, plan.first_year, plan.last_year)

    def _fill_years(self) -> None:
        """Plan years; default the latest year with activities, not after this year."""
        self.year.blockSignals(True)
        self.year.clear()
        self._filled_for = self._plan_key()
        if self.services.plans.has_active():
            plan = self.services.plans.active()
            self.plan_label.setText(plan.name)
            for y, label in plan_years(self.services.plans.plans()):
                self.year.addItem(label, y)
            latest = min(max(date.today().year, plan.first_year), plan.last_year)
            chosen = latest
            for y in range(latest, plan.first_year - 1, -1):
                if self.services.activities.count(year_filter(y)):
                    chosen = y
                    break
            self.year.setCurrentIndex(self.year.findData(chosen))
        self.year.blockSignals(False)

    def set_year(self, year: int) -> None:
        self.year.setCurrentIndex(self.year.findData(year))

    def selected_year(self) -> int | None:
        return self.year.currentData()

    def as_of(self, year: int) -> date:
        """The year's end, or today while the year is running."""
        today = date.today()
        return min(max(today, date(year, 1, 1)), date(year, 12, 31))

    def refresh(self) -> None:
        # Another plan made active, or this one renamed or its years changed (实施方案).
        if self.year.count() == 0 or self._plan_key() != self._filled_for:
            self._fill_years()
        year = self.selected_year()
        if year is None:
            self.plan_label.setText("还没有启用的实施方案，请先新建或导入方案。")
            return
        as_of = self.as_of(year)
        self.busy_label.setText("正在计算……")
        self.loader.run(
            lambda: load_dashboard(self.services, year, as_of), self._loaded, self._failed
        )

    def _loaded(self, data: DashboardData) -> None:
        self.data = data
        self.busy_label.clear()
        self.as_of_label.setText(f"截至 {data.report.as_of.isoformat()}")
        self._show_cards(data.totals, data.previous)
        self._show_reporting(data.reporting, data.returns)
        self._show_chart(data.report)
        self._show_status(data.report)
        self._show_sections(data.report.sections)
        self.month_view.setChart(month_chart(data.month_counts))
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.busy_label.setText(f"无法计算：{exc}")

    def _show_cards(self, t: Totals, before: Totals | None) -> None:
        sessions = f"场次/期数 {fmt_number(t.sessions)}"
        change = _change(t.activities, before and before.activities)
        self.cards["activities"].set(
            fmt_number(t.activities), "　".join(filter(None, [sessions, change]))
        )
        self.cards["participants"].set(
            fmt_number(t.participants), _change(t.participants, before and before.participants)
        )
        self.cards["volunteers"].set(
            fmt_number(t.volunteers), _change(t.volunteers, before and before.volunteers)
        )
        self.cards["hours"].set(
            fmt_number(t.volunteer_hours),
            _change(t.volunteer_hours, before and before.volunteer_hours),
        )
        self.cards["funding"].set(
            f"{t.funding_yuan / 10000:,.2f}", f"{fmt_money(t.funding_yuan)} 元"
        )

    def _show_reporting(self, report: PeriodReport | None, returns: PeriodReport | None) -> None:
        """The collection workbooks' rate; an office over lower regions sees their returns' rate,
        with its member units' workbooks on the line beneath."""
        card = self.cards["reporting"]
        shown = returns or report
        card.caption.setText("下级报表报送率" if returns is not None else "采集表报送率")
        if shown is None:
            card.set(DASH, "本年没有已结束的统计期")
            return
        note = f"{shown.period.label} 已报 {shown.reported}/应报 {shown.expected}"
        tip = f"{shown.period.label}{shown.document}{shown.rate_text}；{shown.due_text}"
        if returns is not None and report is not None and report.expected:
            note += f"；采集表 {report.reported}/{report.expected}"
            tip += f"\n{report.period.label}采集表{report.rate_text}"
        card.set(DASH if shown.rate is None else f"{shown.rate:.1f}%", note)
        card.setToolTip(tip)

    def _show_chart(self, report: ProgressReport) -> None:
        self.chart_view.setChart(completion_chart(report.indicators))
        shown = sum(1 for p in report.indicators if p.completion_pct is not None)
        self.chart_view.setMinimumHeight(max(300, 70 + 30 * shown))
        missing = len(report.indicators) - shown
        notes = [
            f"截至 {report.as_of.isoformat()}；超过 {CHART_CAP:.0f}% 的按 {CHART_CAP:.0f}% 画出。"
        ]
        if missing:
            notes.append(f"另有 {missing} 项指标暂无数据，未列入图中。")
        self.chart_note.setText("".join(notes))

    def _show_status(self, report: ProgressReport) -> None:
        show_status_counts(self.status_pills, report)
        lagging = report.lagging()
        self.lagging.setRowCount(len(lagging))
        for row, p in enumerate(lagging):
            self.lagging.setItem(row, 0, _status_item(p.status))
            name = QTableWidgetItem(f"{p.code} {p.name}")
            name.setToolTip(f"{p.name}\n牵头单位：{'、'.join(p.lead_units) or DASH}")
            self.lagging.setItem(row, 1, name)
            figures = QTableWidgetItem(f"{fmt_pct(p.completion_pct)} / {fmt_pct(p.expected_pct)}")
            figures.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.lagging.setItem(row, 2, figures)
        self.lagging.setFixedHeight(
            self.lagging.horizontalHeader().height() + 28 * min(max(len(lagging), 1), 8) + 4
        )
        self.lagging.setVisible(bool(lagging))
        self.lagging_empty.setVisible(not lagging)

    def open_lagging(self, row: int) -> None:
        """Jump to 指标进度 at this lagging indicator, for the same year and date."""
        window = self.window()
        if self.data is None or not hasattr(window, "show_page"):
            return
        lagging = self.data.report.lagging()
        if not 0 <= row < len(lagging):
            return
        page = window.show_page("指标进度")
        page.show_indicator(lagging[row].code, str(self.data.year), self.data.report.as_of)

    def _show_sections(self, sections: list[Rollup]) -> None:
        self.sections.setRowCount(len(sections))
        for row, r in enumerate(sections):
            title = QTableWidgetItem(r.title)
            title.setToolTip(r.title)
            self.sections.setItem(row, 0, title)
            n = QTableWidgetItem(str(r.indicators) if r.indicators else DASH)
            n.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.sections.setItem(row, 1, n)
            bar = QTableWidgetItem()
            bar.setData(COMPLETION_ROLE, r.completion_pct)
            bar.setData(EXPECTED_ROLE, r.expected_pct)
            bar.setData(STATUS_ROLE, r.status)
            bar.setToolTip(
                f"完成率 {fmt_pct(r.completion_pct)}，应达进度 {fmt_pct(r.expected_pct)}"
            )
            self.sections.setItem(row, 2, bar)
            self.sections.setItem(
                row, 3, _status_item(r.status, None if r.indicators else "未设指标")
            )
        height = self.sections.horizontalHeader().height() + 28 * len(sections) + 4
        self.sections.setFixedHeight(height)
