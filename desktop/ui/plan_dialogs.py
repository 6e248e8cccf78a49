"""The small plan-part dialogs: a section, a task, a unit link, the plan's own lines.

Each edits one piece of the plan document (desktop/plan/document.py) and
hands the edited piece to its `save` callback (see desktop/ui/plan_form.py):
a SectionDoc, TaskDoc or UnitLink keeps whatever the dialog does not show
(its code, its tasks and units) from the piece it was given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from desktop.plan.document import PlanInfo, SectionDoc, TaskDoc, UnitLink
from desktop.plan.vocabulary import KIND_LABELS, LEVEL_LABELS, ROLE_LABELS, TARGET_GROUPS
from desktop.ui.plan_form import FormDialog, combo, parse_number, parse_year
from desktop.ui.plan_format import number_text


class SectionDialog(FormDialog[SectionDoc]):
    def __init__(
        self,
        save: Callable[[SectionDoc], None],
        initial: SectionDoc | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("编辑行动/工程" if initial else "新增行动/工程", self.values, save, parent)
        self._initial = initial or SectionDoc()
        section = self._initial
        self.kind = self.add("类别", "kind", combo(KIND_LABELS, section.kind))
        self.title_edit = self.add("名称", "title", QLineEdit(section.title))
        self.title_edit.setMinimumWidth(420)
        self.group = self.add(
            "重点人群",
            "target_group",
            combo(
                dict(zip(TARGET_GROUPS, TARGET_GROUPS, strict=True)),
                section.target_group,
                "（无）",
            ),
        )
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.finish_layout()

    def _kind_changed(self) -> None:
        self.group.setEnabled(self.kind.currentData() == "action")

    def values(self) -> SectionDoc:
        kind = self.kind.currentData()
        return replace(
            self._initial,
            kind=kind,
            title=self.title_edit.text().strip(),
            target_group=self.group.currentData() if kind == "action" else None,
        )


class TaskDialog(FormDialog[TaskDoc]):
    def __init__(
        self,
        save: Callable[[TaskDoc], None],
        initial: TaskDoc | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("编辑任务" if initial else "新增任务", self.values, save, parent)
        self._initial = initial or TaskDoc()
        task = self._initial
        self.number = self.add("序号", "number", QLineEdit(task.number))
        self.number.setPlaceholderText("如 1、（2）；“——”条目可空")
        self.title_edit = self.add("标题", "title", QLineEdit(task.title))
        self.title_edit.setMinimumWidth(480)
        self.text = self.add("全文", "text", QPlainTextEdit(task.text))
        self.text.setMinimumHeight(160)
        self.finish_layout()

    def values(self) -> TaskDoc:
        return replace(
            self._initial,
            number=self.number.text().strip(),
            title=self.title_edit.text().strip(),
            text=self.text.toPlainText().strip(),
        )


class UnitLinkDialog(FormDialog[UnitLink]):
    """Pick a unit (known names complete as you type; a new name creates the unit) and a role.

    A stored link keeps its unit (only its role changes); a draft's link may
    be renamed (`renamable`).
    """

    def __init__(
        self,
        save: Callable[[UnitLink], None],
        unit_names: list[str],
        initial: UnitLink | None = None,
        parent: QWidget | None = None,
        *,
        renamable: bool = False,
    ) -> None:
        super().__init__("编辑责任单位" if initial else "添加责任单位", self.values, save, parent)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(unit_names)
        self.name.setCurrentText(initial.name if initial else "")
        completer = QCompleter(unit_names, self.name)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.name.setMinimumWidth(300)
        self.add("单位", "unit", self.name)
        self.name.setEnabled(initial is None or renamable)
        self.role = self.add(
            "角色", "role", combo(ROLE_LABELS, initial.role if initial else "cooperating")
        )
        self.finish_layout()

    def values(self) -> UnitLink:
        return UnitLink(name=self.name.currentText().strip(), role=self.role.currentData())


class PlanInfoDialog(FormDialog[PlanInfo]):
    def __init__(
        self, save: Callable[[PlanInfo], None], info: PlanInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__("方案信息", self.values, save, parent)
        self.name = self.add("方案名称", "name", QLineEdit(info.name or ""))
        self.name.setMinimumWidth(460)
        self.region = self.add("地区", "region", QLineEdit(info.region or ""))
        self.level = self.add("层级", "level", combo(LEVEL_LABELS, info.level or "county"))
        self.first = self._year(info.first_year)
        self.last = self._year(info.last_year)
        self.add("起始年份", "first_year", self.first)
        self.add("结束年份", "last_year", self.last)
        self.doc = self.add("文号", "doc_number", QLineEdit(info.doc_number or ""))
        self.issued = self.add("印发日期", "issue_date", QLineEdit(info.issue_date or ""))
        self.issued.setPlaceholderText("YYYY-MM-DD")
        self.baseline = self.add(
            "科学素质基线（%）",
            "literacy_baseline",
            QLineEdit(number_text(info.literacy_baseline)),
        )
        self.baseline_year = self.add(
            "基线年份",
            "literacy_baseline_year",
            QLineEdit(number_text(info.literacy_baseline_year)),
        )
        self.target = self.add(
            "科学素质目标（%）",
            "literacy_target",
            QLineEdit(number_text(info.literacy_target)),
        )
        self.finish_layout()

    @staticmethod
    def _year(value: int | None) -> QSpinBox:
        box = QSpinBox()
        box.setRange(1990, 2100)
        box.setValue(value or 2021)
        return box

    def values(self) -> PlanInfo:
        year = parse_year(self.baseline_year.text(), "基线年份", "literacy_baseline_year")
        return PlanInfo(
            name=self.name.text().strip(),
            region=self.region.text().strip(),
            level=self.level.currentData(),
            first_year=self.first.value(),
            last_year=self.last.value(),
            doc_number=self.doc.text().strip() or None,
            issue_date=self.issued.text().strip() or None,
            literacy_baseline=parse_number(
                self.baseline.text(), "科学素质基线", "literacy_baseline"
            ),
            literacy_baseline_year=year,
            literacy_target=parse_number(self.target.text(), "科学素质目标", "literacy_target"),
        )
