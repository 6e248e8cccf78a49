"""从文本识别: paste or open a plan document, review the recognised draft, save it.

The parser proposes; the user decides. The draft is shown as a tree
(sections → tasks → units with roles) with its indicators beside it, every
item can be fixed, added, moved or deleted, and problems that would stop the
save (a task without a title, a bad target) are listed as they arise.
`DraftEditor` and `PlanTextWidget` are reused by the first-run wizard.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
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

from desktop.errors import ServiceError, ValidationError
from desktop.plan.document import IndicatorDoc, PlanDocument
from desktop.plan.validation import fill_codes, validate_plan
from desktop.plan.vocabulary import KIND_LABELS, MEASURE_LABELS, ROLE_LABELS
from desktop.services import Services
from desktop.ui.guarded_dialog import GuardedDialog
from desktop.ui.plan_dialogs import (
    IndicatorDialog,
    PlanInfoDialog,
    SectionDialog,
    TaskDialog,
    UnitLinkDialog,
)
from desktop.ui.plan_page import target_text
from desktop.ui.widgets import fit_to_screen

ITEM_ROLE = Qt.ItemDataRole.UserRole
SECTION_FILL = QColor("#e3f2fd")
MAX_PROBLEMS_SHOWN = 8


def empty_draft() -> dict[str, Any]:
    return {
        "id": "",
        "plan": {
            "region": "",
            "level": "county",
            "name": "",
            "first_year": None,
            "last_year": None,
            "doc_number": None,
            "issue_date": None,
            "literacy_baseline": None,
            "literacy_baseline_year": None,
            "literacy_target": None,
        },
        "units": [],
        "sections": [],
        "indicators": [],
    }


def _need(value: str, what: str, field: str = "title") -> str:
    if not value:
        raise ValidationError(f"{what}不能为空。", field)
    return value


class DraftEditor(QWidget):
    """An editable plan draft (a SCHEMA.md dict) before it is saved."""

    changed = Signal()

    def __init__(self, unit_names: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = empty_draft()
        self._known_units = unit_names or []
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
        row = QHBoxLayout()
        for text, slot in [
            ("新增行动/工程", self.add_section),
            ("新增任务", self.add_task),
            ("添加单位", self.add_unit),
            ("编辑", self.edit_item),
            ("上移", lambda: self.move_item(-1)),
            ("下移", lambda: self.move_item(1)),
            ("删除", self.remove_item),
        ]:
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        tree_layout.addLayout(row)
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
        row = QHBoxLayout()
        for text, slot in [
            ("新增指标", self.add_indicator),
            ("编辑", self.edit_indicator),
            ("删除", self.remove_indicator),
        ]:
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        ind_layout.addLayout(row)
        self.tabs.addTab(ind_page, "指标")
        layout.addWidget(self.tabs, 1)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #c62828;")
        layout.addWidget(self.problems)
        self._render()

    # ------------------------------------------------------------ data

    def set_draft(self, draft: PlanDocument) -> None:
        self._draft = draft.to_dict()
        self._render()

    def draft(self) -> PlanDocument:
        """The edited draft; the unit list keeps only units still named somewhere."""
        data = copy.deepcopy(self._draft)
        fill_codes(data)
        named = {
            link["name"]
            for sec in data["sections"]
            for owner in [sec, *sec.get("tasks", [])]
            for link in owner.get("units", [])
        }
        data["units"] = [u for u in data.get("units") or [] if u.get("name") in named]
        return PlanDocument.from_dict(data)

    def problems_found(self) -> list[str]:
        return [str(p) for p in validate_plan(self.draft().to_dict())]

    def _render(self, select: tuple[Any, ...] | None = None) -> None:
        fill_codes(self._draft)
        d = self._draft
        meta = d["plan"]
        tasks = sum(len(s.get("tasks", [])) for s in d["sections"])
        links = sum(len(t.get("units", [])) for s in d["sections"] for t in s.get("tasks", []))
        years = f"{meta.get('first_year') or '?'}—{meta.get('last_year') or '?'}"
        self.summary.setText(
            f"<b>{meta.get('name') or '（方案名称未识别，请在“方案信息”中填写）'}</b><br>"
            f"地区：{meta.get('region') or '—'}　年份：{years}　文号：{meta.get('doc_number') or '—'}<br>"
            f"{len(d['sections'])} 个行动/工程，{tasks} 项任务，{links} 个任务责任单位，"
            f"{len(d['indicators'])} 个指标"
        )
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for i, sec in enumerate(d["sections"]):
            s_item = QTreeWidgetItem(
                [
                    sec.get("title") or "",
                    sec.get("code") or "",
                    KIND_LABELS.get(sec.get("kind"), ""),
                ]
            )
            s_item.setData(0, ITEM_ROLE, ("section", i))
            for col in range(3):
                s_item.setBackground(col, QBrush(SECTION_FILL))
                s_item.setFont(col, bold)
            self.tree.addTopLevelItem(s_item)
            if sec.get("units"):
                g_item = QTreeWidgetItem([f"行动/工程责任单位（{len(sec['units'])} 个）", "", ""])
                g_item.setData(0, ITEM_ROLE, ("section_group", i))
                g_item.setForeground(0, QBrush(QColor("#607d8b")))
                s_item.addChild(g_item)
                for k, link in enumerate(sec["units"]):
                    u_item = QTreeWidgetItem(
                        [link["name"], "", ROLE_LABELS.get(link.get("role"), "")]
                    )
                    u_item.setData(0, ITEM_ROLE, ("section_unit", i, k))
                    g_item.addChild(u_item)
            for j, task in enumerate(sec.get("tasks", [])):
                number = task.get("number") or ""
                label = f"{number}．{task.get('title')}" if number else f"—— {task.get('title')}"
                t_item = QTreeWidgetItem([label, task.get("code") or "", "任务"])
                t_item.setData(0, ITEM_ROLE, ("task", i, j))
                t_item.setToolTip(0, (task.get("text") or "")[:400])
                s_item.addChild(t_item)
                for k, link in enumerate(task.get("units", [])):
                    u_item = QTreeWidgetItem(
                        [link["name"], "", ROLE_LABELS.get(link.get("role"), "")]
                    )
                    u_item.setData(0, ITEM_ROLE, ("task_unit", i, j, k))
                    if link.get("role") == "lead":
                        u_item.setForeground(2, QBrush(QColor("#1565c0")))
                    t_item.addChild(u_item)
            s_item.setExpanded(True)
        self.table.setRowCount(len(d["indicators"]))
        for row, ind in enumerate(d["indicators"]):
            cells = [
                ind.get("code") or "",
                ind.get("name") or "",
                MEASURE_LABELS.get(ind.get("measure"), ind.get("measure") or ""),
                target_text(ind),
                ind.get("task") or "全方案",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                if col == 1:
                    item.setToolTip(ind.get("quote") or "")
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if select is not None:
            self._select(select)
        problems = self.problems_found()
        if problems:
            shown = "\n".join(problems[:MAX_PROBLEMS_SHOWN])
            more = (
                f"\n……另有 {len(problems) - MAX_PROBLEMS_SHOWN} 处"
                if len(problems) > MAX_PROBLEMS_SHOWN
                else ""
            )
            self.problems.setText(f"保存前须修正 {len(problems)} 处：\n{shown}{more}")
        else:
            self.problems.setText("")
        self.changed.emit()

    def _select(self, key: tuple[Any, ...]) -> None:
        def walk(item: QTreeWidgetItem) -> bool:
            if item.data(0, ITEM_ROLE) == key:
                self.tree.setCurrentItem(item)
                return True
            return any(walk(item.child(n)) for n in range(item.childCount()))

        for n in range(self.tree.topLevelItemCount()):
            if walk(self.tree.topLevelItem(n)):
                return

    def selected(self) -> tuple[Any, ...] | None:
        item = self.tree.currentItem()
        return item.data(0, ITEM_ROLE) if item is not None else None

    def _unit_names(self) -> list[str]:
        names = [u["name"] for u in self._draft.get("units") or []]
        return list(dict.fromkeys(names + self._known_units))

    def _note_unit(self, name: str) -> None:
        units = self._draft.setdefault("units", [])
        if all(u["name"] != name for u in units):
            units.append({"name": name, "aliases": []})

    # ------------------------------------------------------------ tree

    def edit_plan_info(self) -> None:
        def save(values: dict[str, Any]) -> None:
            _need(values["name"], "方案名称", "name")
            _need(values["region"], "地区", "region")
            if values["last_year"] < values["first_year"]:
                raise ValidationError("结束年份早于起始年份。", "last_year")
            self._draft["plan"].update(values)
            if not self._draft.get("id"):
                self._draft["id"] = f"plan-{values['first_year']}-{values['last_year']}"

        if PlanInfoDialog(save, self._draft["plan"], self).exec():
            self._render()

    def add_section(self) -> None:
        created: list[int] = []

        def save(v: dict[str, Any]) -> None:
            _need(v["title"], "行动/工程名称")
            self._draft["sections"].append({"code": None, **v, "units": [], "tasks": []})
            created.append(len(self._draft["sections"]) - 1)

        if SectionDialog(save, parent=self).exec():
            self._render(("section", created[0]))

    def add_task(self) -> None:
        sel = self.selected()
        if sel is None:
            QMessageBox.information(self, "新增任务", "请先选中任务所属的行动/工程。")
            return
        i = sel[1]
        created: list[int] = []

        def save(v: dict[str, Any]) -> None:
            _need(v["title"], "任务标题")
            tasks = self._draft["sections"][i].setdefault("tasks", [])
            tasks.append({"code": None, **v, "units": []})
            created.append(len(tasks) - 1)

        if TaskDialog(save, parent=self).exec():
            self._render(("task", i, created[0]))

    def add_unit(self) -> None:
        sel = self.selected()
        if sel is None:
            QMessageBox.information(self, "添加单位", "请先选中一项任务（或行动/工程）。")
            return
        sec = self._draft["sections"][sel[1]]
        on_task = sel[0] in ("task", "task_unit")
        owner = sec["tasks"][sel[2]] if on_task else sec
        created: list[tuple[Any, ...]] = []

        def save(v: dict[str, Any]) -> None:
            name = _need(v["name"], "单位名称", "unit")
            if any(link["name"] == name for link in owner["units"]):
                raise ValidationError(f"“{name}”已在列表中。", "unit")
            owner["units"].append({"name": name, "role": v["role"]})
            self._note_unit(name)
            k = len(owner["units"]) - 1
            created.append(
                ("task_unit", sel[1], sel[2], k) if on_task else ("section_unit", sel[1], k)
            )

        if UnitLinkDialog(save, self._unit_names(), parent=self).exec():
            self._render(created[0])

    def _owner_links(self, sel: tuple[Any, ...]) -> list[dict[str, Any]]:
        sec = self._draft["sections"][sel[1]]
        return sec["tasks"][sel[2]]["units"] if sel[0] == "task_unit" else sec["units"]

    def edit_item(self) -> None:
        sel = self.selected()
        if sel is None or sel[0] == "section_group":
            return
        kind = sel[0]
        sec = self._draft["sections"][sel[1]]
        if kind == "section":

            def save(v: dict[str, Any]) -> None:
                _need(v["title"], "行动/工程名称")
                sec.update(v)

            dialog = SectionDialog(save, sec, self)
        elif kind == "task":
            task = sec["tasks"][sel[2]]

            def save(v: dict[str, Any]) -> None:
                _need(v["title"], "任务标题")
                task.update(v)

            dialog = TaskDialog(save, task, self)
        else:
            link = self._owner_links(sel)[sel[-1]]
            links = self._owner_links(sel)

            def save(v: dict[str, Any]) -> None:
                name = _need(v["name"], "单位名称", "unit")
                if any(other is not link and other["name"] == name for other in links):
                    raise ValidationError(f"“{name}”已在列表中。", "unit")
                link.update(v)
                self._note_unit(name)

            dialog = UnitLinkDialog(save, self._unit_names(), link, self)
            dialog.name.setEnabled(True)
        if dialog.exec():
            self._render(sel)

    def move_item(self, step: int) -> None:
        sel = self.selected()
        if sel is None or sel[0] == "section_group":
            return
        kind = sel[0]
        if kind == "section":
            items, index = self._draft["sections"], sel[1]
        elif kind == "task":
            items, index = self._draft["sections"][sel[1]]["tasks"], sel[2]
        else:
            items, index = self._owner_links(sel), sel[-1]
        target = index + step
        if not 0 <= target < len(items):
            return
        items.insert(target, items.pop(index))
        self._render((*sel[:-1], target))

    def remove_item(self) -> None:
        sel = self.selected()
        if sel is None or sel[0] == "section_group":
            return
        kind = sel[0]
        if kind == "section":
            sec = self._draft["sections"].pop(sel[1])
            for task in sec.get("tasks", []):
                self._forget_task(task.get("code"))
        elif kind == "task":
            task = self._draft["sections"][sel[1]]["tasks"].pop(sel[2])
            self._forget_task(task.get("code"))
        else:
            self._owner_links(sel).pop(sel[-1])
        self._render()

    def _forget_task(self, code: str | None) -> None:
        """Indicators of a deleted task become plan-wide; rules stop naming it."""
        for ind in self._draft["indicators"]:
            if ind.get("task") == code:
                ind["task"] = None
            rule = ind.get("rule") or {}
            if code in (rule.get("tasks") or []):
                rule["tasks"] = [t for t in rule["tasks"] if t != code]

    # ------------------------------------------------------------ indicators

    def _tasks(self) -> list[tuple[str, str]]:
        return [
            (t.get("code") or "", t.get("title") or "")
            for s in self._draft["sections"]
            for t in s.get("tasks", [])
        ]

    def _years(self) -> tuple[int, int]:
        meta = self._draft["plan"]
        first = meta.get("first_year") or 2021
        return first, max(meta.get("last_year") or first + 4, first)

    def _indicator_saver(self, index: int | None) -> Callable[[dict[str, Any]], None]:
        def save(v: dict[str, Any]) -> None:
            v = copy.deepcopy(v)
            others = [ind for n, ind in enumerate(self._draft["indicators"]) if n != index]
            if v.get("code") and any(o.get("code") == v["code"] for o in others):
                raise ValidationError(f"指标编号“{v['code']}”已被使用。", "code")
            trial = {
                **self._draft,
                "indicators": [IndicatorDoc.from_dict(v).to_dict()],
            }
            problems = [p for p in validate_plan(trial) if p.where.startswith("第 1 个指标")]
            if problems:
                raise ValidationError(problems[0].message)
            if index is None:
                self._draft["indicators"].append(v)
            else:
                self._draft["indicators"][index] = v

        return save

    def add_indicator(self) -> None:
        first, last = self._years()
        if IndicatorDialog(
            self._indicator_saver(None), self._tasks(), first, last, parent=self
        ).exec():
            self._render()

    def edit_indicator(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        first, last = self._years()
        ind = self._draft["indicators"][row]
        if IndicatorDialog(
            self._indicator_saver(row), self._tasks(), first, last, ind, self
        ).exec():
            self._render()
            self.table.selectRow(row)

    def remove_indicator(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self._draft["indicators"].pop(row)
            self._render()


class PlanTextWidget(QWidget):
    """Text in (pasted or opened), draft out: the parser and the draft editor side by side."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel("把实施方案全文粘贴到下面，或打开 .txt / .docx 文件，然后点“识别”。")
        hint.setWordWrap(True)
        left_layout.addWidget(hint)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("在此粘贴方案原文……")
        left_layout.addWidget(self.text, 1)
        row = QHBoxLayout()
        open_button = QPushButton("打开文件…")
        open_button.clicked.connect(lambda: self.open_file())
        row.addWidget(open_button)
        row.addStretch(1)
        self.parse_button = QPushButton("识别 →")
        self.parse_button.setDefault(False)
        self.parse_button.clicked.connect(self.parse)
        row.addWidget(self.parse_button)
        left_layout.addLayout(row)
        splitter.addWidget(left)
        self.editor = DraftEditor(services.plan_editor.unit_names())
        splitter.addWidget(self.editor)
        splitter.setSizes([380, 620])
        layout.addWidget(splitter)
        self.parsed = False

    def open_file(self, path: Path | None = None) -> None:
        from desktop.importing.plan_text import read_plan_document

        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "打开方案原文", "", "方案原文 (*.txt *.docx);;所有文件 (*)"
            )
            if not name:
                return
            path = Path(name)
        try:
            text = read_plan_document(path)
        except (OSError, ValueError, ServiceError) as exc:
            QMessageBox.warning(self, "打开方案原文", f"无法读取“{path.name}”：{exc}")
            return
        self.text.setPlainText(text)
        self.parse()

    def parse(self) -> None:
        from desktop.importing.plan_text import parse_plan_text

        text = self.text.toPlainText()
        if not text.strip():
            QMessageBox.information(self, "识别", "请先粘贴或打开方案原文。")
            return
        self.editor.set_draft(parse_plan_text(text))
        self.parsed = True


class PlanParseDialog(GuardedDialog):
    """Save the reviewed draft as a new plan, optionally the active one."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.saved_plan_id: int | None = None
        self.setWindowTitle("从文本识别实施方案")
        fit_to_screen(self, 1180, 760)
        layout = QVBoxLayout(self)
        self.widget = PlanTextWidget(services)
        layout.addWidget(self.widget, 1)
        row = QHBoxLayout()
        self.activate = QCheckBox("保存后设为当前方案")
        self.activate.setChecked(True)
        row.addWidget(self.activate)
        row.addStretch(1)
        self.save_button = QPushButton("保存为新方案")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        layout.addLayout(row)

    def snapshot(self) -> tuple[str, str]:
        """The pasted text and the reviewed draft: either is work to lose."""
        return self.widget.text.toPlainText(), repr(self.widget.editor.draft())

    def save_changes(self) -> bool:
        self.save()
        return self.saved_plan_id is not None

    def save(self) -> None:
        plan_id = save_draft(self, self.services, self.widget, self.activate.isChecked())
        if plan_id is not None:
            self.saved_plan_id = plan_id
            self.accept()


def save_draft(
    parent: QWidget, services: Services, widget: PlanTextWidget, activate: bool
) -> int | None:
    """Check the draft and save it as a new plan; explain and return None if it cannot be."""
    if not widget.parsed and not widget.editor.draft().sections:
        QMessageBox.information(parent, "保存方案", "还没有识别出方案：请先粘贴原文并点“识别”。")
        return None
    doc = widget.editor.draft()
    problems = widget.editor.problems_found()
    if problems:
        shown = "\n".join(problems[:MAX_PROBLEMS_SHOWN])
        QMessageBox.warning(
            parent, "保存方案", f"方案草稿还有 {len(problems)} 处问题，请先修正：\n{shown}"
        )
        return None
    codes = {p.code for p in services.plans.plans()}
    base, n = doc.id, 2
    while doc.id in codes:
        doc.id = f"{base}-{n}"
        n += 1
    try:
        return services.plans.create(doc, activate=activate)
    except ServiceError as exc:
        QMessageBox.warning(parent, "保存方案", str(exc))
        return None
