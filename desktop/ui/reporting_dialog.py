"""报送情况: which member units' collection workbooks arrived for a period, and whom to chase.

Everything shown comes from ReportingService (desktop/services/reporting.py);
the dialog lays it out, keeps the due-day setting beside the period, and
gives the 催报 list as text to copy or paste into a notice, or prints it
through the program's PDF preview (desktop/ui/printing.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.services import Services
from desktop.services.periods import Period
from desktop.services.reporting import (
    DUE_KEYS,
    LATE,
    MISSING,
    NOT_REQUIRED,
    RECEIVED,
    STATUS_LABELS,
    PeriodReport,
)
from desktop.services.settings import MAX_DAYS
from desktop.ui.table_cells import read_only_item
from desktop.ui.widgets import MUTED, PeriodPicker, YearChoice, section_label

if TYPE_CHECKING:  # the PDF preview (QtPdf) and reportlab load when 打印… is first used
    from desktop.ui.printing import PdfPreviewDialog

STATUS_COLOURS = {
    RECEIVED: "#2e7d32",
    LATE: "#ef6c00",
    MISSING: "#c62828",
    NOT_REQUIRED: MUTED,
}
HEADERS = ["单位", "报送情况", "报送时间", "导入批次", "联系人"]


class ReportingDialog(QDialog):
    """The period chooser and its due date, the table of units, and the 催报 list."""

    def __init__(
        self,
        services: Services,
        years: Sequence[YearChoice],
        current: Period,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.report: PeriodReport | None = None
        self.setWindowTitle("报送情况")
        self.resize(900, 620)
        self.period = PeriodPicker(allow_all=False)
        self.period.set_years(years, current.year)
        self.period.set_period(current.code)
        self.due_days = QSpinBox()
        self.due_days.setRange(0, MAX_DAYS)
        self.due_days.setSuffix(" 天")
        self.save_due = QPushButton("保存期限")
        self.due_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("统计期"))
        top.addWidget(self.period)
        top.addSpacing(12)
        top.addWidget(self.due_label)
        top.addStretch(1)
        self.due_kind = QLabel()
        top.addWidget(self.due_kind)
        top.addWidget(self.due_days)
        top.addWidget(self.save_due)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.chase = QPlainTextEdit()
        self.chase.setReadOnly(True)
        self.chase.setMaximumHeight(150)
        self.copy_button = QPushButton("复制")
        self.print_button = QPushButton("打印…")
        self.preview: PdfPreviewDialog | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="kepu-chase-")
        self.contact_button = QPushButton("填写联系人…")
        close = QPushButton("关闭")
        hint = QLabel(
            "已报送：该单位本期采集表已导入且未撤销；逾期报送：首次导入晚于报送截止日；"
            "无需填报：当前方案没有分配给该单位的任务和指标。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {MUTED};")
        chase_row = QHBoxLayout()
        chase_row.addWidget(section_label("催报名单"))
        chase_row.addStretch(1)
        chase_row.addWidget(self.contact_button)
        chase_row.addWidget(self.copy_button)
        chase_row.addWidget(self.print_button)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(chase_row)
        layout.addWidget(self.chase)
        layout.addLayout(bottom)
        self.period.changed.connect(self.refresh)
        self.save_due.clicked.connect(self._save_due)
        self.copy_button.clicked.connect(self.copy_chase)
        self.print_button.clicked.connect(self.print_chase)
        self.finished.connect(lambda _code: self._tmp.cleanup())
        self.contact_button.clicked.connect(self._edit_contact)
        self.table.itemSelectionChanged.connect(self._selection)
        close.clicked.connect(self.accept)
        self.refresh()

    def refresh(self) -> None:
        period = self.period.period()
        if period is None:
            return
        try:
            report = self.services.reporting.status(period.code)
        except ServiceError as exc:
            self.summary.setText(str(exc))
            return
        self.report = report
        self.due_label.setText(report.due_text)
        self.due_days.setValue(report.due_days)
        self.due_kind.setText(
            "年度期限：期末后" if period.kind == "year" else "月、季度期限：期末后"
        )
        counts = "　".join(
            f"{label} {report.count(status)}" for status, label in STATUS_LABELS.items()
        )
        self.summary.setText(f"{period.label}　{report.rate_text}　{counts}")
        self.table.setRowCount(len(report.units))
        for row, unit in enumerate(report.units):
            when = f"{unit.received_at:%Y-%m-%d %H:%M}" if unit.received_at else ""
            values = [unit.unit, unit.label, when, unit.batch, unit.contact]
            for col, value in enumerate(values):
                item = read_only_item(value, col == 3)
                if col == 1:
                    item.setForeground(QColor(STATUS_COLOURS[unit.status]))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.chase.setPlainText(report.chase_text())
        self.copy_button.setEnabled(bool(report.missing))
        self.print_button.setEnabled(bool(report.missing))
        self._selection()

    def copy_chase(self) -> None:
        QGuiApplication.clipboard().setText(self.chase.toPlainText())
        self.copy_button.setText("已复制")

    def print_chase(self) -> None:
        """The list as a one-page PDF in the program's own print preview."""
        from desktop.exporting.chase_pdf import chase_title, write_chase_pdf
        from desktop.exporting.return_workbook import office_name
        from desktop.ui.printing import preview

        if self.report is None:
            return
        office = office_name(self.services, self.services.plans.active().region)
        pdf = Path(self._tmp.name) / f"chase-{self.report.period.code}.pdf"
        try:
            write_chase_pdf(self.report, office, pdf)
        except (OSError, RuntimeError) as exc:
            QMessageBox.warning(self, "打印催报名单", str(exc))
            return
        self.preview = preview(pdf, chase_title(self.report), self)
        self.preview.open()

    def _selection(self) -> None:
        self.contact_button.setEnabled(self._selected() is not None)
        self.copy_button.setText("复制")

    def _selected(self):
        rows = {i.row() for i in self.table.selectedIndexes()}
        if self.report is None or len(rows) != 1:
            return None
        return self.report.units[rows.pop()]

    def _save_due(self) -> None:
        period = self.period.period()
        if period is None:
            return
        try:
            self.services.settings.update({DUE_KEYS[period.kind]: str(self.due_days.value())})
        except ServiceError as exc:
            QMessageBox.warning(self, "报送期限", str(exc))
            return
        self.refresh()

    def _edit_contact(self) -> None:
        unit = self._selected()
        if unit is None:
            return
        text, ok = QInputDialog.getText(
            self, "填写联系人", f"{unit.unit}的联系人和电话：", text=unit.contact
        )
        if not ok:
            return
        try:
            self.services.plan_editor.set_contact(unit.unit_id, text)
        except ServiceError as exc:
            QMessageBox.warning(self, "填写联系人", str(exc))
            return
        self.refresh()
