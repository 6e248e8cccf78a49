"""The 指标进度 table: one row per indicator of a progress report, and its status/section filter.

Colours, sort keys and the completion bar's figures travel as item roles
(desktop/ui/widgets.py), so the view and its delegate ask the model, and
sorting by status or number never sorts the shown text.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from desktop.services.progress import STATUS_LABELS, STATUS_ORDER, IndicatorProgress
from desktop.ui.theme import STATUS_BACKGROUNDS, STATUS_COLOURS
from desktop.ui.widgets import (
    COMPLETION_ROLE,
    DASH,
    EXPECTED_ROLE,
    SORT_ROLE,
    STATUS_ROLE,
    fmt_number,
    fmt_pct,
    ui_font,
)

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # "no parent": these are flat tables

HEADERS = [
    "行动/工程",
    "任务",
    "指标",
    "计量单位",
    "目标值",
    "本期",
    "累计",
    "完成率",
    "应达进度",
    "状态",
    "牵头单位",
]
COL_COMPLETION = 7
COL_STATUS = 9
NUMERIC = {4, 5, 6, 8}


class IndicatorTableModel(QAbstractTableModel):
    """The report's indicators, one row each, with colour and sort roles."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[IndicatorProgress] = []

    def set_items(self, items: list[IndicatorProgress]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    @staticmethod
    def _text(p: IndicatorProgress, column: int) -> str:
        values = [
            p.section_title or "（未归入行动/工程）",
            f"{p.task_code} {p.task_title}" if p.task_code else DASH,
            p.name,
            p.unit,
            (("≤ " if p.comparator == "<=" else "") + fmt_number(p.target))
            if p.target is not None
            else STATUS_LABELS["no_target"]
            if p.status == "no_target"
            else DASH,
            fmt_number(p.period_value),
            fmt_number(p.actual),
            fmt_pct(p.completion_pct),
            fmt_pct(p.expected_pct),
            p.status_label,
            "、".join(p.lead_units) or DASH,
        ]
        return values[column]

    @staticmethod
    def _sort_key(p: IndicatorProgress, column: int, row: int) -> object:
        numbers = {
            4: p.target,
            5: p.period_value,
            6: p.actual,
            7: p.completion_pct,
            8: p.expected_pct,
        }
        if column in numbers:
            value = numbers[column]
            return -1e18 if value is None else value
        if column == COL_STATUS:
            return STATUS_ORDER[p.status] * 1000 + (p.completion_pct or 0) / 1000
        return IndicatorTableModel._text(p, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        p = self.items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if column == COL_COMPLETION else self._text(p, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_COMPLETION:
                return f"完成率 {fmt_pct(p.completion_pct)}，应达进度 {fmt_pct(p.expected_pct)}"
            return self._text(p, column)
        if role == SORT_ROLE:
            return self._sort_key(p, column, index.row())
        if role == STATUS_ROLE:
            return p.status
        if role == COMPLETION_ROLE:
            return p.completion_pct
        if role == EXPECTED_ROLE:
            return p.expected_pct
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column in (3, COL_STATUS):
                return int(Qt.AlignmentFlag.AlignCenter)
        if column == COL_STATUS:
            if role == Qt.ItemDataRole.BackgroundRole:
                return STATUS_BACKGROUNDS[p.status]
            if role == Qt.ItemDataRole.ForegroundRole:
                return STATUS_COLOURS[p.status]
            if role == Qt.ItemDataRole.FontRole:
                return ui_font(0, bold=True)
        return None


class IndicatorFilter(QSortFilterProxyModel):
    """Filters by status and section; sorts by the source's SORT_ROLE."""

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None
        self.section: str | None = None
        self.setSortRole(SORT_ROLE)

    def set_criteria(self, status: str | None, section: str | None) -> None:
        self.beginFilterChange()
        self.status = status
        self.section = section
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, IndicatorTableModel)
        p = model.items[source_row]
        if self.status and p.status != self.status:
            return False
        return not (self.section and (p.section_code or "") != self.section)
