"""数据填报: aggregate figures per unit and period, entered in a grid.

Rows are the unit's manual indicators, columns the plan's years or one
year's quarters. A locked period is greyed and read-only; a cell that would
double-count (a year beside its quarters) is read-only with the reason in
its tooltip. Every edit is saved at once through the entry service, one
transaction each. The collection-workbook actions live here too, because
they are how member units' figures arrive. With more than one plan (a
period's turn) a 方案 choice picks whose indicators and years the grid
shows; the active plan's by default.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.models import Plan
from desktop.numbers import parse_number
from desktop.services import Services
from desktop.services.entry_grid import EntryContext, EntryGrid, GridRow
from desktop.services.periods import Period, parse_period
from desktop.ui.activity_model import FLAG_COLOR
from desktop.ui.collection_dialogs import BatchesDialog, ImportFlow, TemplatesDialog
from desktop.ui.events import later
from desktop.ui.plan_format import PENDING
from desktop.ui.questions import confirm
from desktop.ui.reporting_dialog import ReportingDialog
from desktop.ui.widgets import MUTED, fmt_number, page_title, plan_years

LOCKED_BACKGROUND = QColor("#e0e0e0")
LOCKED_TEXT = QColor("#757575")
READ_ONLY_BACKGROUND = QColor("#f5f5f5")
EDITABLE_BACKGROUND = QColor("#fffff0")
FIXED_COLUMNS = ["编号", "指标", "计量单位", "目标值"]
COUNTY = -1  # the unit combo's entry for county-wide figures (no unit)


class _TypingDelegate(QStyledItemDelegate):
    """Tells the page what is being typed into a cell, key by key, before it is saved."""

    typed = Signal(int, int, str)

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:  # noqa: N802
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            row, col = index.row(), index.column()
            editor.textEdited.connect(lambda text: self.typed.emit(row, col, text))
        return editor


def _figure(text: str) -> float | None:
    try:
        return float(parse_number(text)) if text.strip() else None
    except ValueError:
        return None


def context_text(ctx: EntryContext, unit_name: str, typed: float | None) -> str:
    """The line beside the grid: who else reported what, and the total the indicator will show."""
    others = "、".join(f"{name} {fmt_number(v, 2)}" for name, v in ctx.others[:6])
    if len(ctx.others) > 6:
        others += f" 等 {len(ctx.others)} 个单位"
    parts = [f"{ctx.indicator} · {ctx.period_label}："]
    parts.append(f"其他单位：{others}；" if others else "其他单位尚未填报；")
    if ctx.after is not None:
        pct = ctx.pct(ctx.after)
        figure = fmt_number(ctx.after, 2)
        which = f"{unit_name}填 {fmt_number(typed, 2)} 后" if typed is not None else "现在"
        shown = f"{which}指标合计 {figure}"
        if ctx.target:
            shown += f"（目标 {fmt_number(ctx.target, 2)}，完成 {pct:.1f}%）"
        parts.append(shown + "。")
    parts.append(ctx.note)
    return "".join(parts)


class EntriesPage(QWidget):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.grid: EntryGrid | None = None
        self._filling = False
        self.unit = QComboBox()
        self.unit.setMinimumWidth(200)
        self.unit.setMaxVisibleItems(25)
        self.view = QComboBox()
        self.view.addItem("按年度", "year")
        self.view.addItem("按季度", "quarter")
        self.year = QComboBox()
        self.plan_box = QComboBox()
        self.plan_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_label = QLabel("方案")
        self.generate = QPushButton("生成采集表…")
        self.import_button = QPushButton("导入采集表…")
        self.batches_button = QPushButton("导入批次…")
        self.reporting_button = QPushButton("报送情况…")
        top = QHBoxLayout()
        top.addWidget(page_title("数据填报"))
        top.addSpacing(16)
        top.addWidget(self.plan_label)
        top.addWidget(self.plan_box)
        top.addWidget(QLabel("填报单位"))
        top.addWidget(self.unit)
        top.addWidget(QLabel("视图"))
        top.addWidget(self.view)
        self.year_label = QLabel("年度")
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.generate)
        top.addWidget(self.import_button)
        top.addWidget(self.batches_button)
        top.addWidget(self.reporting_button)
        self.table = QTableWidget()
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.hint = QLabel(
            "双击或直接键入数字即可填报，回车保存；清空单元格即删除该数值。"
            "灰色为已锁定（已报送）的统计期，只读。可写 1.2万、1,200 等。"
        )
        self.hint.setStyleSheet(f"color: {MUTED};")
        self.hint.setWordWrap(True)
        self.status = QLabel()
        self.context = QLabel()
        self.context.setWordWrap(True)
        self.context.setStyleSheet("padding: 4px 2px;")
        self.context_warning = QLabel()
        self.context_warning.setWordWrap(True)
        self.context_warning.setStyleSheet("color: #c62828;")
        self.delegate = _TypingDelegate(self.table)
        self.table.setItemDelegate(self.delegate)
        self.empty = QLabel()
        self.empty.setStyleSheet(f"color: {MUTED}; padding: 24px;")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.context)
        layout.addWidget(self.context_warning)
        layout.addWidget(self.status)
        self.import_flow = ImportFlow(services.imports, self, lambda _r: self.refresh())
        self.unit.currentIndexChanged.connect(self._load)
        self.view.currentIndexChanged.connect(self._view_changed)
        self.year.currentIndexChanged.connect(self._load)
        self.plan_box.currentIndexChanged.connect(self.refresh)
        self.table.itemChanged.connect(self._edited)
        self.table.currentCellChanged.connect(lambda r, c, _r, _c: self.show_context(r, c, None))
        self.delegate.typed.connect(self.show_context)
        self.generate.clicked.connect(self._templates)
        self.import_button.clicked.connect(self.import_flow.choose_and_check)
        self.batches_button.clicked.connect(self._batches)
        self.reporting_button.clicked.connect(self._reporting)
        self._populated = False
        self.templates_dialog: TemplatesDialog | None = None
        self.batches_dialog: BatchesDialog | None = None
        self.reporting_dialog: ReportingDialog | None = None

    # --- setup -------------------------------------------------------------
    def _populate(self) -> bool:
        if not self.services.plans.has_active():
            self.empty.setText("还没有启用的实施方案，请先在“实施方案”中新建或导入方案。")
            self.empty.show()
            self.table.hide()
            return False
        plan = self._fill_plans()
        keep_unit = self.unit.currentData()
        keep_year = self.year.currentData()
        if keep_year is not None and not plan.first_year <= keep_year <= plan.last_year:
            keep_year = None
        for combo in (self.unit, self.year):
            combo.blockSignals(True)
            combo.clear()
        reporting = {u.id for u in self.services.imports.template_units()}
        units = self.services.reference.units()
        for u in units:
            if u.id in reporting:
                self.unit.addItem(u.name, u.id)
        for u in units:
            if u.id not in reporting:
                self.unit.addItem(u.name, u.id)
        self.unit.addItem("全县（不分单位）", COUNTY)
        for y in range(plan.first_year, plan.last_year + 1):
            self.year.addItem(f"{y}年", y)
        if keep_unit is None:  # open on the first unit with something to fill in
            ids = [self.unit.itemData(i) for i in range(self.unit.count())]
            keep_unit = self.services.entry_grid.first_unit_to_fill(
                [i for i in ids if i not in (None, COUNTY)]
            )
        self.unit.setCurrentIndex(max(self.unit.findData(keep_unit), 0))
        this_year = date.today().year
        default_year = keep_year or min(max(this_year, plan.first_year), plan.last_year)
        self.year.setCurrentIndex(max(self.year.findData(default_year), 0))
        for combo in (self.unit, self.year):
            combo.blockSignals(False)
        self.table.show()
        self.empty.hide()
        self._populated = True
        return True

    def _fill_plans(self) -> Plan:
        """The 方案 choice (shown only when there are several plans); the plan chosen."""
        plans = sorted(self.services.plans.plans(), key=lambda p: p.first_year)
        keep = self.plan_box.currentData()
        if all(p.code != keep for p in plans):
            keep = next(p.code for p in plans if p.is_active)
        self.plan_box.blockSignals(True)
        self.plan_box.clear()
        for p in plans:  # the row is full: the years here, the name and 当前 in the tip
            self.plan_box.addItem(f"{p.first_year}—{p.last_year}年", p.code)
            tip = p.name + ("（当前方案）" if p.is_active else "")
            self.plan_box.setItemData(self.plan_box.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.plan_box.setCurrentIndex(max(self.plan_box.findData(keep), 0))
        self.plan_box.blockSignals(False)
        for widget in (self.plan_label, self.plan_box):
            widget.setVisible(len(plans) > 1)
        return next(p for p in plans if p.code == keep)

    def refresh(self) -> None:
        if self._populate():
            self._load()

    def select_unit(self, name: str) -> None:
        self.unit.setCurrentIndex(self.unit.findText(name))

    def set_view(self, granularity: str, year: int | None = None) -> None:
        self.year.blockSignals(True)
        if year is not None:
            self.year.setCurrentIndex(self.year.findData(year))
        self.year.blockSignals(False)
        self.view.setCurrentIndex(self.view.findData(granularity))
        self._load()

    def _view_changed(self) -> None:
        quarterly = self.view.currentData() == "quarter"
        self.year.setEnabled(quarterly)
        self._load()

    # --- grid --------------------------------------------------------------
    def _unit_id(self) -> int | None:
        data = self.unit.currentData()
        return None if data in (None, COUNTY) else int(data)

    def _load(self) -> None:
        if not self._populated or self.unit.currentData() is None:
            return
        granularity = self.view.currentData()
        self.year.setEnabled(granularity == "quarter")
        try:
            self.grid = self.services.entry_grid.grid(
                self._unit_id(), granularity, self.year.currentData(), self.plan_box.currentData()
            )
        except ServiceError as exc:
            self.status.setText(str(exc))
            return
        self._fill(self.grid)

    def _fill(self, grid: EntryGrid) -> None:
        self._filling = True
        self.table.clear()
        headers = FIXED_COLUMNS + [
            p.label.replace(f"{p.year}年", "") if p.kind == "quarter" else p.label
            for p in grid.periods
        ]
        self.table.setColumnCount(len(headers))
        self.table.setRowCount(len(grid.rows))
        self.table.setHorizontalHeaderLabels(headers)
        for r, row in enumerate(grid.rows):
            target = fmt_number(row.target) if row.target is not None else PENDING
            for c, text in enumerate((row.code, row.name, row.uom, target)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if c == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
            for offset, cell in enumerate(row.cells):
                item = QTableWidgetItem("" if cell.value is None else fmt_number(cell.value, 2))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if cell.editable:
                    flags |= Qt.ItemFlag.ItemIsEditable
                    item.setBackground(QBrush(EDITABLE_BACKGROUND))
                elif cell.locked:
                    item.setBackground(QBrush(LOCKED_BACKGROUND))
                    item.setForeground(QBrush(LOCKED_TEXT))
                else:
                    item.setBackground(QBrush(READ_ONLY_BACKGROUND))
                    item.setForeground(QBrush(LOCKED_TEXT))
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
                if cell.flag:
                    item.setBackground(QBrush(FLAG_COLOR))  # as the ledger marks an activity
                tip = "\n".join(text for text in (cell.flag, cell.reason) if text)
                if tip:
                    item.setToolTip(tip)
                item.setFlags(flags)
                self.table.setItem(r, len(FIXED_COLUMNS) + offset, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 60)
        self.table.setColumnWidth(2, 70)
        self.table.setColumnWidth(3, 110)
        for c in range(len(FIXED_COLUMNS), self.table.columnCount()):
            self.table.setColumnWidth(c, 110)
        locked = sum(1 for row in grid.rows[:1] for cell in row.cells if cell.locked)
        if not grid.rows:
            self.status.setText(
                f"{grid.unit_name}没有需要手工填报的指标（其任务的指标都由活动台账自动统计）。"
            )
        else:
            self.status.setText(
                f"{grid.unit_name}：{len(grid.rows)} 项手工填报指标"
                + (f"，其中 {locked} 个统计期已锁定" if locked else "")
            )
        self._filling = False

    def _cell_at(self, r: int, c: int) -> tuple[GridRow, Period] | None:
        grid = self.grid
        col = c - len(FIXED_COLUMNS)
        if grid is None or not 0 <= r < len(grid.rows) or not 0 <= col < len(grid.periods):
            return None
        return grid.rows[r], grid.periods[col]

    def show_context(self, r: int, c: int, text: str | None) -> EntryContext | None:
        """Beside the grid: the other units' figures and the total, updated as the clerk types."""
        found = self._cell_at(r, c)
        if found is None or self.grid is None:
            self.context.clear()
            self.context_warning.clear()
            return None
        row, period = found
        typed = _figure(text) if text is not None else None
        ctx = self.services.entry_grid.context(
            row.indicator_id, period.code, self.grid.unit_id, typed
        )
        self.context.setText(context_text(ctx, self.grid.unit_name, typed))
        self.context_warning.setText(ctx.confirm)
        return ctx

    def _edited(self, item: QTableWidgetItem) -> None:
        """Save after the editor has closed: reloading the grid inside its commit would free it."""
        if self._filling or self.grid is None:
            return
        col = item.column() - len(FIXED_COLUMNS)
        if col < 0:
            return
        grid, row, text = self.grid, item.row(), item.text().strip()
        later(self, lambda: self._save(grid, row, col, text))

    def _save(self, grid: EntryGrid, r: int, col: int, text: str) -> None:
        row = grid.rows[r]
        cell = row.cells[col]
        period = grid.periods[col]
        message = ""
        try:
            if not text:
                if cell.entry_id is not None:
                    self.services.entries.delete(cell.entry_id)
                    message = f"已删除 {grid.unit_name} {row.name} {period.label}的数值。"
            else:
                # A leading minus is read here, so a negative figure gets the
                # service's own refusal instead of "not a number".
                negative = text[0] in "-－"
                try:
                    value = float(parse_number(text[1:].strip() if negative else text))
                except ValueError:
                    raise ServiceError(f"“{text}”不是数字。") from None
                if negative:
                    value = -value
                ctx = self.services.entry_grid.context(
                    row.indicator_id, period.code, grid.unit_id, value
                )
                question = f"{ctx.confirm}\n{ctx.note}\n\n确定保存吗？"
                if ctx.confirm and not confirm(self, "请确认数值", question, "确定保存"):
                    self._load()
                    self.status.setText("未保存：数值已还原。")
                    return
                self.services.entries.set(
                    row.indicator_id, period.code, value, unit_id=grid.unit_id
                )
                message = (
                    f"已保存：{grid.unit_name} {row.name} {period.label} = {fmt_number(value, 2)}"
                )
        except ServiceError as exc:
            self._load()
            QMessageBox.warning(self, "数据填报", str(exc))
            return
        self._load()
        if message:
            self.status.setText(message)

    # --- collection workbooks ---------------------------------------------
    def _templates(self) -> None:
        period = parse_period(f"{self.year.currentData()}")
        dialog = TemplatesDialog(
            self.services.imports,
            self.services.imports.template_units(),
            plan_years(self.services.plans.plans()),
            period,
            self,
        )
        dialog.open()
        self.templates_dialog = dialog

    def _batches(self) -> None:
        dialog = BatchesDialog(self.services.imports, self, self.refresh)
        dialog.open()
        self.batches_dialog = dialog

    def _reporting(self) -> None:
        plan = self.services.plans.active()
        years = plan_years(self.services.plans.plans())
        shown = self.services.reporting.current(date.today())
        current = shown.period if shown else parse_period(str(plan.first_year))
        dialog = ReportingDialog(self.services, years, current, self)
        dialog.open()
        self.reporting_dialog = dialog
