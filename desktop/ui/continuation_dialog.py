"""接续上一期方案: which old indicator each indicator of a plan read from its text continues.

A plan read from its own text (从文本识别) words its indicators afresh, so
the link to the previous period is matched by the office in one table:
each new indicator beside a choice of the old plan's indicators, preset
from the service's suggestion (the stored link, else the same name and
unit, else the same code), with the old final value that becomes the
baseline. 确定 stores the links (services.plan_periods.set_continuations).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.models import Plan
from desktop.services import Services
from desktop.services.plan_periods import Continuation
from desktop.ui.widgets import fit_to_screen, fmt_number

NEW_INDICATOR = "（新增指标）"
HEADERS = ["编号", "新方案指标", "单位", "接续上一期指标", "上一期期末值"]


def previous_plan(plans: list[Plan], new: Plan) -> Plan | None:
    """The plan that ended last before `new` begins: the one it continues."""
    earlier = [p for p in plans if p.last_year < new.first_year]
    return max(earlier, key=lambda p: p.last_year, default=None)


class ContinuationDialog(QDialog):
    """One row per new indicator; its combo holds the old indicators of the same measure."""

    def __init__(
        self, services: Services, new: Plan, old: Plan, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.new, self.old = new, old
        self.linked: int | None = None
        self.setWindowTitle("接续上一期方案")
        self.rows: list[Continuation] = services.plan_periods.continuations(new.code, old.code)
        olds = services.plans.indicators(old.id)
        self.finals = services.plan_periods.final_values(old.code)

        note = QLabel(
            f"为“{new.name}”的每项指标选择它接续的“{old.name}”指标。"
            "接续后，新指标未填基数的，以上一期期末值为基数；报表可并列两期的数值。"
            f"没有对应的选“{NEW_INDICATOR}”。"
        )
        note.setWordWrap(True)
        self.table = QTableWidget(len(self.rows), len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 56), (2, 60), (4, 100)):
            self.table.setColumnWidth(col, width)
        self.combos: list[QComboBox] = []
        for row, c in enumerate(self.rows):
            for col, text in ((0, c.code), (1, c.name), (2, c.uom)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
            box = QComboBox()
            box.addItem(NEW_INDICATOR, None)
            for o in olds:
                if o.measure == c.measure:
                    box.addItem(f"{o.code} {o.name}（{o.uom}）", o.code)
            box.setCurrentIndex(max(box.findData(c.old_code), 0) if c.old_code else 0)
            box.currentIndexChanged.connect(lambda _i, r=row: self._show_final(r))
            self.table.setCellWidget(row, 3, box)
            self.combos.append(box)
            self._show_final(row)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 980, 560)

    def _show_final(self, row: int) -> None:
        """The chosen old indicator's final value: the baseline the new one takes."""
        code = self.combos[row].currentData()
        value = self.finals.get(code) if code else None
        text = fmt_number(value) if value is not None else "—"
        self.table.setItem(row, 4, QTableWidgetItem(text))

    def pairs(self) -> dict[str, str | None]:
        """New indicator code → the old code it continues (None: new in this period)."""
        return {c.code: box.currentData() for c, box in zip(self.rows, self.combos, strict=True)}

    def save(self) -> None:
        try:
            self.linked = self.services.plan_periods.set_continuations(
                self.new.code, self.old.code, self.pairs()
            )
        except ServiceError as exc:
            QMessageBox.warning(self, "接续上一期方案", str(exc))
            return
        self.accept()
