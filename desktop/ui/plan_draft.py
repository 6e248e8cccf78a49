"""The draft editor of 从文本识别 and the first-run wizard: a PlanDocument fixed before it is saved.

The parser proposes; the user decides. The draft is shown as a tree
(sections → tasks → units with roles) with its indicators beside it; every
item can be fixed, added, moved or deleted. The problems that would stop
the save (a draft with no name, a task without a title, a bad target) are
listed once the user asks to save, or for a part (plan info, the tree, the
indicators) once they have edited it: a fresh draft does not open in red
for fields the user has not reached. The lines the parser could not place
are listed below the tree (desktop/ui/unplaced_lines.py).
Rows are keyed by their place in the draft: ("task", section, task),
("task_unit", section, task, unit) and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ValidationError
from desktop.plan.codes import default_id, fill_codes
from desktop.plan.document import (
    IndicatorDoc,
    PlanDocument,
    PlanInfo,
    SectionDoc,
    TaskDoc,
    UnitLink,
    UnitName,
)
from desktop.plan.locator import DictPath, yaml_locator
from desktop.plan.validation import validate_plan
from desktop.plan.vocabulary import KIND_LABELS, MEASURE_LABELS, ROLE_LABELS
from desktop.ui.indicator_dialog import IndicatorDialog
from desktop.ui.new_plan import MAX_PROBLEMS_SHOWN, problems_text
from desktop.ui.plan_dialogs import PlanInfoDialog, SectionDialog, TaskDialog, UnitLinkDialog
from desktop.ui.plan_form import FormDialog
from desktop.ui.plan_format import target_text, task_label
from desktop.ui.plan_tree import (
    ITEM_ROLE,
    LEAD_COLOUR,
    section_row,
    select_key,
    selected_key,
    units_group_row,
)
from desktop.ui.unplaced_lines import UnplacedLines

Key = tuple[Any, ...]
# the part of the draft a problem's place belongs to, by the place's first key
_PARTS = {"sections": "tree", "units": "tree", "indicators": "indicators"}


def with_codes(doc: PlanDocument) -> PlanDocument:
    """A copy of `doc` with every blank code filled (plan.codes works on the dict form)."""
    data = doc.to_dict()
    fill_codes(data)
    return PlanDocument.from_dict(data)


def located_problems(doc: PlanDocument) -> list[tuple[str, str]]:
    """(part, problem) for each problem of `doc`: "plan", "tree" or "indicators".

    The checks name each place once, through the locator, in the order they
    report it, so the paths recorded here pair with the problems one to one.
    """
    data = doc.to_dict()
    words = yaml_locator(data)
    parts: list[str] = []

    def locate(path: DictPath) -> str:
        parts.append(_PARTS.get(str(path[0]), "plan") if path else "plan")
        return words(path)

    problems = validate_plan(data, locate)
    return [(part, str(problem)) for part, problem in zip(parts, problems, strict=True)]


def _need(value: str | None, what: str, field: str = "title") -> str:
    if not value:
        raise ValidationError(f"{what}不能为空。", field)
    return value


def _buttons(entries: list[tuple[str, Callable[[], Any]]]) -> QHBoxLayout:
    row = QHBoxLayout()
    for text, slot in entries:
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
    row.addStretch(1)
    return row


class DraftEditor(QWidget):
    """An editable plan draft before it is saved."""

    changed = Signal()

    def __init__(self, unit_names: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = PlanDocument()
        self._known_units = unit_names or []
        self._touched: set[str] = set()  # parts the user edited; "all" once they ask to save
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        head.addWidget(self.summary, 1)
        info = QPushButton("方案信息…")
        info.clicked.connect(self.edit_plan_info)
        head.addWidget(info)
        layout.addLayout(head)

        self.tabs = QTabWidget()
        tree_page = QWidget()
        tree_layout = QVBoxLayout(tree_page)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["名称", "编号", "类别/角色"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 60)
        self.tree.setColumnWidth(2, 80)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_item())
        tree_layout.addWidget(self.tree)
        tree_layout.addLayout(
            _buttons(
                [
                    ("新增行动/工程", self.add_section),
                    ("新增任务", self.add_task),
                    ("添加单位", self.add_unit),
                    ("编辑", self.edit_item),
                    ("上移", lambda: self.move_item(-1)),
                    ("下移", lambda: self.move_item(1)),
                    ("删除", self.remove_item),
                ]
            )
        )
        self.tabs.addTab(tree_page, "行动 · 任务 · 责任单位")

        ind_page = QWidget()
        ind_layout = QVBoxLayout(ind_page)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["编号", "指标名称", "计量方式", "目标", "所属任务"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda *_: self.edit_indicator())
        ind_layout.addWidget(self.table)
        ind_layout.addLayout(
            _buttons(
                [
                    ("新增指标", self.add_indicator),
                    ("编辑", self.edit_indicator),
                    ("删除", self.remove_indicator),
                ]
            )
        )
        self.tabs.addTab(ind_page, "指标")
        self.unplaced = UnplacedLines()
        body = QSplitter(Qt.Orientation.Vertical)
        body.setChildrenCollapsible(False)
        body.addWidget(self.tabs)
        body.addWidget(self.unplaced)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        layout.addWidget(body, 1)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #c62828;")
        layout.addWidget(self.problems)
        self._render()

    # ------------------------------------------------------------ data

    def set_draft(self, draft: PlanDocument, unplaced: list[str] | None = None) -> None:
        """A fresh draft, its problems not shown yet; `unplaced` lines listed below the tree."""
        self._draft = draft.copy()
        self._touched.clear()
        self.unplaced.set_lines(unplaced)
        self._render()

    def reveal_problems(self) -> None:
        """The user asks to save: every problem is shown from now on."""
        self._touched.add("all")
        self._show_problems()

    def draft(self) -> PlanDocument:
        """The edited draft; the unit list keeps only units still named somewhere."""
        doc = with_codes(self._draft)
        named = doc.linked_unit_names()
        doc.units = [u for u in doc.units if u.name in named]
        return doc

    def problems_shown(self) -> list[str]:
        """The problems of the parts the user has reached (all once they asked to save)."""
        reached = self._touched
        return [
            text
            for part, text in located_problems(self.draft())
            if "all" in reached or part in reached
        ]

    def _show_problems(self) -> None:
        problems = self.problems_shown()
        if problems:
            left = len(problems) - MAX_PROBLEMS_SHOWN
            more = f"\n……另有 {left} 处" if left > 0 else ""
            self.problems.setText(
                f"保存前须修正 {len(problems)} 处：\n{problems_text(problems)}{more}"
            )
        else:
            self.problems.setText("")

    def _render(self, select: Key | None = None, part: str | None = None) -> None:
        """Show the draft; `part` ("plan", "tree", "indicators") is the one just edited."""
        if part is not None:
            self._touched.add(part)
        self._draft = d = with_codes(self._draft)
        info = d.info
        tasks = d.tasks()
        links = sum(len(t.units) for t in tasks)
        years = f"{info.first_year or '?'}—{info.last_year or '?'}"
        self.summary.setText(
            f"<b>{info.name or '（方案名称未识别，请在“方案信息”中填写）'}</b><br>"
            f"地区：{info.region or '—'}　年份：{years}　文号：{info.doc_number or '—'}<br>"
            f"{len(d.sections)} 个行动/工程，{len(tasks)} 项任务，{links} 个任务责任单位，"
            f"{len(d.indicators)} 个指标"
        )
        self._render_tree()
        self._render_indicators()
        if select is not None:
            select_key(self.tree, select)
        self._show_problems()
        self.changed.emit()

    def _render_tree(self) -> None:
        self.tree.clear()
        for i, sec in enumerate(self._draft.sections):
            kind = KIND_LABELS.get(sec.kind, "")
            s_item = section_row(self.tree, [sec.title, sec.code or "", kind], ("section", i))
            if sec.units:
                g_item = units_group_row(s_item, len(sec.units), ("section_group", i))
                for k, link in enumerate(sec.units):
                    self._unit_item(g_item, link, ("section_unit", i, k))
            for j, task in enumerate(sec.tasks):
                t_item = QTreeWidgetItem(
                    [task_label(task.number, task.title), task.code or "", "任务"]
                )
                t_item.setData(0, ITEM_ROLE, ("task", i, j))
                t_item.setToolTip(0, task.text[:400])
                s_item.addChild(t_item)
                for k, link in enumerate(task.units):
                    item = self._unit_item(t_item, link, ("task_unit", i, j, k))
                    if link.role == "lead":
                        item.setForeground(2, QBrush(LEAD_COLOUR))
            s_item.setExpanded(True)

    @staticmethod
    def _unit_item(parent: QTreeWidgetItem, link: UnitLink, key: Key) -> QTreeWidgetItem:
        item = QTreeWidgetItem([link.name, "", ROLE_LABELS.get(link.role, "")])
        item.setData(0, ITEM_ROLE, key)
        parent.addChild(item)
        return item

    def _render_indicators(self) -> None:
        self.table.setRowCount(len(self._draft.indicators))
        for row, ind in enumerate(self._draft.indicators):
            cells = [
                ind.code or "",
                ind.name,
                MEASURE_LABELS.get(ind.measure, ind.measure),
                target_text(ind),
                ind.task or "全方案",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setToolTip(ind.quote)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def selected(self) -> Key | None:
        return selected_key(self.tree)

    def _unit_names(self) -> list[str]:
        names = [u.name for u in self._draft.units]
        return list(dict.fromkeys(names + self._known_units))

    def _note_unit(self, name: str) -> None:
        if all(u.name != name for u in self._draft.units):
            self._draft.units.append(UnitName(name=name))

    # ------------------------------------------------------------ tree

    def edit_plan_info(self) -> None:
        def save(info: PlanInfo) -> None:
            _need(info.name, "方案名称", "name")
            _need(info.region, "地区", "region")
            if info.last_year < info.first_year:
                raise ValidationError("结束年份早于起始年份。", "last_year")
            self._draft.info = info
            if not self._draft.id:
                self._draft.id = default_id(info.to_dict())

        if PlanInfoDialog(save, self._draft.info, self).exec():
            self._render(part="plan")

    def add_section(self) -> None:
        created: list[int] = []

        def save(sec: SectionDoc) -> None:
            _need(sec.title, "行动/工程名称")
            self._draft.sections.append(sec)
            created.append(len(self._draft.sections) - 1)

        if SectionDialog(save, parent=self).exec():
            self._render(("section", created[0]), "tree")

    def add_task(self) -> None:
        sel = self.selected()
        if sel is None:
            QMessageBox.information(self, "新增任务", "请先选中任务所属的行动/工程。")
            return
        i = sel[1]
        created: list[int] = []

        def save(task: TaskDoc) -> None:
            _need(task.title, "任务标题")
            tasks = self._draft.sections[i].tasks
            tasks.append(task)
            created.append(len(tasks) - 1)

        if TaskDialog(save, parent=self).exec():
            self._render(("task", i, created[0]), "tree")

    def add_unit(self) -> None:
        sel = self.selected()
        if sel is None:
            QMessageBox.information(self, "添加单位", "请先选中一项任务（或行动/工程）。")
            return
        sec = self._draft.sections[sel[1]]
        on_task = sel[0] in ("task", "task_unit")
        links = sec.tasks[sel[2]].units if on_task else sec.units
        created: list[Key] = []

        def save(link: UnitLink) -> None:
            name = _need(link.name, "单位名称", "unit")
            if any(other.name == name for other in links):
                raise ValidationError(f"“{name}”已在列表中。", "unit")
            links.append(link)
            self._note_unit(name)
            k = len(links) - 1
            created.append(
                ("task_unit", sel[1], sel[2], k) if on_task else ("section_unit", sel[1], k)
            )

        if UnitLinkDialog(save, self._unit_names(), parent=self).exec():
            self._render(created[0], "tree")

    def _owner_links(self, sel: Key) -> list[UnitLink]:
        sec = self._draft.sections[sel[1]]
        return sec.tasks[sel[2]].units if sel[0] == "task_unit" else sec.units

    def edit_item(self) -> None:
        sel = self.selected()
        if sel is None or sel[0] == "section_group":
            return
        kind = sel[0]
        sec = self._draft.sections[sel[1]]
        if kind == "section":

            def save_section(edited: SectionDoc) -> None:
                _need(edited.title, "行动/工程名称")
                self._draft.sections[sel[1]] = edited

            dialog: FormDialog[Any] = SectionDialog(save_section, sec, self)
        elif kind == "task":

            def save_task(edited: TaskDoc) -> None:
                _need(edited.title, "任务标题")
                sec.tasks[sel[2]] = edited

            dialog = TaskDialog(save_task, sec.tasks[sel[2]], self)
        else:
            links, k = self._owner_links(sel), sel[-1]

            def save_link(edited: UnitLink) -> None:
                name = _need(edited.name, "单位名称", "unit")
                if any(n != k and other.name == name for n, other in enumerate(links)):
                    raise ValidationError(f"“{name}”已在列表中。", "unit")
                links[k] = edited
                self._note_unit(name)

            dialog = UnitLinkDialog(save_link, self._unit_names(), links[k], self, renamable=True)
        if dialog.exec():
            self._render(sel, "tree")

    def move_item(self, step: int) -> None:
        sel = self.selected()
        if sel is None or sel[0] == "section_group":
            return
        kind = sel[0]
        items: list[Any]
        if kind == "section":
            items, index = self._draft.sections, sel[1]
        elif kind == "task":
            items, index = self._draft.sections[sel[1]].tasks, sel[2]
        else:
            items, index = self._owner_links(sel), sel[-1]
        target = index + step
        if not 0 <= target < len(items):
            return
        items.insert(target, items.pop(index))
        self._render((*sel[:-1], target), "tree")

    def remove_item(self) -> None:
        sel = self.selected()
        if sel is None or sel[0] == "section_group":
            return
        kind = sel[0]
        if kind == "section":
            for task in self._draft.sections.pop(sel[1]).tasks:
                self._forget_task(task.code)
        elif kind == "task":
            self._forget_task(self._draft.sections[sel[1]].tasks.pop(sel[2]).code)
        else:
            self._owner_links(sel).pop(sel[-1])
        self._render(part="tree")

    def _forget_task(self, code: str | None) -> None:
        """Indicators of a deleted task become plan-wide; rules stop naming it."""
        for ind in self._draft.indicators:
            if ind.task == code:
                ind.task = None
            if ind.rule is not None and code in ind.rule.tasks:
                ind.rule.tasks = [t for t in ind.rule.tasks if t != code]

    # ------------------------------------------------------------ indicators

    def _tasks(self) -> list[tuple[str, str]]:
        return [(t.code or "", t.title) for t in self._draft.tasks()]

    def _years(self) -> tuple[int, int]:
        info = self._draft.info
        first = info.first_year or 2021
        return first, max(info.last_year or first + 4, first)

    def _indicator_saver(self, index: int | None) -> Callable[[IndicatorDoc], None]:
        """Save into the draft at `index` (None: as a new one) what the draft's checks let pass."""

        def save(ind: IndicatorDoc) -> None:
            others = [o for n, o in enumerate(self._draft.indicators) if n != index]
            if ind.code and any(o.code == ind.code for o in others):
                raise ValidationError(f"指标编号“{ind.code}”已被使用。", "code")
            trial = self._draft.to_dict() | {"indicators": [ind.to_dict()]}
            problems = [p for p in validate_plan(trial) if p.where.startswith("第 1 个指标")]
            if problems:
                raise ValidationError(problems[0].message)
            if index is None:
                self._draft.indicators.append(ind)
            else:
                self._draft.indicators[index] = ind

        return save

    def add_indicator(self) -> None:
        first, last = self._years()
        if IndicatorDialog(
            self._indicator_saver(None), self._tasks(), first, last, parent=self
        ).exec():
            self._render(part="indicators")

    def edit_indicator(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        first, last = self._years()
        ind = self._draft.indicators[row]
        if IndicatorDialog(
            self._indicator_saver(row), self._tasks(), first, last, ind, self
        ).exec():
            self._render(part="indicators")
            self.table.selectRow(row)

    def remove_indicator(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self._draft.indicators.pop(row)
            self._render(part="indicators")
