"""行动/工程 · 任务 · 责任单位: the plan's tree on the 实施方案 page, with the buttons that edit it.

Every change goes through the plan-editing service; a removal that recorded
data depends on is explained and must be confirmed (desktop/ui/confirm.py).
Rows are keyed (kind, database id), so the selection survives a reload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
)

from desktop.models import Plan, SectionUnit, TaskUnit
from desktop.plan.document import SectionDoc, TaskDoc, UnitLink
from desktop.plan.vocabulary import KIND_LABELS, ROLE_LABELS
from desktop.services import Services
from desktop.ui.confirm import agreed, call_confirming
from desktop.ui.plan_dialogs import SectionDialog, TaskDialog, UnitLinkDialog
from desktop.ui.plan_format import task_label
from desktop.ui.plan_panel import PlanPanel
from desktop.ui.plan_tree import (
    ITEM_ROLE,
    LEAD_COLOUR,
    MUTED_COLOUR,
    section_row,
    select_key,
    selected_key,
    units_group_row,
)

TREE_HEADERS = ["名称", "编号", "类别/角色", "重点人群/牵头单位"]


class PlanSections(PlanPanel):
    def __init__(self, services: Services) -> None:
        super().__init__("行动/工程 · 任务 · 责任单位")
        self.editor = services.plan_editor
        self.plan: Plan | None = None
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
        self.lay_out(
            self.tree,
            {
                "add_section": ("新增行动/工程", self.add_section),
                "add_task": ("新增任务", self.add_task),
                "add_unit": ("添加责任单位", self.add_unit),
                "edit": ("编辑", self.edit_item),
                "up": ("上移", lambda: self.move_item(-1)),
                "down": ("下移", lambda: self.move_item(1)),
                "remove": ("删除", self.remove_item),
            },
        )

    def show_plan(self, plan: Plan | None) -> None:
        """Draw the plan's tree (None: empty), keeping the selected row if it is still there."""
        selected = self.selected()
        self.tree.clear()
        self.plan = plan
        for sec in plan.sections if plan is not None else []:
            group = sec.target_group.name if sec.target_group else ""
            kind = KIND_LABELS.get(sec.kind, sec.kind)
            s_item = section_row(self.tree, [sec.title, sec.code, kind, group], ("section", sec.id))
            if sec.unit_links:
                g_item = units_group_row(s_item, len(sec.unit_links), ("section_group", sec.id))
                for link in sec.unit_links:
                    self._unit_item(g_item, link, "section_unit")
            for task in sec.tasks:
                leads = "、".join(u.name for u in task.lead_units)
                t_item = QTreeWidgetItem(
                    [task_label(task.number, task.title), task.code, "任务", leads]
                )
                t_item.setToolTip(3, leads)
                t_item.setData(0, ITEM_ROLE, ("task", task.id))
                t_item.setToolTip(0, task.text[:400])
                s_item.addChild(t_item)
                for link in task.unit_links:
                    self._unit_item(t_item, link, "task_unit")
            s_item.setExpanded(True)
        if selected is not None:
            self.select(*selected)
        self._update_buttons()

    @staticmethod
    def _unit_item(parent: QTreeWidgetItem, link: SectionUnit | TaskUnit, kind: str) -> None:
        role = ROLE_LABELS.get(link.role, link.role)
        item = QTreeWidgetItem([link.unit.name, "", role, ""])
        item.setData(0, ITEM_ROLE, (kind, link.id))
        colour = LEAD_COLOUR if link.role == "lead" else MUTED_COLOUR
        item.setForeground(2, QBrush(colour))
        parent.addChild(item)

    def selected(self) -> tuple[str, int] | None:
        return selected_key(self.tree)

    def select(self, kind: str, ident: int) -> bool:
        return select_key(self.tree, (kind, ident))

    def _update_buttons(self) -> None:
        sel = self.selected()
        kind = sel[0] if sel else None
        self.buttons["add_section"].setEnabled(self.plan is not None)
        self.buttons["add_task"].setEnabled(
            kind in ("section", "task", "task_unit", "section_unit")
        )
        self.buttons["add_unit"].setEnabled(kind is not None)
        for key in ("edit", "up", "down", "remove"):
            self.buttons[key].setEnabled(kind not in (None, "section_group"))
        if self.read_only:
            for button in self.buttons.values():
                button.setEnabled(False)

    def _edited(self, select: tuple[str, int] | None = None) -> None:
        self.changed.emit()
        if select is not None:
            self.select(*select)

    def _ancestor(self, kind: str) -> int | None:
        item = self.tree.currentItem()
        while item is not None:
            data = item.data(0, ITEM_ROLE)
            if data and data[0] == kind:
                return data[1]
            item = item.parent()
        return None

    def _find(self, kind: str, ident: int) -> Any:
        for sec in self.plan.sections if self.plan is not None else []:
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

    # ------------------------------------------------------------ actions

    def add_section(self) -> None:
        if self.plan is None:
            return
        plan_id = self.plan.id
        created: list[int] = []

        def save(sec: SectionDoc) -> None:
            created.append(self.editor.add_section(plan_id, sec.kind, sec.title, sec.target_group))

        if SectionDialog(save, parent=self).exec() and created:
            self._edited(("section", created[0]))

    def add_task(self) -> None:
        section_id = self._ancestor("section")
        if section_id is None:
            return
        created: list[int] = []

        def save(task: TaskDoc) -> None:
            created.append(self.editor.add_task(section_id, task.title, task.number, task.text))

        if TaskDialog(save, parent=self).exec() and created:
            self._edited(("task", created[0]))

    def add_unit(self) -> None:
        task_id = self._ancestor("task")
        section_id = self._ancestor("section")
        created: list[tuple[str, int]] = []

        def save(link: UnitLink) -> None:
            if task_id is not None:
                created.append(
                    ("task_unit", self.editor.add_task_unit(task_id, link.name, link.role))
                )
            elif section_id is not None:
                created.append(
                    ("section_unit", self.editor.add_section_unit(section_id, link.name, link.role))
                )

        if UnitLinkDialog(save, self.editor.unit_names(), parent=self).exec() and created:
            self._edited(created[0])

    def edit_item(self) -> None:
        sel = self.selected()
        if sel is None or sel[0] == "section_group" or self.read_only:
            return
        kind, ident = sel
        obj = self._find(kind, ident)
        if obj is None:
            return
        if kind == "section":
            section = SectionDoc(
                code=obj.code,
                kind=obj.kind,
                title=obj.title,
                target_group=obj.target_group.name if obj.target_group else None,
            )
            dialog = SectionDialog(
                lambda s: self.editor.update_section(ident, s.kind, s.title, s.target_group),
                section,
                self,
            )
        elif kind == "task":
            task = TaskDoc(code=obj.code, number=obj.number, title=obj.title, text=obj.text)
            dialog = TaskDialog(
                lambda t: self.editor.update_task(ident, t.title, t.number, t.text), task, self
            )
        else:
            section_level = kind == "section_unit"
            dialog = UnitLinkDialog(
                lambda link: self.editor.set_link_role(ident, link.role, section_level),
                [obj.unit.name],
                UnitLink(name=obj.unit.name, role=obj.role),
                self,
            )
        if dialog.exec():
            self._edited(sel)

    def move_item(self, step: int) -> None:
        sel = self.selected()
        if sel is None or sel[0] == "section_group":
            return
        kind, ident = sel
        moves = {
            "section": lambda: self.editor.move_section(ident, step),
            "task": lambda: self.editor.move_task(ident, step),
            "task_unit": lambda: self.editor.move_link(ident, step),
            "section_unit": lambda: self.editor.move_link(ident, step, section_level=True),
        }
        if call_confirming(self, moves[kind], "实施方案"):
            self._edited(sel)

    def remove_item(self) -> None:
        sel = self.selected()
        if sel is None or sel[0] == "section_group":
            return
        kind, ident = sel
        obj = self._find(kind, ident)
        name = obj.title if kind in ("section", "task") else obj.unit.name
        what = {"section": "行动/工程", "task": "任务"}.get(kind, "责任单位")
        if not agreed(self, "删除", f"删除{what}“{name}”？"):
            return
        removals: dict[str, Callable[..., Any]] = {
            "section": lambda confirm=False: self.editor.remove_section(ident, confirm=confirm),
            "task": lambda confirm=False: self.editor.remove_task(ident, confirm=confirm),
            "task_unit": lambda confirm=False: self.editor.remove_link(ident, confirm=confirm),
            "section_unit": lambda confirm=False: self.editor.remove_link(
                ident, section_level=True, confirm=confirm
            ),
        }
        call_confirming(self, removals[kind], "删除")
        self._edited()
