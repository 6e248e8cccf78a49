"""Edit dialogs for the parts of a plan: section, task, unit link, indicator, plan info.

Each dialog is a form over plain values (the SCHEMA.md shapes) and a `save`
callback. The plan page passes a callback that calls the plan-editing
service; the draft editor passes one that changes the draft dict. When the
callback refuses (ServiceError), the message is shown in the dialog and the
user's input stays, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError, ValidationError
from desktop.plan.vocabulary import (
    ACTIVITY_TYPES,
    COMPARATOR_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    MEASURE_LABELS,
    METRIC_LABELS,
    ROLE_LABELS,
    SOURCE_LABELS,
    TARGET_GROUPS,
    TARGET_MODE_LABELS,
)
from desktop.ui.guarded_dialog import GuardedDialog

Save = Callable[[dict[str, Any]], None]
UOM_CHOICES = ["人次", "人", "个", "%", "次", "场", "辆", "套", "名", "所", "家", "项", "万元"]


def combo(
    labels: dict[str, str], current: str | None = None, blank: str | None = None
) -> QComboBox:
    """A combo box showing labels and holding codes as item data."""
    box = QComboBox()
    if blank is not None:
        box.addItem(blank, None)
    for code, label in labels.items():
        box.addItem(label, code)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    return box


def parse_number(text: str, label: str, field: str) -> float | int | None:
    """A typed number (commas allowed) or None when blank."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationError(f"“{label}”应为数字，现为“{text}”。", field) from None
    return int(value) if value.is_integer() else value


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value)}" if float(value).is_integer() else f"{value:g}"


def _on_edit(widget: QWidget, act: Any) -> None:
    """Run `act` once, the next time the user edits `widget`."""
    for name in ("textChanged", "valueChanged", "currentIndexChanged", "dateChanged", "toggled"):
        signal = getattr(widget, name, None)
        if signal is not None:
            signal.connect(act, Qt.ConnectionType.SingleShotConnection)
            return


class FormDialog(GuardedDialog):
    """A form with an error line; OK calls `save(values())` and stays open on refusal."""

    def __init__(self, title: str, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        self.fields: dict[str, QWidget] = {}
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.body = QHBoxLayout()
        self.body.addLayout(self.form, 1)
        self.layout_.addLayout(self.body)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def add(self, label: str, field: str, widget: QWidget) -> QWidget:
        self.fields[field] = widget
        self.form.addRow(label, widget)
        return widget

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def show_error(self, message: str, field: str | None = None) -> None:
        self.show_problems([(field, message)])

    def show_problems(self, problems: list[tuple[str | None, str]]) -> None:
        """Every problem at once: each field marked, all messages listed, focus on the first.

        A marked field loses its mark as soon as it is edited.
        """
        self.error.setText("\n".join(message for _, message in problems))
        self.error.show()
        marked = [field for field, _ in problems if field in self.fields]
        for name, widget in self.fields.items():
            widget.setStyleSheet("border: 1px solid #c62828;" if name in marked else "")
            if name in marked:
                _on_edit(widget, lambda *_args, w=widget: w.setStyleSheet(""))
        if marked:
            self.fields[marked[0]].setFocus()
        self.adjustSize()

    def snapshot(self) -> Any:
        return repr(self.values())

    def save_changes(self) -> bool:
        self.accept()
        return not self.isVisible()

    def accept(self) -> None:
        try:
            self._save(self.values())
        except ServiceError as exc:
            problems = getattr(exc, "per_field", None) or [(getattr(exc, "field", None), str(exc))]
            self.show_problems(problems)
            return
        super().accept()


class SectionDialog(FormDialog):
    def __init__(self, save: Save, initial: dict[str, Any] | None = None, parent=None) -> None:
        initial = initial or {}
        super().__init__("编辑行动/工程" if initial else "新增行动/工程", save, parent)
        self.kind = self.add("类别", "kind", combo(KIND_LABELS, initial.get("kind") or "action"))
        self.title_edit = self.add("名称", "title", QLineEdit(initial.get("title") or ""))
        self.title_edit.setMinimumWidth(420)
        self.group = self.add(
            "重点人群",
            "target_group",
            combo(
                dict(zip(TARGET_GROUPS, TARGET_GROUPS, strict=True)),
                initial.get("target_group"),
                "（无）",
            ),
        )
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.finish_layout()

    def _kind_changed(self) -> None:
        self.group.setEnabled(self.kind.currentData() == "action")

    def values(self) -> dict[str, Any]:
        kind = self.kind.currentData()
        return {
            "kind": kind,
            "title": self.title_edit.text().strip(),
            "target_group": self.group.currentData() if kind == "action" else None,
        }


class TaskDialog(FormDialog):
    def __init__(self, save: Save, initial: dict[str, Any] | None = None, parent=None) -> None:
        initial = initial or {}
        super().__init__("编辑任务" if initial else "新增任务", save, parent)
        self.number = self.add("序号", "number", QLineEdit(initial.get("number") or ""))
        self.number.setPlaceholderText("如 1、（2）；“——”条目可空")
        self.title_edit = self.add("标题", "title", QLineEdit(initial.get("title") or ""))
        self.title_edit.setMinimumWidth(480)
        self.text = self.add("全文", "text", QPlainTextEdit(initial.get("text") or ""))
        self.text.setMinimumHeight(160)
        self.finish_layout()

    def values(self) -> dict[str, Any]:
        return {
            "number": self.number.text().strip(),
            "title": self.title_edit.text().strip(),
            "text": self.text.toPlainText().strip(),
        }


class UnitLinkDialog(FormDialog):
    """Pick a unit (known names complete as you type; a new name creates the unit) and a role."""

    def __init__(
        self,
        save: Save,
        unit_names: list[str],
        initial: dict[str, Any] | None = None,
        parent=None,
    ) -> None:
        initial = initial or {}
        super().__init__("编辑责任单位" if initial else "添加责任单位", save, parent)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(unit_names)
        self.name.setCurrentText(initial.get("name") or "")
        completer = QCompleter(unit_names, self.name)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.name.setMinimumWidth(300)
        self.add("单位", "unit", self.name)
        if initial.get("name"):
            self.name.setEnabled(False)
        self.role = self.add(
            "角色", "role", combo(ROLE_LABELS, initial.get("role") or "cooperating")
        )
        self.finish_layout()

    def values(self) -> dict[str, Any]:
        return {"name": self.name.currentText().strip(), "role": self.role.currentData()}


class PlanInfoDialog(FormDialog):
    def __init__(self, save: Save, meta: dict[str, Any], parent=None) -> None:
        super().__init__("方案信息", save, parent)
        self.name = self.add("方案名称", "name", QLineEdit(meta.get("name") or ""))
        self.name.setMinimumWidth(460)
        self.region = self.add("地区", "region", QLineEdit(meta.get("region") or ""))
        self.level = self.add("层级", "level", combo(LEVEL_LABELS, meta.get("level") or "county"))
        self.first = self._year(meta.get("first_year"))
        self.last = self._year(meta.get("last_year"))
        self.add("起始年份", "first_year", self.first)
        self.add("结束年份", "last_year", self.last)
        self.doc = self.add("文号", "doc_number", QLineEdit(meta.get("doc_number") or ""))
        self.issued = self.add("印发日期", "issue_date", QLineEdit(meta.get("issue_date") or ""))
        self.issued.setPlaceholderText("YYYY-MM-DD")
        self.baseline = self.add(
            "科学素质基线（%）",
            "literacy_baseline",
            QLineEdit(number_text(meta.get("literacy_baseline"))),
        )
        self.baseline_year = self.add(
            "基线年份",
            "literacy_baseline_year",
            QLineEdit(number_text(meta.get("literacy_baseline_year"))),
        )
        self.target = self.add(
            "科学素质目标（%）",
            "literacy_target",
            QLineEdit(number_text(meta.get("literacy_target"))),
        )
        self.finish_layout()

    @staticmethod
    def _year(value: int | None) -> QSpinBox:
        box = QSpinBox()
        box.setRange(1990, 2100)
        box.setValue(value or 2021)
        return box

    def values(self) -> dict[str, Any]:
        year = parse_number(self.baseline_year.text(), "基线年份", "literacy_baseline_year")
        return {
            "name": self.name.text().strip(),
            "region": self.region.text().strip(),
            "level": self.level.currentData(),
            "first_year": self.first.value(),
            "last_year": self.last.value(),
            "doc_number": self.doc.text().strip() or None,
            "issue_date": self.issued.text().strip() or None,
            "literacy_baseline": parse_number(
                self.baseline.text(), "科学素质基线", "literacy_baseline"
            ),
            "literacy_baseline_year": int(year) if year is not None else None,
            "literacy_target": parse_number(self.target.text(), "科学素质目标", "literacy_target"),
        }


def _checklist(items: list[tuple[str, str]], checked: list[str]) -> QListWidget:
    box = QListWidget()
    for code, label in items:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if code in checked else Qt.CheckState.Unchecked)
        box.addItem(item)
    box.setMaximumHeight(150)
    return box


def _checked(box: QListWidget) -> list[str]:
    return [
        box.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(box.count())
        if box.item(i).checkState() == Qt.CheckState.Checked
    ]


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.replace("，", "、").replace(",", "、").split("、") if x.strip()]


NO_PART = "（不设）"
PART_MEASURES = ("level", "count")


class IndicatorDialog(FormDialog):
    """An indicator: measure, target (whole period, every year, per year, end) and source.

    `parts` lists the plan's other indicators as (code, name, measure); a
    percent (比率) may then be computed from two of its level or count
    indicators, chosen in the 分子 / 分母 boxes shown only for a percent.
    Without `parts` (a draft being reviewed) those boxes stay hidden and the
    indicator keeps whatever numerator and denominator it had.
    """

    def __init__(
        self,
        save: Save,
        tasks: list[tuple[str, str]],
        first_year: int,
        last_year: int,
        initial: dict[str, Any] | None = None,
        parent=None,
        *,
        parts: list[tuple[str, str, str]] | None = None,
    ) -> None:
        ind = initial or {}
        super().__init__("编辑指标" if initial else "新增指标", save, parent)
        self._initial = ind
        self._parts = parts
        self.years = list(range(first_year, last_year + 1))
        self.code = self.add("编号", "code", QLineEdit(ind.get("code") or ""))
        self.code.setPlaceholderText("留空自动编号")
        self.name = self.add("指标名称", "name", QLineEdit(ind.get("name") or ""))
        self.name.setMinimumWidth(360)
        self.uom = QComboBox()
        self.uom.setEditable(True)
        self.uom.addItems(UOM_CHOICES)
        self.uom.setCurrentText(ind.get("unit") or "")
        self.add("计量单位", "unit", self.uom)
        self.measure = self.add(
            "计量方式", "measure", combo(MEASURE_LABELS, ind.get("measure") or "count")
        )
        self.numerator = self.add("分子", "numerator", self._part_box(ind.get("numerator")))
        self.denominator = self.add("分母", "denominator", self._part_box(ind.get("denominator")))
        self.ratio_note = QLabel(
            "设定分子、分母后，本指标按 分子 ÷ 分母 × 100% 计算，无需另行填报。"
        )
        self.ratio_note.setWordWrap(True)
        self.ratio_note.setStyleSheet("color: #666;")
        self.form.addRow("", self.ratio_note)
        self.task = QComboBox()
        self.task.addItem("（全方案）", None)
        for code, title in tasks:
            self.task.addItem(f"{code} {title}", code)
        self.task.setCurrentIndex(max(self.task.findData(ind.get("task")), 0))
        self.add("所属任务", "task", self.task)
        self.mode = self.add(
            "目标类型", "target_mode", combo(TARGET_MODE_LABELS, ind.get("target_mode") or "period")
        )
        self.comparator = self.add(
            "比较", "comparator", combo(COMPARATOR_LABELS, ind.get("comparator") or ">=")
        )
        self.target = self.add("目标值", "target", QLineEdit(number_text(ind.get("target"))))
        self.by_year = QTableWidget(len(self.years), 2)
        self.by_year.setHorizontalHeaderLabels(["年份", "目标值"])
        self.by_year.verticalHeader().hide()
        self.by_year.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        targets = {int(y): v for y, v in (ind.get("targets_by_year") or {}).items()}
        for row, year in enumerate(self.years):
            year_item = QTableWidgetItem(f"{year}年")
            year_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.by_year.setItem(row, 0, year_item)
            self.by_year.setItem(row, 1, QTableWidgetItem(number_text(targets.get(year))))
        self.by_year.setFixedHeight(32 + 30 * len(self.years))
        self.add("各年度目标", "targets_by_year", self.by_year)
        self.baseline = self.add("基线值", "baseline", QLineEdit(number_text(ind.get("baseline"))))
        self.baseline_year = self.add(
            "基线年份", "baseline_year", QLineEdit(number_text(ind.get("baseline_year")))
        )
        self.source = self.add(
            "数据来源", "source", combo(SOURCE_LABELS, ind.get("source") or "manual")
        )
        rule = ind.get("rule") or {}
        self.rule_box = QGroupBox("台账统计口径")
        rule_form = QFormLayout(self.rule_box)
        self.metric_box = combo(METRIC_LABELS, rule.get("metric") or "participants")
        rule_form.addRow("统计", self.metric_box)
        self.types = _checklist(
            [(c, n) for c, n, _ in ACTIVITY_TYPES], rule.get("activity_types") or []
        )
        rule_form.addRow("活动类型", self.types)
        self.groups = _checklist([(g, g) for g in TARGET_GROUPS], rule.get("target_groups") or [])
        rule_form.addRow("重点人群", self.groups)
        self.rule_tasks = QLineEdit("、".join(rule.get("tasks") or []))
        self.rule_tasks.setPlaceholderText("任务编号，用“、”分隔；空 = 不限")
        rule_form.addRow("限定任务", self.rule_tasks)
        self.rule_units = QLineEdit("、".join(rule.get("units") or []))
        self.rule_units.setPlaceholderText("单位名称，用“、”分隔；空 = 不限")
        rule_form.addRow("限定单位", self.rule_units)
        self.fields["rule"] = self.rule_box
        self.rule_box.setMinimumWidth(320)
        self.body.addWidget(self.rule_box, 1, Qt.AlignmentFlag.AlignTop)
        self.quote = QPlainTextEdit(ind.get("quote") or "")
        self.quote.setMaximumHeight(70)
        self.add("原文", "quote", self.quote)
        self.mode.currentIndexChanged.connect(self._update)
        self.source.currentIndexChanged.connect(self._update)
        self.measure.currentIndexChanged.connect(self._update)
        self._update()
        self.finish_layout()

    def _part_box(self, current: str | None) -> QComboBox:
        """The plan's other level/count indicators, “（不设）” first."""
        box = QComboBox()
        box.addItem(NO_PART, None)
        own = self._initial.get("code")
        for code, name, measure in self._parts or []:
            if measure in PART_MEASURES and code != own:
                box.addItem(f"{code} {name}", code)
        if current and box.findData(current) < 0:
            box.addItem(current, current)  # keep what the indicator had, even if odd
        box.setCurrentIndex(max(box.findData(current), 0))
        box.setMinimumWidth(260)
        return box

    def _update(self) -> None:
        per_year = self.mode.currentData() == "per_year"
        self.form.setRowVisible(self.target, not per_year)
        self.form.setRowVisible(self.by_year, per_year)
        ratio = self._parts is not None and self.measure.currentData() == "percent"
        for box in (self.numerator, self.denominator):
            self.form.setRowVisible(box, ratio)
            box.setEnabled(ratio)
        self.form.setRowVisible(self.ratio_note, ratio)
        self.rule_box.setVisible(self.source.currentData() == "derived")
        self.adjustSize()

    def values(self) -> dict[str, Any]:
        per_year = self.mode.currentData() == "per_year"
        targets: dict[int, float | int] = {}
        if per_year:
            for row, year in enumerate(self.years):
                item = self.by_year.item(row, 1)
                value = parse_number(
                    item.text() if item else "", f"{year}年目标", "targets_by_year"
                )
                if value is not None:
                    targets[year] = value
        derived = self.source.currentData() == "derived"
        year = parse_number(self.baseline_year.text(), "基线年份", "baseline_year")
        percent = self.measure.currentData() == "percent"
        if self._parts is None:
            numerator = self._initial.get("numerator") if percent else None
            denominator = self._initial.get("denominator") if percent else None
        else:
            numerator = self.numerator.currentData() if percent else None
            denominator = self.denominator.currentData() if percent else None
        return {
            "code": self.code.text().strip(),
            "name": self.name.text().strip(),
            "unit": self.uom.currentText().strip(),
            "measure": self.measure.currentData(),
            "task": self.task.currentData(),
            "target_mode": self.mode.currentData(),
            "target": None if per_year else parse_number(self.target.text(), "目标值", "target"),
            "targets_by_year": targets or None,
            "comparator": self.comparator.currentData(),
            "baseline": parse_number(self.baseline.text(), "基线值", "baseline"),
            "baseline_year": int(year) if year is not None else None,
            "source": self.source.currentData(),
            "rule": {
                "metric": self.metric_box.currentData(),
                "activity_types": _checked(self.types),
                "target_groups": _checked(self.groups),
                "tasks": _split(self.rule_tasks.text()),
                "units": _split(self.rule_units.text()),
            }
            if derived
            else None,
            "numerator": numerator,
            "denominator": denominator,
            "quote": self.quote.toPlainText().strip(),
        }


class UnitsDialog(QDialog):
    """The unit list with aliases: rename, add or remove an alias, remove a unused unit."""

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("责任单位与别名")
        self.resize(640, 460)
        layout = QHBoxLayout(self)
        self.units = QListWidget()
        self.units.currentRowChanged.connect(self._show_unit)
        layout.addWidget(self.units, 1)
        right = QVBoxLayout()
        self.name_label = QLabel()
        self.name_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        right.addWidget(self.name_label)
        right.addWidget(QLabel("别名（其他文件中的写法，导入时据此识别为同一单位）："))
        self.aliases = QListWidget()
        self.aliases.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        right.addWidget(self.aliases, 1)
        row = QHBoxLayout()
        for text, slot in [
            ("新增单位", self.add_unit),
            ("改名", self.rename),
            ("添加别名", self.add_alias),
            ("删除别名", self.remove_alias),
            ("删除单位", self.remove_unit),
        ]:
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        right.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        right.addWidget(close)
        layout.addLayout(right, 2)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        current = select_id or self.current_id()
        self._all = self.services.reference.units()
        self.units.blockSignals(True)
        self.units.clear()
        for unit in self._all:
            item = QListWidgetItem(unit.name)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            self.units.addItem(item)
            if unit.id == current:
                self.units.setCurrentItem(item)
        self.units.blockSignals(False)
        if self.units.currentRow() < 0 and self.units.count():
            self.units.setCurrentRow(0)
        self._show_unit()

    def current_id(self) -> int | None:
        item = self.units.currentItem() if hasattr(self, "units") else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _show_unit(self) -> None:
        unit_id = self.current_id()
        self.aliases.clear()
        unit = next((u for u in getattr(self, "_all", []) if u.id == unit_id), None)
        self.name_label.setText(unit.name if unit else "")
        if unit is not None:
            aliases = self.services.plan_editor.unit_aliases(unit.id)
            self.aliases.addItems(aliases)

    def _run(self, action: Callable[[], Any], select_id: int | None = None) -> bool:
        try:
            result = action()
        except ServiceError as exc:
            QMessageBox.warning(self, "责任单位", str(exc))
            return False
        self.refresh(select_id or (result if isinstance(result, int) else None))
        return True

    def add_unit(self) -> None:
        name, ok = QInputDialog.getText(self, "新增单位", "单位名称：")
        if ok and name.strip():
            self._run(lambda: self.services.plan_editor.add_unit(name))

    def rename(self) -> None:
        unit_id = self.current_id()
        if unit_id is None:
            return
        old = self.units.currentItem().text()
        name, ok = QInputDialog.getText(
            self, "单位改名", "新名称（原名称将保留为别名）：", text=old
        )
        if ok and name.strip() and name.strip() != old:
            self._run(lambda: self.services.plan_editor.rename_unit(unit_id, name), unit_id)

    def add_alias(self) -> None:
        unit_id = self.current_id()
        if unit_id is None:
            return
        alias, ok = QInputDialog.getText(self, "添加别名", "别名：")
        if ok and alias.strip():
            self._run(lambda: self.services.plan_editor.add_alias(unit_id, alias), unit_id)

    def remove_alias(self) -> None:
        unit_id = self.current_id()
        item = self.aliases.currentItem()
        if unit_id is None or item is None:
            return
        alias = item.text()
        self._run(lambda: self.services.plan_editor.remove_alias(unit_id, alias), unit_id)

    def remove_unit(self) -> None:
        from desktop.services.plan_editing import DependentsError

        unit_id = self.current_id()
        if unit_id is None:
            return
        editor = self.services.plan_editor
        try:
            editor.remove_unit(unit_id)
        except DependentsError as exc:
            answer = QMessageBox.question(self, "删除单位", str(exc))
            if answer == QMessageBox.StandardButton.Yes:
                self._run(lambda: editor.remove_unit(unit_id, confirm=True))
            return
        except ServiceError as exc:
            QMessageBox.warning(self, "删除单位", str(exc))
            return
        self.refresh()
