"""The activity table as a lazy Qt model: it holds one filter and the pages fetched so far.

Only `count` and the first page are read when the filter or the sort order
changes, and off the GUI thread (sorting a million rows by title takes SQL a
few seconds); further pages arrive through canFetchMore/fetchMore as the user
scrolls, also read off the GUI thread, since a deep page under a sort with no
index costs SQL as much as the first. A ledger of a million activities therefore opens as fast as one of a
hundred, and sorting is done by SQL (the service's sort keys), never here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop.services.activities import ActivityFilter, ActivityRow, ActivityService
from desktop.ui.widgets import Loader, fmt_money, fmt_number

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # "no parent": these are flat tables


@dataclass(frozen=True)
class Column:
    header: str
    sort_key: str
    numeric: bool = False


COLUMNS: list[Column] = [
    Column("日期", "start_date"),
    Column("活动名称", "title"),
    Column("活动类型", "type"),
    Column("组织单位", "unit"),
    Column("地点", "place"),
    Column("参加人次", "participants", numeric=True),
    Column("场次", "sessions", numeric=True),
    Column("志愿者人次", "volunteers", numeric=True),
    Column("经费（元）", "funding", numeric=True),
    Column("佐证", "evidence", numeric=True),
]


def _cell(row: ActivityRow, column: int) -> str:
    if column == 0:
        return row.start_date.isoformat()
    if column == 1:
        return row.title
    if column == 2:
        return row.type_name
    if column == 3:
        return row.unit_name
    if column == 4:
        return row.place_name
    if column == 5:
        return fmt_number(row.participants)
    if column == 6:
        return fmt_number(row.sessions)
    if column == 7:
        return fmt_number(row.volunteers)
    if column == 8:
        return fmt_money(row.funding_yuan)
    return f"{row.evidence} 份" if row.evidence else ""


class ActivityTableModel(QAbstractTableModel):
    PAGE = 200
    loaded = Signal()  # count and first page for the current filter and sort are in
    failed = Signal(str)

    def __init__(
        self, activities: ActivityService, page_size: int = PAGE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.loader = Loader(self)
        self.pager = Loader(self)
        self._service = activities
        self._page = page_size
        self._filter = ActivityFilter()
        self._sort_key = "start_date"
        self._descending = True
        self._rows: list[ActivityRow] = []
        self._count = 0
        # Bumped on every reload, so a page read for an older filter or sort is dropped.
        self._epoch = 0
        self._fetching: int | None = None  # epoch of the page being read, if any

    # --- what the page asks -------------------------------------------------

    @property
    def filter(self) -> ActivityFilter:
        return replace(self._filter)

    @property
    def total(self) -> int:
        """Rows matching the filter (not only those fetched so far)."""
        return self._count

    @property
    def sort_key(self) -> str:
        return self._sort_key

    def set_filter(self, flt: ActivityFilter) -> None:
        self._filter = replace(flt)
        self.reload()

    def reload(self) -> None:
        """Count again and fetch the first page (after a filter, sort or data change)."""
        self._epoch += 1
        flt, key, descending = replace(self._filter), self._sort_key, self._descending
        self.loader.run(
            lambda: (
                self._service.count(flt),
                self._service.rows(flt, 0, self._page, key, descending),
            ),
            self._apply,
            lambda exc: self.failed.emit(str(exc)),
        )

    def _apply(self, result: tuple[int, list[ActivityRow]]) -> None:
        self.beginResetModel()
        self._count, self._rows = result
        self.endResetModel()
        self.loaded.emit()

    def activity_id(self, row: int) -> int:
        return self._rows[row].id

    def row_of(self, activity_id: int) -> int | None:
        """The row of an activity among the pages fetched so far."""
        return next((i for i, r in enumerate(self._rows) if r.id == activity_id), None)

    def row_data(self, row: int) -> ActivityRow:
        return self._rows[row]


    # --- Qt model interface -------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = ROOT) -> bool:
        return not parent.isValid() and len(self._rows) < self._count

    def fetchMore(self, parent: Index = ROOT) -> None:
        if parent.isValid() or self._fetching == self._epoch:
            return
        epoch, offset = self._epoch, len(self._rows)
        flt, key, descending = replace(self._filter), self._sort_key, self._descending
        self._fetching = epoch
        self.pager.run(
            lambda: self._service.rows(flt, offset, self._page, key, descending),
            lambda more: self._append(epoch, offset, more),
            lambda exc: self._page_failed(epoch, exc),
        )

    def _append(self, epoch: int, offset: int, more: list[ActivityRow]) -> None:
        if epoch != self._epoch or offset != len(self._rows):
            return
        self._fetching = None
        if not more:
            self._count = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), offset, offset + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def _page_failed(self, epoch: int, exc: BaseException) -> None:
        if epoch == self._epoch:
            self._fetching = None
            self.failed.emit(str(exc))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 3):
            return row.title if column == 1 else row.unit_name
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[column].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by the column's service sort key; fetched pages start over."""
        if not 0 <= column < len(COLUMNS):
            return
        self._sort_key = COLUMNS[column].sort_key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
