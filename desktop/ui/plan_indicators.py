"""指标: the plan's indicators on the 实施方案 page, with the buttons that edit them.

Each row is read as an IndicatorDoc (plan_store.indicator_document, the one
reading of an indicator row) for its target and its parts, and edited
through the indicator dialog; a removal that entries depend on must be
confirmed (desktop/ui/confirm.py).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

from desktop.models import Indicator, Plan
from desktop.plan.document import IndicatorDoc
from desktop.plan.vocabulary import MEASURE_LABELS, SOURCE_LABELS, TARGET_MODE_LABELS
from desktop.services import Services
from desktop.services.plan_store import indicator_document
from desktop.ui.confirm import agreed, call_confirming
from desktop.ui.indicator_dialog import IndicatorDialog
from desktop.ui.plan_format import target_text
from desktop.ui.plan_panel import PlanPanel
from desktop.ui.plan_tree import ITEM_ROLE

IND_HEADERS = ["编号", "指标名称", "目标", "目标类型", "计量方式", "任务", "来源"]
# Fixed widths for every column but the name, which takes the rest.
IND_WIDTHS = {0: 40, 2: 100, 3: 80, 4: 58, 5: 48, 6: 60}


class PlanIndicators(PlanPanel):
    def __init__(self, services: Services) -> None:
        super().__init__("指标")
        self.services = services
        self.editor = services.plan_editor
        self.plan: Plan | None = None
        self.rows: list[Indicator] = []
        self.table = QTableWidget(0, len(IND_HEADERS))
        self.table.setHorizontalHeaderLabels(IND_HEADERS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in IND_WIDTHS.items():
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda *_: self.edit_indicator())
        self.lay_out(
            self.table,
            {
                "add": ("新增指标", self.add_indicator),
                "edit": ("编辑", self.edit_indicator),
                "up": ("上移", lambda: self.move_indicator(-1)),
                "down": ("下移", lambda: self.move_indicator(1)),
                "remove": ("删除", self.remove_indicator),
            },
        )

    def show_plan(self, plan: Plan | None) -> None:
        """List the plan's indicators (None: none); `plan` gives the tasks and years to edit them."""
        self.plan = plan
        self.table.setRowCount(0)
        self.rows = self.services.plans.indicators(plan.id) if plan is not None else []
        self.table.setRowCount(len(self.rows))
        codes = self.codes()
        for row, ind in enumerate(self.rows):
            doc = indicator_document(ind, codes)
            source = SOURCE_LABELS.get(doc.source, doc.source)
            if doc.numerator and doc.denominator:
                source = f"计算：{doc.numerator} ÷ {doc.denominator}"
            cells = [
                doc.code,
                doc.name,
                target_text(doc),
                TARGET_MODE_LABELS.get(doc.target_mode, doc.target_mode),
                MEASURE_LABELS.get(doc.measure, doc.measure),
                doc.task or "全方案",
                source,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ITEM_ROLE, ind.id)
                if col in (1, 2):
                    item.setToolTip(f"{doc.name}\n{text}\n{doc.quote}".strip())
                self.table.setItem(row, col, item)

    def codes(self) -> dict[int, str]:
        """Indicator id → code, for reading a row's numerator and denominator."""
        return {i.id: i.code for i in self.rows}

    def _current(self) -> Indicator | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        ident = item.data(ITEM_ROLE) if item else None
        return next((i for i in self.rows if i.id == ident), None)

    def _tasks(self) -> list[tuple[str, str]]:
        sections = self.plan.sections if self.plan is not None else []
        return [(t.code, t.title) for sec in sections for t in sec.tasks]

    def _parts(self, except_id: int | None = None) -> list[tuple[str, str, str]]:
        """The plan's indicators a percent may be computed from (the dialog keeps level/count)."""
        return [(i.code, i.name, i.measure) for i in self.rows if i.id != except_id]

    def _edited(self, ident: int | None = None) -> None:
        self.changed.emit()
        for row in range(self.table.rowCount()):
            if ident is not None and self.table.item(row, 0).data(ITEM_ROLE) == ident:
                self.table.selectRow(row)

    def add_indicator(self) -> None:
        if self.plan is None:
            return
        plan_id = self.plan.id
        created: list[int] = []

        def save(doc: IndicatorDoc) -> None:
            created.append(self.editor.add_indicator(plan_id, doc))

        dialog = IndicatorDialog(
            save,
            self._tasks(),
            self.plan.first_year,
            self.plan.last_year,
            parent=self,
            parts=self._parts(),
        )
        if dialog.exec() and created:
            self._edited(created[0])

    def edit_indicator(self) -> None:
        ind = self._current()
        if ind is None or self.plan is None or self.read_only:
            return
        ident = ind.id
        dialog = IndicatorDialog(
            lambda doc: self.editor.update_indicator(ident, doc),
            self._tasks(),
            self.plan.first_year,
            self.plan.last_year,
            indicator_document(ind, self.codes()),
            self,
            parts=self._parts(ident),
        )
        if dialog.exec():
            self._edited(ident)

    def move_indicator(self, step: int) -> None:
        ind = self._current()
        if ind is None:
            return
        ident = ind.id
        if call_confirming(self, lambda: self.editor.move_indicator(ident, step), "实施方案"):
            self._edited(ident)

    def remove_indicator(self) -> None:
        ind = self._current()
        if ind is None:
            return
        ident = ind.id
        if agreed(self, "删除指标", f"删除指标 {ind.code}“{ind.name}”？"):
            call_confirming(
                self,
                lambda confirm=False: self.editor.remove_indicator(ident, confirm=confirm),
                "删除指标",
            )
            self._edited()
