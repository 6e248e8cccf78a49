"""指标进度: every indicator's target, actual, completion and status, with its details.

Figures come from ProgressService.report (the one home of the aggregation and
status rules); this page only shows, filters and orders them.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models import Indicator
from desktop.services import Services
from desktop.services.periods import Period, parse_period
from desktop.services.progress import STATUS_LABELS, STATUSES, IndicatorProgress, ProgressReport
from desktop.ui.date_edit import DateEdit
from desktop.ui.indicator_table import (
    COL_COMPLETION,
    COL_STATUS,
    IndicatorFilter,
    IndicatorTableModel,
)
from desktop.ui.indicator_words import MEASURE_WORDS, rule_words, target_words
from desktop.ui.status_pills import add_status_pills, show_status_counts
from desktop.ui.theme import STATUS_COLOURS
from desktop.ui.widgets import (
    MUTED,
    CompletionBarDelegate,
    Loader,
    PeriodPicker,
    fmt_number,
    fmt_pct,
    page_title,
    plan_of_year,
    ui_font,
)


class IndicatorsPage(QWidget):
    loaded = Signal()  # a new report is on screen

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.loader = Loader(self)
        self.report: ProgressReport | None = None
        self._indicators: dict[int, Indicator] = {}
        self._filled_for: tuple[object, ...] | None = None  # the plan the controls show
        self._plan_end = QDate(2100, 12, 31)
        self._quiet = False
        self._wanted: str | None = None
        self._build()
        self._fill_controls()
        self.refresh()

    # --- building -----------------------------------------------------------

    def _build(self) -> None:
        self.period = PeriodPicker(allow_all=False)
        self.period.changed.connect(self._period_changed)
        self.as_of = DateEdit()
        self.as_of.dateChanged.connect(lambda _d: self.refresh())
        self.section = QComboBox()
        self.section.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.section.setMinimumContentsLength(12)
        self.section.currentIndexChanged.connect(lambda _i: self._refilter())
        self.status = QComboBox()
        self.status.addItem("全部状态", None)
        for s in STATUSES:
            self.status.addItem(STATUS_LABELS[s], s)
        self.status.currentIndexChanged.connect(lambda _i: self._refilter())
        self.lagging_first = QCheckBox("滞后优先")
        self.lagging_first.setChecked(True)
        self.lagging_first.toggled.connect(lambda _on: self._apply_order())

        header = QHBoxLayout()
        header.addWidget(page_title("指标进度"))
        header.addSpacing(16)
        self.status_pills = add_status_pills(header)
        header.addStretch(1)

        controls = QHBoxLayout()
        controls.setSpacing(8)
        for label, widget in (
            ("统计期", self.period),
            ("截至", self.as_of),
            ("行动/工程", self.section),
            ("状态", self.status),
        ):
            caption = QLabel(label)
            caption.setStyleSheet(f"color: {MUTED};")
            controls.addWidget(caption)
            controls.addWidget(widget)
            controls.addSpacing(6)
        controls.addWidget(self.lagging_first)
        controls.addStretch(1)
        self.shown_label = QLabel()
        self.shown_label.setStyleSheet(f"color: {MUTED};")
        controls.addWidget(self.shown_label)

        self.model = IndicatorTableModel()
        self.proxy = IndicatorFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setItemDelegateForColumn(COL_COMPLETION, CompletionBarDelegate(self.table))
        self.table.setSortingEnabled(True)
        head = self.table.horizontalHeader()
        head.setHighlightSections(False)
        widths = [0, 0, 0, 62, 72, 70, 72, 128, 72, 64, 120]
        for col, width in enumerate(widths):
            if width:
                self.table.setColumnWidth(col, width)
        # The names share what room there is; the figures keep their width.
        for col in (0, 1, 2):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        head.sortIndicatorChanged.connect(self._header_sorted)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_detail())

        self.detail_title = QLabel()
        self.detail_title.setFont(ui_font(2, bold=True))
        self.detail_title.setWordWrap(True)
        self.detail_text = QLabel()
        self.detail_text.setWordWrap(True)
        self.detail_text.setTextFormat(Qt.TextFormat.RichText)
        self.detail_text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.entries = QTableWidget(0, 5)
        self.entries.setHorizontalHeaderLabels(["统计期", "填报单位", "地点", "数值", "备注"])
        self.entries.verticalHeader().hide()
        self.entries.verticalHeader().setDefaultSectionSize(24)
        self.entries.setAlternatingRowColors(True)
        self.entries.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.entries.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.entries.setColumnWidth(0, 120)
        self.entries.setColumnWidth(1, 150)
        self.entries.setColumnWidth(3, 90)
        detail = QFrame()
        detail.setObjectName("detail")
        detail.setStyleSheet(
            "QFrame#detail { background: #fafbfc; border: 1px solid #e0e4e8; border-radius: 6px; }"
        )
        detail_layout = QHBoxLayout(detail)
        left = QVBoxLayout()
        left.addWidget(self.detail_title)
        left.addWidget(self.detail_text, 1)
        detail_layout.addLayout(left, 1)
        detail_layout.addWidget(self.entries, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([480, 200])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)

    def _plan_key(self) -> tuple[object, ...]:
        plan = self.services.plans.active()
        return (plan.id, plan.first_year, plan.last_year)

    def _sync_plan(self) -> None:
        """Follow changes made on 实施方案: another plan, other years, edited sections or indicators."""
        if self._plan_key() != self._filled_for:
            self._fill_controls()
            return
        self._indicators = self._all_indicators()
        keep = self.section.currentData()
        self.section.blockSignals(True)  # the report about to load refilters
        self.section.clear()
        self.section.addItem("全部行动/工程", None)
        for sec in self.services.plans.active().sections:
            self.section.addItem(sec.title, sec.code)
        self.section.setCurrentIndex(max(self.section.findData(keep), 0))
        self.section.blockSignals(False)

    def _fill_controls(self) -> None:
        self._quiet = True
        self._filled_for = None
        self.section.clear()
        self.section.addItem("全部行动/工程", None)
        if self.services.plans.has_active():
            plan = self.services.plans.active()
            for sec in plan.sections:
                self.section.addItem(sec.title, sec.code)
            today = date.today()
            year = min(max(today.year, plan.first_year), plan.last_year)
            self.period.set_plan_years(self.services.plans.plans(), year)
            self._indicators = self._all_indicators()
            self._plan_end = QDate(plan.last_year, 12, 31)
            self._limit_as_of()
            self.as_of.setDate(self._default_as_of(self.period.period()))
            self._filled_for = self._plan_key()
        self._quiet = False

    def _all_indicators(self) -> dict[int, Indicator]:
        """Every plan's indicators by id: a year of the ended plan shows its own indicators."""
        plans = self.services.plans
        return {i.id: i for p in plans.plans() for i in plans.indicators(p.id)}

    def _limit_as_of(self) -> None:
        """截至 lies in the period or after it, within the plan: an earlier date would show
        the whole period's 本期 beside an empty 累计, a later one another plan's years."""
        period = self.period.period()
        if period is not None:
            start = QDate(period.start.year, period.start.month, period.start.day)
            plan = plan_of_year(self.services.plans.plans(), period.year)
            end = QDate(plan.last_year, 12, 31) if plan is not None else self._plan_end
            self.as_of.setDateRange(start, max(start, end))

    @staticmethod
    def _default_as_of(period: Period | None) -> QDate:
        """The period's end, or today while the period is still running."""
        today = date.today()
        day = today
        if period is not None:
            day = period.end if not period.start <= today <= period.end else today
        return QDate(day.year, day.month, day.day)

    # --- updating -----------------------------------------------------------

    def set_period(self, code: str, as_of: date | None = None) -> None:
        """Show a period (2024, 2024Q3, 202407), as of its end unless told otherwise."""
        self._quiet = True
        self.period.set_period(code)
        self._limit_as_of()
        day = as_of or parse_period(code).end
        self.as_of.setDate(QDate(day.year, day.month, day.day))
        self._quiet = False
        self.refresh()

    def _period_changed(self) -> None:
        if self._quiet:
            return
        self._quiet = True
        self._limit_as_of()
        self.as_of.setDate(self._default_as_of(self.period.period()))
        self._quiet = False
        self.refresh()

    def refresh(self) -> None:
        if self._quiet:
            return
        if not self.services.plans.has_active():
            self.model.set_items([])
            self.shown_label.setText("还没有启用的实施方案。")
            return
        self._sync_plan()
        as_of, period = self.as_of.date().toPython(), self.period.period()
        self.shown_label.setText("正在计算……")
        self.loader.run(
            lambda: self.services.progress.report(as_of, period), self._loaded, self._failed
        )

    def _failed(self, exc: BaseException) -> None:
        self.shown_label.setText(f"无法计算：{exc}")

    def show_indicator(self, code: str, period: str, as_of: date) -> None:
        """Open at one indicator (e.g. from the dashboard): its period, all filters off."""
        self._wanted = code
        self._quiet = True
        self.status.setCurrentIndex(0)
        self.section.setCurrentIndex(0)
        self._quiet = False
        self.set_period(period, as_of)

    def _loaded(self, report: ProgressReport) -> None:
        current = self.current_item()
        wanted = self._wanted or (current.code if current else None)
        self._wanted = None
        self.report = report
        self.model.set_items(report.indicators)
        self._apply_order()
        self._show_counts()
        self._refilter()
        if wanted is not None:
            self.select_indicator(wanted)
        self.loaded.emit()

    def select_indicator(self, code: str) -> bool:
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if self.model.items[self.proxy.mapToSource(index).row()].code == code:
                self.table.selectRow(r)
                return True
        return False

    def _show_counts(self) -> None:
        assert self.report is not None
        show_status_counts(self.status_pills, self.report)

    def _refilter(self) -> None:
        self.proxy.set_criteria(self.status.currentData(), self.section.currentData())
        self.shown_label.setText(f"显示 {self.proxy.rowCount()} / {self.model.rowCount()} 项指标")
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._show_detail()

    def _apply_order(self) -> None:
        head = self.table.horizontalHeader()
        head.blockSignals(True)
        if self.lagging_first.isChecked():
            self.table.sortByColumn(COL_STATUS, Qt.SortOrder.AscendingOrder)
        else:
            self.proxy.sort(-1)
            head.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        head.blockSignals(False)

    def _header_sorted(self, column: int, _order: Qt.SortOrder) -> None:
        """Sorting by another column turns 滞后优先 off, so the two never disagree."""
        if column != COL_STATUS and self.lagging_first.isChecked():
            self.lagging_first.blockSignals(True)
            self.lagging_first.setChecked(False)
            self.lagging_first.blockSignals(False)

    def visible_items(self) -> list[IndicatorProgress]:
        """The indicators in the order and selection the table shows them."""
        rows = []
        for r in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(r, 0))
            rows.append(self.model.items[source.row()])
        return rows

    def current_item(self) -> IndicatorProgress | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.items[self.proxy.mapToSource(index).row()]

    def _show_detail(self) -> None:
        p = self.current_item()
        self.entries.setRowCount(0)
        if p is None:
            self.detail_title.setText("")
            self.detail_text.setText("")
            return
        ind = self._indicators.get(p.id)
        self.detail_title.setText(f"{p.code}　{p.name}")
        lines = [
            f"<b>目标：</b>{target_words(ind) if ind else fmt_number(p.target)}",
            f"<b>计量方式：</b>{MEASURE_WORDS.get(p.measure, p.measure)}",
            f"<b>当前：</b>累计 {fmt_number(p.actual)}{p.unit}，完成率 {fmt_pct(p.completion_pct)}，"
            f"应达进度 {fmt_pct(p.expected_pct)}，"
            f"<span style='color:{STATUS_COLOURS[p.status].name()}'><b>{p.status_label}</b></span>",
        ]
        if p.task_code:
            lines.append(f"<b>所属任务：</b>{p.task_code} {p.task_title}")
        if p.lead_units:
            lines.append(f"<b>牵头单位：</b>{'、'.join(p.lead_units)}")
        if p.source == "derived":
            types = {t.code: t.name for t in self.services.reference.activity_types()}
            tasks = {t.code: t.title for t in self.services.plans.tasks()}
            lines.append(f"<b>数据来源：</b>{rule_words(ind.rule if ind else None, types, tasks)}")
            self.entries.hide()
        else:
            lines.append("<b>数据来源：</b>各单位填报（右侧为已填报的数据）")
            self._fill_entries(p.id)
            self.entries.show()
        if ind and ind.quote:
            lines.append(f"<span style='color:{MUTED}'>方案原文：{ind.quote}</span>")
        self.detail_text.setText("<br>".join(lines))

    def _fill_entries(self, indicator_id: int) -> None:
        units = {u.id: u.name for u in self.services.reference.units()}
        places = {p.id: p.name for p in self.services.reference.places()}
        entries = self.services.entries.entries(indicator_id)[::-1]  # newest first
        self.entries.setRowCount(len(entries))
        for row, e in enumerate(entries):
            cells = [
                parse_period(e.period).label,
                units.get(e.unit_id, "") if e.unit_id else "汇总（不分单位）",
                places.get(e.place_id, "") if e.place_id else "",
                fmt_number(e.value, 2),
                e.note,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.entries.setItem(row, col, item)
        if not entries:
            self.entries.setRowCount(1)
            self.entries.setItem(0, 0, QTableWidgetItem("暂无填报数据"))
