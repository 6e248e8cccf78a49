"""疑似异常: the one list where each flagged figure is confirmed with a comment or corrected.

The flags and the rules behind them are FlagService's (desktop/services/flags.py);
the dialog shows them for a period (or all), takes the office's comment for a
figure that stands, and opens the figure itself for one that is wrong: the
activity in its own dialog, an entry as a number to type again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.services import Services
from desktop.services.flags import CONFIRMED, ENTRY, OPEN, Flag, FlagService
from desktop.ui.table_cells import read_only_item
from desktop.ui.widgets import MUTED, PeriodPicker, YearChoice
from desktop.ui.workers import Task

HEADERS = ["状态", "类型", "编号", "名称", "单位", "统计期", "数值", "原因", "说明"]
STATUS_COLOURS = {OPEN: "#c62828", CONFIRMED: "#2e7d32"}


class FlagsDialog(QDialog):
    """The period, the flags in it, and for the chosen one: confirm with a comment, or correct."""

    loaded = Signal()  # the flags of the chosen period are shown

    def __init__(
        self,
        services: Services,
        years: Sequence[YearChoice],
        current: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.flags_service = FlagService(services.db)
        self.all_flags: list[Flag] = []
        self.flags: list[Flag] = []  # as shown: all, or the open ones
        self.task: Task | None = None
        self.setWindowTitle("疑似异常")
        self.resize(1100, 620)
        self.period = PeriodPicker(allow_all=True)
        self.period.set_years(years)
        self.period.set_period(current)
        self.open_only = QCheckBox("只看待处理")
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("确认说明，例如：全县集中培训")
        self.confirm_button = QPushButton("确认无误")
        self.correct_button = QPushButton("修改数据…")
        close = QPushButton("关闭")
        hint = QLabel(
            "疑似异常只提示、不拒收：填报数据超过本单位此前同类统计期中位数的 3 倍或不到三分之一"
            "（至少 3 期）；活动每场人数超过 5,000 人；活动经费或志愿服务时长超过本单位往年活动"
            "中位数的 3 倍（至少 5 项）。核实后确认并写明理由，或修改数据。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {MUTED};")
        top = QHBoxLayout()
        top.addWidget(QLabel("统计期"))
        top.addWidget(self.period)
        top.addSpacing(12)
        top.addWidget(self.open_only)
        top.addStretch(1)
        act = QHBoxLayout()
        act.addWidget(QLabel("说明"))
        act.addWidget(self.comment, 1)
        act.addWidget(self.confirm_button)
        act.addWidget(self.correct_button)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(act)
        layout.addLayout(bottom)
        self.period.changed.connect(self.refresh)
        self.open_only.toggled.connect(lambda _on: self._show())
        self.table.itemSelectionChanged.connect(self._selection)
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.correct_button.clicked.connect(self.correct_selected)
        close.clicked.connect(self.accept)
        self.refresh()

    def refresh(self) -> None:
        """Find the period's flags again, off the GUI thread: at a million activities it takes
        seconds. The table keeps what it showed until the new list arrives."""
        period = self.period.period()
        code = period.code if period else None
        if self.task is not None:
            self.task.cancel()
        self.summary.setText("正在查找疑似异常…")
        self.task = Task(lambda _report: self.flags_service.flags(code), self)
        self.task.done.connect(self._loaded)
        self.task.error.connect(lambda exc: self.summary.setText(str(exc)))
        self.task.start()

    def _loaded(self, flags: list[Flag]) -> None:
        self.task = None
        self.all_flags = flags
        self._show()
        self.loaded.emit()

    def _show(self) -> None:
        flags = self.all_flags
        open_count = sum(f.status == OPEN for f in flags)
        self.summary.setText(f"共 {len(flags)} 条疑似异常，待处理 {open_count} 条。")
        self.flags = [f for f in flags if f.status == OPEN] if self.open_only.isChecked() else flags
        self.table.setRowCount(len(self.flags))
        for row, f in enumerate(self.flags):
            cells = [
                f.status_label,
                f.kind_label,
                f.code,
                f.name,
                f.unit,
                f.period,
                f"{f.value:,.2f}".rstrip("0").rstrip("."),
                f.reason,
                f.comment,
            ]
            for col, text in enumerate(cells):
                item = read_only_item(text, align_right=col == 6)
                if col == 0:
                    item.setForeground(QColor(STATUS_COLOURS[f.status]))
                if col in (3, 7):
                    item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.setColumnWidth(3, 180)
        self._selection()

    def selected(self) -> Flag | None:
        rows = self.table.selectionModel().selectedRows()
        return self.flags[rows[0].row()] if rows else None

    def _selection(self) -> None:
        chosen = self.selected() is not None
        self.confirm_button.setEnabled(chosen)
        self.correct_button.setEnabled(chosen)
        self.comment.setEnabled(chosen)

    def select(self, row: int) -> None:
        self.table.selectRow(row)

    def confirm_selected(self) -> None:
        flag = self.selected()
        if flag is None:
            return
        comment = self.comment.text().strip()
        try:
            self.flags_service.confirm(flag, comment)
        except ServiceError as exc:
            QMessageBox.warning(self, "确认疑似异常", str(exc))
            return
        self.comment.clear()
        # Only this flag's status changed: no need to look through the ledger again.
        confirmed = replace(flag, status=CONFIRMED, comment=comment)
        self.all_flags = [confirmed if f.key == flag.key else f for f in self.all_flags]
        self._show()

    def correct_selected(self) -> None:
        """Open the figure itself: the activity's dialog, or the entry's value to type again."""
        flag = self.selected()
        if flag is None:
            return
        if flag.kind != ENTRY:
            from desktop.ui.activity_dialog import ActivityDialog

            assert flag.activity_id is not None
            if ActivityDialog(self.services, flag.activity_id, self).exec():
                self.refresh()
            return
        value, ok = QInputDialog.getDouble(
            self,
            "修改填报数据",
            f"{flag.name}（{flag.unit or '全县'} {flag.period}）\n{flag.reason}\n改为：",
            flag.value,
            0,
            1e12,
            2,
        )
        if not ok:
            return
        assert flag.indicator_id is not None
        try:
            self.services.entries.set(
                flag.indicator_id, flag.period, value, flag.unit_id, flag.place_id
            )
        except ServiceError as exc:
            QMessageBox.warning(self, "修改填报数据", str(exc))
            return
        self.refresh()
