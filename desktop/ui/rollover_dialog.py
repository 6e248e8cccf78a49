"""开始下一期方案: the next plan's years and name, then the rollover off the GUI thread.

The office turns from 2021–2025 to 2026–2030 in one step
(desktop/services/plan_periods.py): the dialog says what is carried over
— the sections, tasks, units and indicators, every target 待定, each
baseline the old period's final value — so nobody is surprised by a plan
without targets. A refusal (overlapping years, say) stays in the dialog,
in red, and nothing changes; the years can then be corrected in place.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.models import Plan
from desktop.plan.document import PlanDocument
from desktop.services import Services
from desktop.services.plan_periods import next_name
from desktop.ui.theme import STATUS_COLOURS
from desktop.ui.workers import Task, run_with_progress

DEFAULT_YEARS = 5


def carried_text(old: Plan, doc: PlanDocument) -> str:
    """What the next plan takes from `old`, in the words the office uses."""
    tasks = sum(len(s.tasks) for s in doc.sections)
    return (
        f"将沿用“{old.name}”的结构：{len(doc.sections)} 个行动/工程、{tasks} 项任务、"
        f"{len(doc.units)} 个责任单位、{len(doc.indicators)} 项指标。\n"
        "• 每项指标的目标设为“待定”（进度显示为未定目标），请在新方案中逐项填写；\n"
        f"• 每项指标的基数取本期末（{old.last_year}年）的实际值；\n"
        "• 新方案设为当前方案；原方案保留，其报表与评估照常可出，结构转为只读；\n"
        "• 开始前自动备份数据库。"
    )


class RolloverDialog(QDialog):
    """The next period's years and name; 确定 starts the rollover, `new_code` holds its result."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.old = services.plans.active()
        self.new_code: str | None = None
        self._task: Task | None = None
        self.setWindowTitle("开始下一期方案")
        doc = services.plans.document(self.old.id)

        self.first = QSpinBox()
        self.last = QSpinBox()
        for box, value in (
            (self.first, self.old.last_year + 1),
            (self.last, self.old.last_year + DEFAULT_YEARS),
        ):
            box.setRange(2000, 2100)
            box.setValue(value)
            box.setSuffix(" 年")
            box.valueChanged.connect(self._years_changed)
        years = QHBoxLayout()
        years.addWidget(self.first)
        years.addWidget(QLabel("至"))
        years.addWidget(self.last)
        years.addStretch(1)
        self.name = QLineEdit()
        self.name.setMinimumWidth(460)
        self._suggested = ""
        self._years_changed()

        form = QFormLayout()
        years_text = f"{self.old.first_year}—{self.old.last_year}年"
        shown = (
            self.old.name
            if str(self.old.first_year) in self.old.name
            else (f"{self.old.name}（{years_text}）")
        )
        form.addRow("当前方案", QLabel(shown))
        form.addRow("新方案期限", years)
        form.addRow("新方案名称", self.name)
        carried = QLabel(carried_text(self.old, doc))
        carried.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {STATUS_COLOURS['far_behind'].name()};")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("开始下一期")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows for the refusal
        layout.addLayout(form)
        layout.addWidget(carried)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _years_changed(self) -> None:
        """Keep the suggested name in step with the years, unless the user wrote their own."""
        suggested = next_name(self.old, self.first.value(), self.last.value())
        if self.name.text() in ("", self._suggested):
            self.name.setText(suggested)
        self._suggested = suggested

    def start(self, on_done: Callable[[], None] | None = None) -> None:
        """Roll over in the background; the dialog closes on success, shows the refusal if not."""
        first, last = self.first.value(), self.last.value()
        name = self.name.text().strip() or None
        self.error.hide()
        self.buttons.setEnabled(False)

        def job(report: Callable[[int, int], bool]) -> str:
            report(0, 1)
            return self.services.plan_periods.rollover(first, last, name)

        def done(code: str) -> None:
            self.new_code = code
            self.buttons.setEnabled(True)
            self.accept()
            if on_done is not None:
                on_done()

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.error.setText(f"未能开始下一期方案：{exc}")
            self.error.show()
            self.adjustSize()
            if on_done is not None:
                on_done()

        self._task = run_with_progress(self, "正在开始下一期方案…", job, done, failed)
