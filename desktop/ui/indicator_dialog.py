"""The indicator dialog: an IndicatorDoc's measure, target, source and counting rule.

Used by the 实施方案 page (saving through the plan-editing service) and by
the draft editor of 从文本识别 (saving into the draft); see
desktop/ui/plan_form.py for how a refusal keeps the dialog open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.plan.document import IndicatorDoc, Rule
from desktop.plan.ratios import PART_MEASURES
from desktop.plan.vocabulary import (
    ACTIVITY_TYPES,
    COMPARATOR_LABELS,
    MEASURE_LABELS,
    METRIC_LABELS,
    SOURCE_LABELS,
    TARGET_GROUPS,
    TARGET_MODE_LABELS,
)
from desktop.ui.plan_form import FormDialog, combo, parse_number, parse_year
from desktop.ui.plan_format import number_text

UOM_CHOICES = ["人次", "人", "个", "%", "次", "场", "辆", "套", "名", "所", "家", "项", "万元"]
NO_PART = "（不设）"


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


class IndicatorDialog(FormDialog[IndicatorDoc]):
    """An indicator: measure, target (whole period, every year, per year, end) and source.

    `parts` lists the plan's other indicators as (code, name, measure); a
    percent (比率) may then be computed from two of its level or count
    indicators, chosen in the 分子 / 分母 boxes shown only for a percent.
    Without `parts` (a draft being reviewed) those boxes stay hidden and the
    indicator keeps whatever numerator and denominator it had.
    """

    def __init__(
        self,
        save: Callable[[IndicatorDoc], None],
        tasks: list[tuple[str, str]],
        first_year: int,
        last_year: int,
        initial: IndicatorDoc | None = None,
        parent: QWidget | None = None,
        *,
        parts: list[tuple[str, str, str]] | None = None,
    ) -> None:
        super().__init__("编辑指标" if initial else "新增指标", self.values, save, parent)
        ind = self._initial = initial or IndicatorDoc()
        self._parts = parts
        self.years = list(range(first_year, last_year + 1))
        self.code = self.add("编号", "code", QLineEdit(ind.code or ""))
        self.code.setPlaceholderText("留空自动编号")
        self.name = self.add("指标名称", "name", QLineEdit(ind.name))
        self.name.setMinimumWidth(360)
        self.uom = QComboBox()
        self.uom.setEditable(True)
        self.uom.addItems(UOM_CHOICES)
        self.uom.setCurrentText(ind.unit)
        self.add("计量单位", "unit", self.uom)
        self.measure = self.add("计量方式", "measure", combo(MEASURE_LABELS, ind.measure))
        self.numerator = self.add("分子", "numerator", self._part_box(ind.numerator))
        self.denominator = self.add("分母", "denominator", self._part_box(ind.denominator))
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
        self.task.setCurrentIndex(max(self.task.findData(ind.task), 0))
        self.add("所属任务", "task", self.task)
        self.mode = self.add("目标类型", "target_mode", combo(TARGET_MODE_LABELS, ind.target_mode))
        self.comparator = self.add("比较", "comparator", combo(COMPARATOR_LABELS, ind.comparator))
        self.target = self.add("目标值", "target", QLineEdit(number_text(ind.target)))
        self.target.setPlaceholderText("留空：未定目标（下一期方案的目标待定时）")
        self.by_year = QTableWidget(len(self.years), 2)
        self.by_year.setHorizontalHeaderLabels(["年份", "目标值"])
        self.by_year.verticalHeader().hide()
        self.by_year.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        targets = ind.targets_by_year or {}
        for row, year in enumerate(self.years):
            year_item = QTableWidgetItem(f"{year}年")
            year_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.by_year.setItem(row, 0, year_item)
            self.by_year.setItem(row, 1, QTableWidgetItem(number_text(targets.get(year))))
        self.by_year.setFixedHeight(32 + 30 * len(self.years))
        self.add("各年度目标", "targets_by_year", self.by_year)
        self.baseline = self.add("基线值", "baseline", QLineEdit(number_text(ind.baseline)))
        self.baseline_year = self.add(
            "基线年份", "baseline_year", QLineEdit(number_text(ind.baseline_year))
        )
        self.source = self.add("数据来源", "source", combo(SOURCE_LABELS, ind.source))
        self._rule_box(ind.rule or Rule())
        self.quote = QPlainTextEdit(ind.quote)
        self.quote.setMaximumHeight(70)
        self.add("原文", "quote", self.quote)
        self.mode.currentIndexChanged.connect(self._update)
        self.source.currentIndexChanged.connect(self._update)
        self.measure.currentIndexChanged.connect(self._update)
        self._update()
        self.finish_layout()

    def _rule_box(self, rule: Rule) -> None:
        """台账统计口径, beside the form: how a derived indicator is counted from the ledger."""
        self.rule_box = QGroupBox("台账统计口径")
        rule_form = QFormLayout(self.rule_box)
        self.metric_box = combo(METRIC_LABELS, rule.metric)
        rule_form.addRow("统计", self.metric_box)
        self.types = _checklist([(c, n) for c, n, _ in ACTIVITY_TYPES], rule.activity_types)
        rule_form.addRow("活动类型", self.types)
        self.groups = _checklist([(g, g) for g in TARGET_GROUPS], rule.target_groups)
        rule_form.addRow("重点人群", self.groups)
        self.rule_tasks = QLineEdit("、".join(rule.tasks))
        self.rule_tasks.setPlaceholderText("任务编号，用“、”分隔；空 = 不限")
        rule_form.addRow("限定任务", self.rule_tasks)
        self.rule_units = QLineEdit("、".join(rule.units))
        self.rule_units.setPlaceholderText("单位名称，用“、”分隔；空 = 不限")
        rule_form.addRow("限定单位", self.rule_units)
        self.fields["rule"] = self.rule_box
        self.rule_box.setMinimumWidth(320)
        self.body.addWidget(self.rule_box, 1, Qt.AlignmentFlag.AlignTop)

    def _part_box(self, current: str | None) -> QComboBox:
        """The plan's other level/count indicators, “（不设）” first."""
        box = QComboBox()
        box.addItem(NO_PART, None)
        own = self._initial.code
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

    def _targets_by_year(self) -> dict[int, float] | None:
        targets: dict[int, float] = {}
        for row, year in enumerate(self.years):
            item = self.by_year.item(row, 1)
            value = parse_number(item.text() if item else "", f"{year}年目标", "targets_by_year")
            if value is not None:
                targets[year] = value
        return targets or None

    def _rule(self) -> Rule:
        return Rule(
            metric=self.metric_box.currentData(),
            activity_types=_checked(self.types),
            target_groups=_checked(self.groups),
            tasks=_split(self.rule_tasks.text()),
            units=_split(self.rule_units.text()),
        )

    def values(self) -> IndicatorDoc:
        per_year = self.mode.currentData() == "per_year"
        targets = self._targets_by_year() if per_year else None
        baseline_year = parse_year(self.baseline_year.text(), "基线年份", "baseline_year")
        percent = self.measure.currentData() == "percent"
        if not percent:
            numerator = denominator = None
        elif self._parts is None:
            numerator, denominator = self._initial.numerator, self._initial.denominator
        else:
            numerator, denominator = self.numerator.currentData(), self.denominator.currentData()
        return IndicatorDoc(
            code=self.code.text().strip() or None,
            name=self.name.text().strip(),
            unit=self.uom.currentText().strip(),
            measure=self.measure.currentData(),
            task=self.task.currentData(),
            target_mode=self.mode.currentData(),
            target=None if per_year else parse_number(self.target.text(), "目标值", "target"),
            targets_by_year=targets,
            comparator=self.comparator.currentData(),
            baseline=parse_number(self.baseline.text(), "基线值", "baseline"),
            baseline_year=baseline_year,
            source=self.source.currentData(),
            rule=self._rule() if self.source.currentData() == "derived" else None,
            numerator=numerator,
            denominator=denominator,
            quote=self.quote.toPlainText().strip(),
        )
