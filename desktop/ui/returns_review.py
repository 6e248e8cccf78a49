"""The check before lower regions' returns are consolidated: each file, what it would do, and why not.

The dialog shows the dry run's outcome (ReturnsService.import_returns with
dry_run) and offers only what the service would accept: 导入 when no file
is refused, 替换并导入 when the only refusals are returns already received
for the same region and period.
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.returns import REFUSED, UNCHANGED, ReturnImportResult, ReturnOutcome
from desktop.ui.table_cells import read_only_item

HEADERS = ["文件", "地区", "统计期", "检查结果", "说明", "未汇总的指标"]


def _label(o: ReturnOutcome) -> str:
    if o.replaceable:
        return "将替换"
    if o.action == REFUSED:
        return "不能导入"
    return "已导入过，无变化" if o.action == UNCHANGED else "可以导入"


class ReturnsReview(QDialog):
    IMPORT, REPLACE = 1, 2

    def __init__(self, preview: ReturnImportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = 0
        self.setWindowTitle("检查下级报表")
        self.resize(1000, 420)
        refused = preview.refused
        fresh = [o for o in preview.outcomes if o.action != UNCHANGED]
        if not fresh:
            text = "这些报表都已导入过，与已导入的完全相同，无需再导入。"
        elif not refused:
            text = f"{len(fresh)} 个文件检查通过，可以汇总。"
        elif preview.replace_would_do:
            text = "以下地区本统计期的报表已经导入过。确认用新文件替换后，替换会记入操作日志。"
        else:
            text = f"{len(refused)} 个文件不能导入；请处理后重新选择。为保证数据一致，本次不导入任何报表。"
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(preview.outcomes), len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, o in enumerate(preview.outcomes):
            unmatched = "；".join(f"{u.code} {u.name}（{u.reason}）" for u in o.unmatched)
            label = _label(o)
            for col, value in enumerate([o.file, o.region, o.period, label, o.message, unmatched]):
                item = read_only_item(value)
                if col == 3 and o.action == REFUSED and not o.replaceable:
                    item.setForeground(QColor("#c62828"))
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.import_button = QPushButton("导入")
        self.import_button.setVisible(bool(fresh) and not refused)
        self.replace_button = QPushButton("替换并导入")
        self.replace_button.setVisible(preview.replace_would_do)
        cancel = QPushButton("取消")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.replace_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.import_button.clicked.connect(lambda: self._choose(self.IMPORT))
        self.replace_button.clicked.connect(lambda: self._choose(self.REPLACE))
        cancel.clicked.connect(self.reject)

    def _choose(self, choice: int) -> None:
        self.choice = choice
        self.accept()
