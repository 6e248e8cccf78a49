"""实施方案 page: the plan tree (sections → tasks → units with roles) and its indicators.

Several plans may be kept (十三五 and 十四五); the switcher shows any of
them and one is active. Every change goes through the plan-editing service;
a removal that recorded data depends on is explained and must be confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.models import Indicator
from desktop.plan.document import IndicatorDoc, PlanDocument, PlanInfo
from desktop.plan.vocabulary import (
    KIND_LABELS,
    MEASURE_LABELS,
    ROLE_LABELS,
    SOURCE_LABELS,
    TARGET_MODE_LABELS,
)
from desktop.services import Services
from desktop.services.plan_editing import DependentsError
from desktop.services.plan_store import indicator_document
from desktop.ui.events import later
from desktop.ui.plan_dialogs import (
    IndicatorDialog,
    PlanInfoDialog,
    SectionDialog,
    TaskDialog,
    UnitLinkDialog,
    UnitsDialog,
    number_text,
)
from desktop.ui.workers import run_with_progress

ITEM_ROLE = Qt.ItemDataRole.UserRole
TREE_HEADERS = ["名称", "编号", "类别/角色", "重点人群/牵头单位"]
IND_HEADERS = ["编号", "指标名称", "目标", "目标类型", "计量方式", "任务", "来源"]
# Fixed widths for every column but the name, which takes the rest.
IND_WIDTHS = {0: 40, 2: 100, 3: 80, 4: 58, 5: 48, 6: 60}
SECTION_FILL = QColor("#e3f2fd")
LEAD_COLOUR = QColor("#1565c0")
MUTED_COLOUR = QColor("#607d8b")


def target_text(ind: dict[str, Any]) -> str:
    sign = "≤" if ind.get("comparator") == "<=" else "≥"
    unit = ind.get("unit") or ""
    if ind.get("target_mode") == "per_year":
        years = ind.get("targets_by_year") or {}
        return "；".join(f"{y}年 {number_text(v)}" for y, v in sorted(years.items())) or "—"
    if ind.get("target") is None:
        return "—"
    return f"{sign} {number_text(ind['target'])}{unit}"


def _button(text: str, slot: Callable[[], Any], tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(slot)
    if tip:
        button.setToolTip(tip)
    return button


def _tool(text: str, slot: Callable[[], Any]) -> QToolButton:
    """A compact button for the rows under the tree and the table, which share the width."""
    button = QToolButton()
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setMinimumHeight(28)
    button.clicked.connect(slot)
    return button


class PlanPage(QWidget):
    plan_changed = Signal()
    """A plan was edited, added or made active: other views may show its name."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.editor = services.plan_editor
        self.plan_id: int | None = None
        self._task: Any = None
        self._indicators: list[Indicator] = []

        layout = QVBoxLayout(self)
        title = QLabel("实施方案")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        bar = QHBoxLayout()
        bar.addWidget(title)
        bar.addSpacing(16)
        bar.addWidget(QLabel("方案："))
        self.plan_box = QComboBox()
        self.plan_box.setMinimumWidth(380)
        self.plan_box.currentIndexChanged.connect(self._plan_chosen)
        bar.addWidget(self.plan_box, 1)
        self.active_label = QLabel()
        bar.addWidget(self.active_label)
        self.activate_button = _button("设为当前方案", self.activate_plan)
        bar.addWidget(self.activate_button)
        layout.addLayout(bar)

        tools = QHBoxLayout()
        tools.addWidget(_button("方案信息…", self.edit_plan_info))
        tools.addWidget(_button("责任单位与别名…", self.edit_units))
        tools.addStretch(1)
        tools.addWidget(
            _button("从文本识别…", self.parse_text, "粘贴或打开方案原文（.txt/.docx），识别出方案")
        )
        tools.addWidget(
            _button(
                "导入方案文件…",
                lambda: self.import_file(),
                "读入 .xlsx 方案工作簿或 .yaml 方案文件",
            )
        )
        tools.addWidget(
            _button(
                "导出方案文件…",
                lambda: self.export_file(),
                "导出为可在 Excel 中修改的方案工作簿或 YAML",
            )
        )
        self.delete_plan_button = _button("删除方案", self.delete_plan)
        tools.addWidget(self.delete_plan_button)
        layout.addLayout(tools)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QGroupBox("行动/工程 · 任务 · 责任单位")
        left_layout = QVBoxLayout(left)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(TREE_HEADERS)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        for col, width in [(1, 56), (2, 72), (3, 120)]:
            self.tree.setColumnWidth(col, width)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_item())
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        left_layout.addWidget(self.tree)
        row = QHBoxLayout()
        self.tree_buttons = {
            "add_section": _tool("新增行动/工程", self.add_section),
            "add_task": _tool("新增任务", self.add_task),
            "add_unit": _tool("添加责任单位", self.add_unit),
            "edit": _tool("编辑", self.edit_item),
            "up": _tool("上移", lambda: self.move_item(-1)),
            "down": _tool("下移", lambda: self.move_item(1)),
            "remove": _tool("删除", self.remove_item),
        }
        for button in self.tree_buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        left_layout.addLayout(row)
        splitter.addWidget(left)

        right = QGroupBox("指标")
        right_layout = QVBoxLayout(right)
        self.table = QTableWidget(0, len(IND_HEADERS))
        self.table.setHorizontalHeaderLabels(IND_HEADERS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in IND_WIDTHS.items():
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda *_: self.edit_indicator())
        right_layout.addWidget(self.table)
        row = QHBoxLayout()
        for text, slot in [
            ("新增指标", self.add_indicator),
            ("编辑", self.edit_indicator),
            ("上移", lambda: self.move_indicator(-1)),
            ("下移", lambda: self.move_indicator(1)),
            ("删除", self.remove_indicator),
        ]:
            row.addWidget(_tool(text, slot))
        row.addStretch(1)
        right_layout.addLayout(row)
        splitter.addWidget(right)
        self.splitter = splitter
        self._split_done = False
        layout.addWidget(splitter, 1)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Split the width evenly once it is known: the tree's wide columns would take it all."""
        super().showEvent(event)
        if not self._split_done:
            self._split_done = True
            later(self, self._split_evenly)

    def _split_evenly(self) -> None:
        half = max(self.splitter.width() // 2, 300)
        self.splitter.setSizes([half, half])

    # ------------------------------------------------------------ loading

    def refresh(self) -> None:
        plans = self.services.plans.plans()
        keep = self.plan_id
        if keep is None or all(p.id != keep for p in plans):
            keep = next((p.id for p in plans if p.is_active), plans[0].id if plans else None)
        self.plan_box.blockSignals(True)
        self.plan_box.clear()
        for plan in plans:
            mark = "（当前）" if plan.is_active else ""
            self.plan_box.addItem(f"{plan.name}  {plan.first_year}—{plan.last_year}{mark}", plan.id)
        self.plan_box.setCurrentIndex(max(self.plan_box.findData(keep), 0))
        self.plan_box.blockSignals(False)
        self.plan_id = keep
        self._active = {p.id: p.is_active for p in plans}
        self.load_plan()

    def _plan_chosen(self) -> None:
        self.plan_id = self.plan_box.currentData()
        self.load_plan()

    def load_plan(self) -> None:
        selected = self.selected()
        self.tree.clear()
        self.table.setRowCount(0)
        active = bool(self.plan_id and self._active.get(self.plan_id))
        self.active_label.setText("● 当前启用" if active else "未启用")
        self.active_label.setStyleSheet(f"color: {'#2e7d32' if active else '#757575'};")
        self.activate_button.setEnabled(bool(self.plan_id) and not active)
        self.delete_plan_button.setEnabled(bool(self.plan_id) and not active)
        if self.plan_id is None:
            self._update_buttons()
            return
        self.plan = self.editor.tree(self.plan_id)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for sec in self.plan.sections:
            group = sec.target_group.name if sec.target_group else ""
            s_item = QTreeWidgetItem(
                [sec.title, sec.code, KIND_LABELS.get(sec.kind, sec.kind), group]
            )
            s_item.setData(0, ITEM_ROLE, ("section", sec.id))
            for col in range(len(TREE_HEADERS)):
                s_item.setBackground(col, QBrush(SECTION_FILL))
                s_item.setFont(col, bold)
            self.tree.addTopLevelItem(s_item)
            if sec.unit_links:
                g_item = QTreeWidgetItem(
                    [f"行动/工程责任单位（{len(sec.unit_links)} 个）", "", "", ""]
                )
                g_item.setData(0, ITEM_ROLE, ("section_group", sec.id))
                g_item.setForeground(0, QBrush(MUTED_COLOUR))
                s_item.addChild(g_item)
                for link in sec.unit_links:
                    self._unit_item(g_item, link, "section_unit")
            for task in sec.tasks:
                label = f"{task.number}．{task.title}" if task.number else f"—— {task.title}"
                leads = "、".join(u.name for u in task.lead_units)
                t_item = QTreeWidgetItem([label, task.code, "任务", leads])
                t_item.setToolTip(3, leads)
                t_item.setData(0, ITEM_ROLE, ("task", task.id))
                t_item.setToolTip(0, task.text[:400])
                s_item.addChild(t_item)
                for link in task.unit_links:
                    self._unit_item(t_item, link, "task_unit")
            s_item.setExpanded(True)
        self._indicators = self.services.plans.indicators(self.plan_id)
        self.table.setRowCount(len(self._indicators))
        codes = self._codes()
        for row, ind in enumerate(self._indicators):
            doc = indicator_document(ind, codes)
            source = SOURCE_LABELS.get(ind.source, ind.source)
            if doc.numerator and doc.denominator:
                source = f"计算：{doc.numerator} ÷ {doc.denominator}"
            cells = [
                ind.code,
                ind.name,
                target_text(doc.to_dict()),
                TARGET_MODE_LABELS.get(ind.target_mode, ind.target_mode),
                MEASURE_LABELS.get(ind.measure, ind.measure),
                doc.task or "全方案",
                source,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ITEM_ROLE, ind.id)
                if col in (1, 2):
                    item.setToolTip(f"{ind.name}\n{text}\n{ind.quote}".strip())
                self.table.setItem(row, col, item)
        if selected is not None:
            self.select(*selected)
        self._update_buttons()

    @staticmethod
    def _unit_item(parent: QTreeWidgetItem, link: Any, kind: str) -> None:
        role = ROLE_LABELS.get(link.role, link.role)
        item = QTreeWidgetItem([link.unit.name, "", role, ""])
        item.setData(0, ITEM_ROLE, (kind, link.id))
        colour = LEAD_COLOUR if link.role == "lead" else MUTED_COLOUR
        item.setForeground(2, QBrush(colour))
        parent.addChild(item)

    def selected(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        return item.data(0, ITEM_ROLE) if item is not None else None

    def select(self, kind: str, ident: int) -> bool:
        def walk(item: QTreeWidgetItem) -> bool:
            if item.data(0, ITEM_ROLE) == (kind, ident):
                self.tree.setCurrentItem(item)
                return True
            return any(walk(item.child(i)) for i in range(item.childCount()))

        return any(walk(self.tree.topLevelItem(i)) for i in range(self.tree.topLevelItemCount()))

    def _update_buttons(self) -> None:
        sel = self.selected()
        kind = sel[0] if sel else None
        has_plan = self.plan_id is not None
        self.tree_buttons["add_section"].setEnabled(has_plan)
        self.tree_buttons["add_task"].setEnabled(
            kind in ("section", "task", "task_unit", "section_unit")
        )
        self.tree_buttons["add_unit"].setEnabled(kind is not None)
        for key in ("edit", "up", "down", "remove"):
            self.tree_buttons[key].setEnabled(kind not in (None, "section_group"))

    # ------------------------------------------------------------ helpers

    def _run(self, action: Callable[[], Any], title: str = "实施方案") -> Any:
        """Call a service; on a dependents refusal ask, then repeat with confirm=True."""
        try:
            return action()
        except DependentsError as exc:
            answer = QMessageBox.question(
                self,
                title,
                str(exc),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                try:
                    return action_confirmed(action)
                except ServiceError as again:
                    QMessageBox.warning(self, title, str(again))
        except ServiceError as exc:
            QMessageBox.warning(self, title, str(exc))
        return None

    def _changed(self, select: tuple[str, int] | None = None) -> None:
        self.load_plan()
        if select is not None:
            self.select(*select)
        self.plan_changed.emit()

    def _ancestor(self, kind: str) -> int | None:
        item = self.tree.currentItem()
        while item is not None:
            data = item.data(0, ITEM_ROLE)
            if data and data[0] == kind:
                return data[1]
            item = item.parent()
        return None

    # ------------------------------------------------------------ tree actions

    def add_section(self) -> None:
        if self.plan_id is None:
            return
        plan_id = self.plan_id
        created: list[int] = []
        dialog = SectionDialog(
            lambda v: created.append(self.editor.add_section(plan_id, **v)), parent=self
        )
        if dialog.exec() and created:
            self._changed(("section", created[0]))

    def add_task(self) -> None:
        section_id = self._ancestor("section")
        if section_id is None:
            return
        created: list[int] = []
        dialog = TaskDialog(
            lambda v: created.append(self.editor.add_task(section_id, **v)), parent=self
        )
        if dialog.exec() and created:
            self._changed(("task", created[0]))

    def add_unit(self) -> None:
        task_id = self._ancestor("task")
        section_id = self._ancestor("section")
        created: list[tuple[str, int]] = []

        def save(v: dict[str, Any]) -> None:
            if task_id is not None:
                created.append(
                    ("task_unit", self.editor.add_task_unit(task_id, v["name"], v["role"]))
                )
            elif section_id is not None:
                created.append(
                    ("section_unit", self.editor.add_section_unit(section_id, v["name"], v["role"]))
                )

        dialog = UnitLinkDialog(save, self.editor.unit_names(), parent=self)
        if dialog.exec() and created:
            self._changed(created[0])

    def _find(self, kind: str, ident: int) -> Any:
        for sec in self.plan.sections:
            if kind == "section" and sec.id == ident:
                return sec
            for link in sec.unit_links:
                if kind == "section_unit" and link.id == ident:
                    return link
            for task in sec.tasks:
                if kind == "task" and task.id == ident:
                    return task
                for link in task.unit_links:
                    if kind == "task_unit" and link.id == ident:
                        return link
        return None

    def edit_item(self) -> None:
        sel = self.selected()
        if sel is None:
            return
        kind, ident = sel
        if kind == "section_group":
            return
        obj = self._find(kind, ident)
        if obj is None:
            return
        if kind == "section":
            initial = {
                "kind": obj.kind,
                "title": obj.title,
                "target_group": obj.target_group.name if obj.target_group else None,
            }
            dialog = SectionDialog(lambda v: self.editor.update_section(ident, **v), initial, self)
        elif kind == "task":
            initial = {"number": obj.number, "title": obj.title, "text": obj.text}
            dialog = TaskDialog(lambda v: self.editor.update_task(ident, **v), initial, self)
        else:
            section_level = kind == "section_unit"
            initial = {"name": obj.unit.name, "role": obj.role}
            dialog = UnitLinkDialog(
                lambda v: self.editor.set_link_role(ident, v["role"], section_level),
                [obj.unit.name],
                initial,
                self,
            )
        if dialog.exec():
            self._changed(sel)

    def move_item(self, step: int) -> None:
        sel = self.selected()
        if sel is None:
            return
        kind, ident = sel
        if kind == "section_group":
            return
        moves = {
            "section": lambda: self.editor.move_section(ident, step),
            "task": lambda: self.editor.move_task(ident, step),
            "task_unit": lambda: self.editor.move_link(ident, step),
            "section_unit": lambda: self.editor.move_link(ident, step, section_level=True),
        }
        if self._run(moves[kind]):
            self._changed(sel)

    def remove_item(self) -> None:
        sel = self.selected()
        if sel is None:
            return
        kind, ident = sel
        if kind == "section_group":
            return
        obj = self._find(kind, ident)
        name = obj.title if kind in ("section", "task") else obj.unit.name
        what = {"section": "行动/工程", "task": "任务"}.get(kind, "责任单位")
        answer = QMessageBox.question(
            self,
            "删除",
            f"删除{what}“{name}”？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        removals: dict[str, Callable[..., Any]] = {
            "section": lambda confirm=False: self.editor.remove_section(ident, confirm=confirm),
            "task": lambda confirm=False: self.editor.remove_task(ident, confirm=confirm),
            "task_unit": lambda confirm=False: self.editor.remove_link(ident, confirm=confirm),
            "section_unit": lambda confirm=False: self.editor.remove_link(
                ident, section_level=True, confirm=confirm
            ),
        }
        self._run(removals[kind], "删除")
        self._changed()

    # ------------------------------------------------------------ indicators

    def _indicator_id(self) -> int | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(ITEM_ROLE) if item else None

    def _tasks(self) -> list[tuple[str, str]]:
        return [(t.code, t.title) for sec in self.plan.sections for t in sec.tasks]

    def _codes(self) -> dict[int, str]:
        return {i.id: i.code for i in self._indicators}

    def _parts(self, except_id: int | None = None) -> list[tuple[str, str, str]]:
        """The plan's indicators a percent may be computed from (the dialog keeps level/count)."""
        return [(i.code, i.name, i.measure) for i in self._indicators if i.id != except_id]

    def _select_indicator(self, ident: int) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(ITEM_ROLE) == ident:
                self.table.selectRow(row)

    def add_indicator(self) -> None:
        if self.plan_id is None:
            return
        plan_id = self.plan_id
        created: list[int] = []
        dialog = IndicatorDialog(
            lambda v: created.append(self.editor.add_indicator(plan_id, IndicatorDoc.from_dict(v))),
            self._tasks(),
            self.plan.first_year,
            self.plan.last_year,
            parent=self,
            parts=self._parts(),
        )
        if dialog.exec() and created:
            self._changed()
            self._select_indicator(created[0])

    def edit_indicator(self) -> None:
        ident = self._indicator_id()
        ind = next((i for i in self._indicators if i.id == ident), None)
        if ind is None:
            return
        dialog = IndicatorDialog(
            lambda v: self.editor.update_indicator(ident, IndicatorDoc.from_dict(v)),
            self._tasks(),
            self.plan.first_year,
            self.plan.last_year,
            indicator_document(ind, self._codes()).to_dict(),
            self,
            parts=self._parts(ident),
        )
        if dialog.exec():
            self._changed()
            self._select_indicator(ident)

    def move_indicator(self, step: int) -> None:
        ident = self._indicator_id()
        if ident is not None and self._run(lambda: self.editor.move_indicator(ident, step)):
            self._changed()
            self._select_indicator(ident)

    def remove_indicator(self) -> None:
        ident = self._indicator_id()
        ind = next((i for i in self._indicators if i.id == ident), None)
        if ind is None:
            return
        answer = QMessageBox.question(
            self,
            "删除指标",
            f"删除指标 {ind.code}“{ind.name}”？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(
                lambda confirm=False: self.editor.remove_indicator(ident, confirm=confirm),
                "删除指标",
            )
            self._changed()

    # ------------------------------------------------------------ plans

    def activate_plan(self) -> None:
        if self.plan_id is not None and self._run(
            lambda: self.services.plans.activate(self.plan_id) or True
        ):
            self.refresh()
            self._changed()

    def edit_plan_info(self) -> None:
        if self.plan_id is None:
            return
        plan_id = self.plan_id
        meta = self.services.plans.document(plan_id).info.to_dict()
        dialog = PlanInfoDialog(
            lambda v: self.editor.update_plan(plan_id, PlanInfo.from_dict(v)), meta, self
        )
        if dialog.exec():
            self.refresh()
            self.plan_changed.emit()

    def edit_units(self) -> None:
        UnitsDialog(self.services, self).exec()
        self._changed()

    def delete_plan(self) -> None:
        if self.plan_id is None or self._active.get(self.plan_id):
            return
        name = self.plan_box.currentText()
        answer = QMessageBox.question(
            self,
            "删除方案",
            f"删除方案“{name}”？其行动、任务和指标将一并删除。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            plan_id = self.plan_id
            if self._run(lambda: self.services.plans.delete(plan_id) or True, "删除方案"):
                self.plan_id = None
                self.refresh()

    def parse_text(self) -> None:
        from desktop.ui.plan_parse_dialog import PlanParseDialog

        dialog = PlanParseDialog(self.services, self)
        if dialog.exec() and dialog.saved_plan_id is not None:
            self.plan_id = dialog.saved_plan_id
            self.refresh()
            self._changed()

    def import_file(
        self, path: Path | None = None, on_done: Callable[[], None] | None = None
    ) -> None:
        """Read a plan file off the GUI thread, then save it as a new plan."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "导入方案文件", "", "方案文件 (*.xlsx *.yaml *.yml)"
            )
            if not name:
                return
            path = Path(name)
        from desktop.importing.plan_file import read_plan_file

        def job(report: Callable[[int, int], bool]) -> PlanDocument:
            report(0, 1)
            return read_plan_file(path)

        def done(doc: PlanDocument) -> None:
            self._save_imported(doc)
            if on_done is not None:
                on_done()

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, "导入方案文件", str(exc))
            if on_done is not None:
                on_done()

        self._task = run_with_progress(self, "正在读取方案文件…", job, done, failed)

    def _save_imported(self, doc: PlanDocument) -> None:
        plans = self.services.plans.plans()
        codes = {p.code for p in plans}
        if doc.id in codes:
            answer = QMessageBox.question(
                self,
                "导入方案文件",
                f"已有编号为“{doc.id}”的方案。是否用文件内容更新该方案？\n"
                "选“是”：按编号更新原方案，已录入的活动和填报数据保持关联；\n"
                "选“否”：另存为一个新方案。",
                QMessageBox.StandardButton.Yes
                | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Yes:
                self._update_from(next(p.id for p in plans if p.code == doc.id), doc)
                return
            suggestion = doc.id
            n = 2
            while f"{suggestion}-{n}" in codes:
                n += 1
            code, ok = QInputDialog.getText(
                self,
                "导入方案文件",
                f"已有编号为“{doc.id}”的方案。请为导入的方案另起一个编号：",
                text=f"{suggestion}-{n}",
            )
            if not ok or not code.strip():
                return
            doc.id = code.strip()
        activate = (
            QMessageBox.question(
                self,
                "导入方案文件",
                f"已读入“{doc.info.name}”。是否设为当前方案？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            == QMessageBox.StandardButton.Yes
        )
        plan_id = self._run(lambda: self.services.plans.create(doc, activate=activate))
        if plan_id:
            self.plan_id = plan_id
            self.refresh()
            self._changed()

    def _update_from(self, plan_id: int, doc: PlanDocument) -> None:
        counts = self._run(
            lambda confirm=False: self.editor.update_from_document(plan_id, doc, confirm=confirm),
            "更新方案",
        )
        if counts:
            QMessageBox.information(
                self,
                "更新方案",
                f"已按文件更新方案：新增 {counts['added']} 项、修改 {counts['changed']} 项、"
                f"删除 {counts['removed']} 项。",
            )
        self.plan_id = plan_id
        self.refresh()
        self._changed()

    def export_file(
        self, path: Path | None = None, on_done: Callable[[], None] | None = None
    ) -> None:
        if self.plan_id is None:
            return
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self,
                "导出方案文件",
                f"{self.plan.region}实施方案.xlsx",
                "Excel 方案工作簿 (*.xlsx);;YAML 方案文件 (*.yaml)",
            )
            if not name:
                return
            path = Path(name)
        from desktop.exporting.plan_workbook import write_plan_workbook
        from desktop.exporting.plan_yaml import write_plan_yaml

        plan_id = self.plan_id

        def job(report: Callable[[int, int], bool]) -> Path:
            report(0, 1)
            doc = self.services.plans.document(plan_id)
            if path.suffix.lower() in (".yaml", ".yml"):
                write_plan_yaml(doc, path)
            else:
                write_plan_workbook(doc, path)
            return path

        def done(out: Path) -> None:
            QMessageBox.information(self, "导出方案文件", f"已导出：{out}")
            if on_done is not None:
                on_done()

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, "导出方案文件", f"导出失败：{exc}")
            if on_done is not None:
                on_done()

        self._task = run_with_progress(self, "正在导出方案文件…", job, done, failed)


def action_confirmed(action: Callable[..., Any]) -> Any:
    """Repeat a removal with confirm=True (the user agreed in the question box)."""
    return action(confirm=True)
