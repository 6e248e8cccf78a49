"""The activity table as a windowed Qt model: every row counted, only the rows near the view held.

rowCount() is the filter's whole count, so the scroll bar, Ctrl+End and
the row numbers are true from the first moment; a row is read only when a
view asks for it, a page at a time and off the GUI thread, into a small
cache of pages that forgets the least recently shown ones. Scrolling
through a million activities therefore holds as little memory as a
hundred, and a page near the end is read from the end (the order walked
backwards in SQL), so the last page costs what the first does. A row
whose page is on its way shows a quiet placeholder until it arrives.
Sorting is done by SQL (the service's sort keys), never here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from desktop.services.activities import ActivityFilter, ActivityRow, ActivityService
from desktop.ui.widgets import Loader, fmt_money, fmt_number

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # "no parent": these are flat tables

PLACEHOLDER = "正在读取…"
WANTED = 8  # requests remembered; older ones were scrolled past
PLACEHOLDER_COLOR = QColor("#9aa5ad")
FLAG_COLOR = QColor("#fde2c8")  # 疑似异常: the title cell of an activity with an open flag
Marks = Callable[[Sequence[int]], dict[int, str]]


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
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


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


@dataclass(frozen=True)
class PageRead:
    """Where one page lies in SQL: offset and limit counted from the nearer end."""

    offset: int
    limit: int
    from_end: bool


def page_read(page: int, size: int, count: int) -> PageRead:
    """Read a page from whichever end of the order is nearer (an OFFSET costs what it skips)."""
    offset = page * size
    limit = max(0, min(size, count - offset))
    back = count - offset - limit
    return PageRead(back, limit, True) if back < offset else PageRead(offset, limit, False)


class ActivityTableModel(QAbstractTableModel):
    PAGE = 200
    CACHE_PAGES = 24  # at most this many pages held, besides the selected row's
    loaded = Signal()  # count (and the first or the shown pages) for the current filter are in
    page_loaded = Signal(int, int)  # first and last row of a page that has just arrived
    failed = Signal(str)

    def __init__(
        self,
        activities: ActivityService,
        page_size: int = PAGE,
        parent: QObject | None = None,
        cache_pages: int = CACHE_PAGES,
        marks: Marks | None = None,
    ) -> None:
        super().__init__(parent)
        self._marks_of = marks  # activity id → why it looks wrong (FlagService.activity_marks)
        self._marks: dict[int, str] = {}
        self.loader = Loader(self)  # count and the pages that come with it
        self.pager = Loader(self)  # one page at a time, as the view asks for them
        self._service = activities
        self._page = page_size
        self._cache_pages = max(4, cache_pages)  # the view's own pages must always fit
        self._filter = ActivityFilter()
        self._sort_key = "start_date"
        self._descending = True
        self._count = 0
        self._pages: OrderedDict[int, list[ActivityRow]] = OrderedDict()  # oldest shown first
        self._wanted: OrderedDict[int, None] = OrderedDict()  # newest request last
        self._broken: set[int] = set()  # pages that failed: not asked for again until a reload
        self._window: tuple[int, int] | None = None  # rows the view shows, when it says
        self._kept_row: int | None = None  # the selected row: its page is never forgotten
        # Bumped on every reload, so a page read for an older filter, sort or
        # count is dropped; pages are not asked for while a reload is on its way.
        self._epoch = 0
        self._reloading = False
        self._reading: int | None = None  # the page being read for this epoch
        self.kept_place = False  # whether the last reload kept the view's place
        self._dispatch = QTimer(self)  # gathers one paint's requests into one decision
        self._dispatch.setSingleShot(True)
        self._dispatch.setInterval(0)
        self._dispatch.timeout.connect(self._read_next)

    # --- what the page asks -------------------------------------------------

    @property
    def filter(self) -> ActivityFilter:
        return replace(self._filter)

    @property
    def total(self) -> int:
        """Rows matching the filter (not only those read so far)."""
        return self._count

    @property
    def sort_key(self) -> str:
        return self._sort_key

    @property
    def page_size(self) -> int:
        return self._page

    @property
    def cached_pages(self) -> list[int]:
        """The pages held now, least recently shown first."""
        return list(self._pages)

    @property
    def cache_limit(self) -> int:
        """The most pages ever held: the cache's bound and the selected row's page."""
        return self._cache_pages + 1

    def set_filter(self, flt: ActivityFilter) -> None:
        """A new filter starts at the top; the same one again is a refresh that keeps the place."""
        same = flt == self._filter
        self._filter = replace(flt)
        self.reload(keep_place=same)

    def reload(self, keep_place: bool = True) -> None:
        """Count again and read the pages to show (after a filter, sort or data change).

        Keeping the place reads the pages the view shows now along with the
        count, so a refresh after an edit deep in the ledger replaces its
        rows at once instead of blanking them; otherwise the first page.
        """
        if self._reloading and not self.kept_place:
            keep_place = False  # it replaces a reload that was starting at the top
        self._epoch += 1
        self._reloading = True
        self.kept_place = keep_place
        self._reading = None
        self._wanted.clear()
        pages = self._shown_pages() if keep_place else [0]
        flt, key, descending, size = (
            replace(self._filter),
            self._sort_key,
            self._descending,
            self._page,
        )

        def job() -> tuple[int, dict[int, list[ActivityRow]], dict[int, str]]:
            count = self._service.count(flt)
            read: dict[int, list[ActivityRow]] = {}
            for page in pages:
                where = page_read(page, size, count)
                if where.limit:
                    read[page] = self._service.rows(
                        flt, where.offset, where.limit, key, descending, where.from_end
                    )
            return count, read, self._marks_for([r for rows in read.values() for r in rows])

        self.loader.run(job, self._apply, self._reload_failed)

    def _shown_pages(self) -> list[int]:
        if self._window is not None:
            first, last = self._window
            return list(range(first // self._page, last // self._page + 1))
        return list(self._pages)[-2:] or [0]

    def _marks_for(self, rows: list[ActivityRow]) -> dict[int, str]:
        """Off the GUI thread, with the page it marks."""
        return self._marks_of([r.id for r in rows]) if self._marks_of and rows else {}

    def mark(self, activity_id: int) -> str | None:
        return self._marks.get(activity_id)

    def _apply(self, result: tuple[int, dict[int, list[ActivityRow]], dict[int, str]]) -> None:
        self.beginResetModel()
        self._count, read, self._marks = result
        self._pages = OrderedDict(sorted(read.items()))
        self._broken.clear()
        self._wanted.clear()
        self._kept_row = None  # a reset clears the selection; the page selects again
        self._reloading = False
        self.endResetModel()
        self.loaded.emit()

    def _reload_failed(self, exc: BaseException) -> None:
        self._reloading = False
        self.failed.emit(str(exc))

    def activity_id(self, row: int) -> int | None:
        """The activity on this row, or None while its page is still on its way."""
        found = self.row_data(row)
        return None if found is None else found.id

    def row_of(self, activity_id: int) -> int | None:
        """The row of an activity among the pages held now (those near the view)."""
        for page, rows in self._pages.items():
            for i, r in enumerate(rows):
                if r.id == activity_id:
                    return page * self._page + i
        return None

    def row_data(self, row: int) -> ActivityRow | None:
        page, i = divmod(row, self._page)
        rows = self._pages.get(page)
        return rows[i] if rows is not None and i < len(rows) else None

    def keep_row(self, row: int | None) -> None:
        """Hold this row's page however far the view scrolls away (the selected row's)."""
        self._kept_row = row

    def set_window(self, first: int, last: int) -> None:
        """The rows the view shows now: requests for pages far from them are dropped.

        The page past a near edge of the window is asked for too, so rows
        are usually there before the user scrolls onto them.
        """
        if self._count == 0 or first < 0:
            self._window = None
            return
        last = min(max(first, last), self._count - 1)
        self._window = (first, last)
        margin = self._page // 4
        shown = range(first // self._page, last // self._page + 1)
        near = {
            max(0, first - margin) // self._page,
            min(self._count - 1, last + margin) // self._page,
        }
        for page in sorted(near - set(shown)) + list(shown):  # the shown asked last: read first
            self._want(page)

    # --- reading pages ------------------------------------------------------

    def _want(self, page: int) -> None:
        if page in self._pages or page in self._broken:
            return
        self._wanted[page] = None
        self._wanted.move_to_end(page)
        while len(self._wanted) > WANTED:
            self._wanted.popitem(last=False)
        if not self._dispatch.isActive():
            self._dispatch.start()

    def _near_window(self, page: int) -> bool:
        """Whether the page lies within a page's height of the rows shown."""
        if self._window is None:
            return True
        first, last = self._window
        top = page * self._page
        return first - self._page < top + self._page and top <= last + self._page

    def _read_next(self) -> None:
        if self._reloading or self._reading is not None:
            return
        while self._wanted:
            page, _ = self._wanted.popitem(last=True)  # the newest request first
            if page in self._pages or page in self._broken or not self._near_window(page):
                continue
            where = page_read(page, self._page, self._count)
            if not where.limit:
                continue
            self._start(page, where)
            return

    def _start(self, page: int, where: PageRead) -> None:
        epoch = self._epoch
        flt, key, descending = replace(self._filter), self._sort_key, self._descending
        self._reading = page

        def job() -> tuple[list[ActivityRow], dict[int, str]]:
            rows = self._service.rows(
                flt, where.offset, where.limit, key, descending, where.from_end
            )
            return rows, self._marks_for(rows)

        self.pager.run(
            job,
            lambda read: self._arrived(epoch, page, *read),
            lambda exc: self._page_failed(epoch, page, exc),
        )

    def _arrived(
        self, epoch: int, page: int, rows: list[ActivityRow], marks: dict[int, str]
    ) -> None:
        if epoch != self._epoch:
            return
        self._marks.update(marks)
        self._reading = None
        self._pages[page] = rows
        self._forget()
        first = page * self._page
        last = min(first + self._page, self._count) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.page_loaded.emit(first, last)
        self._read_next()

    def _forget(self) -> None:
        """Drop the least recently shown pages beyond the bound; the kept row's page stays."""
        kept = None if self._kept_row is None else self._kept_row // self._page
        excess = len(self._pages) - (kept in self._pages) - self._cache_pages
        for page in list(self._pages):
            if excess <= 0:
                break
            if page != kept:
                del self._pages[page]
                excess -= 1

    def _page_failed(self, epoch: int, page: int, exc: BaseException) -> None:
        if epoch != self._epoch:
            return
        self._reading = None
        self._broken.add(page)
        self.failed.emit(str(exc))
        self._read_next()

    # --- Qt model interface -------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section].numeric:
            return RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if COLUMNS[column].numeric else None
        page, i = divmod(index.row(), self._page)
        rows = self._pages.get(page)
        if rows is None:
            return self._placeholder(page, column, role)
        self._pages.move_to_end(page)
        if i >= len(rows):  # the ledger shrank under a stale count: blank until the refresh
            return None
        row = rows[i]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, column)
        mark = self._marks.get(row.id) if column == 1 else None
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 3):
            if mark:
                return f"{row.title}\n疑似异常：{mark}"
            return row.title if column == 1 else row.unit_name
        if role == Qt.ItemDataRole.BackgroundRole and mark:
            return FLAG_COLOR
        return None

    def _placeholder(self, page: int, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if not self._reloading:
                self._want(page)
            return PLACEHOLDER if column == 1 else ""
        if role == Qt.ItemDataRole.ForegroundRole:
            return PLACEHOLDER_COLOR
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by the column's service sort key, starting again at the top."""
        if not 0 <= column < len(COLUMNS):
            return
        key, descending = COLUMNS[column].sort_key, order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort_key, self._descending):
            return  # the view announcing the order already in force
        self._sort_key, self._descending = key, descending
        self.reload(keep_place=False)
