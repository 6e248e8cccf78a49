"""Small widgets and formatters shared by the pages and dialogs.

Kept here so every screen shows numbers, statuses and periods the same way:
a clerk who learns to read a completion bar on one page can read it on all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPen, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.events import later
from desktop.ui.theme import STATUS_BACKGROUNDS, STATUS_COLOURS
from desktop.ui.workers import Task

if TYPE_CHECKING:
    from desktop.models import Plan
    from desktop.services.periods import Period

# Item-data roles the delegates read.
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
COMPLETION_ROLE = Qt.ItemDataRole.UserRole + 2
EXPECTED_ROLE = Qt.ItemDataRole.UserRole + 3
SORT_ROLE = Qt.ItemDataRole.UserRole + 4
KEY_ROLE = Qt.ItemDataRole.UserRole + 5

DASH = "—"
ACCENT = "#1565c0"
MUTED = "#607d8b"


def fmt_number(value: float | None, decimals: int = 1) -> str:
    """Thousands separators; whole numbers without decimals; None as a dash."""
    if value is None:
        return DASH
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.{decimals}f}"


def fmt_money(yuan: float) -> str:
    return f"{yuan:,.2f}"


def fmt_pct(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}%"


def ui_font(point_delta: float = 0, bold: bool = False) -> QFont:
    """The application's (CJK-capable) font, resized; QtCharts needs it set explicitly."""
    font = QFont(QApplication.font())
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(max(6.0, size + point_delta))
    font.setBold(bold)
    return font


# Room left for the window frame and title bar, which resize() does not include.
FRAME_ALLOWANCE = (16, 40)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to (width, height), but no larger than the screen's free area.

    A 1366×768 laptop has about 1366×728 above the taskbar: a dialog made
    taller than that opens with its 保存/取消 buttons under the taskbar.
    """
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width = min(width, free.width() - FRAME_ALLOWANCE[0])
        height = min(height, free.height() - FRAME_ALLOWANCE[1])
    widget.resize(width, height)


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setFont(ui_font(5, bold=True))
    label.setStyleSheet("color: #263238;")
    return label


def section_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setFont(ui_font(1.5, bold=True))
    label.setStyleSheet("color: #37474f; padding-top: 6px;")
    return label


def status_style(status: str) -> str:
    """A stylesheet for a small coloured status pill."""
    return (
        f"background: {STATUS_BACKGROUNDS[status].name()}; color: {STATUS_COLOURS[status].name()};"
        "border-radius: 9px; padding: 2px 10px; font-weight: bold;"
    )


class StatCard(QFrame):
    """One key figure: a caption, a big number and a note underneath."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statCard")
        self.setStyleSheet(
            "QFrame#statCard { background: white; border: 1px solid #dfe3e8; border-radius: 8px; }"
        )
        self.caption = QLabel(caption)
        self.caption.setStyleSheet(f"color: {MUTED};")
        self.value = QLabel(DASH)
        self.value.setFont(ui_font(9, bold=True))
        self.value.setStyleSheet(f"color: {ACCENT};")
        self.note = QLabel("")
        self.note.setStyleSheet(f"color: {MUTED};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)

    def set(self, value: str, note: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)


class CompletionBarDelegate(QStyledItemDelegate):
    """Completion % as a status-coloured bar with a tick at the expected progress."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        value = index.data(COMPLETION_ROLE)
        expected = index.data(EXPECTED_ROLE)
        status = index.data(STATUS_ROLE) or "no_data"
        rect = option.rect.adjusted(6, 0, -6, 0)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(opt.font)
        text_width = painter.fontMetrics().horizontalAdvance("1000.0%") + 6
        if value is None:
            painter.setPen(QColor(MUTED))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, DASH)
            painter.restore()
            return
        track = QRectF(rect.left(), rect.center().y() - 5, max(rect.width() - text_width, 20), 10)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e3e7eb"))
        painter.drawRoundedRect(track, 4, 4)
        filled = QRectF(track)
        filled.setWidth(track.width() * min(max(value, 0.0), 100.0) / 100)
        painter.setBrush(STATUS_COLOURS[status])
        painter.drawRoundedRect(filled, 4, 4)
        if expected is not None:
            x = track.left() + track.width() * min(max(expected, 0.0), 100.0) / 100
            painter.setPen(QPen(QColor("#263238"), 2))
            painter.drawLine(int(x), int(track.top()) - 3, int(x), int(track.bottom()) + 3)
        painter.setPen(QColor("#263238"))
        text_rect = rect.adjusted(int(track.width()) + 4, 0, 0, 0)
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, fmt_pct(value)
        )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(150, base.height())


class DebouncedLineEdit(QLineEdit):
    """A search box that reports its text once typing pauses, not on every key."""

    settled = Signal(str)

    def __init__(self, delay_ms: int = 350, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(lambda: self.settled.emit(self.text().strip()))
        self.textChanged.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self.flush)

    def clear_quietly(self) -> None:
        """Empty the box without reporting (the caller refilters once itself)."""
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        self._timer.stop()

    def flush(self) -> None:
        """Report now (Enter pressed, or a test that does not want to wait)."""
        self._timer.stop()
        self.settled.emit(self.text().strip())


_PARTS: list[tuple[str, str]] = [
    ("全年", ""),
    ("第一季度", "Q1"),
    ("第二季度", "Q2"),
    ("第三季度", "Q3"),
    ("第四季度", "Q4"),
] + [(f"{m}月", f"{m:02d}") for m in range(1, 13)]


def _parse_period(code: str) -> Period:
    """The domain's reading of a period code, loaded when first asked for.

    The main window's frame is built from this module before the data layer
    (SQLAlchemy, the models) has loaded; see desktop/ui/app.py.
    """
    from desktop.services.periods import parse_period

    return parse_period(code)


YearChoice = int | tuple[int, str]
"""A year for PeriodPicker.set_years: bare, or with its label (plan_years)."""


def plan_years(plans: Iterable[Plan]) -> list[tuple[int, str]]:
    """Every plan's years, oldest first, each labelled with its plan when there are several.

    After a rollover both periods stay open (the 2025 return is filed in
    2026), so a year choice spans them and says which plan serves each year:
    "2025年（2021—2025方案）". The data stays the int year.
    """
    plans = sorted(plans, key=lambda p: p.first_year)
    several = len(plans) > 1
    return [
        (y, f"{y}年（{p.first_year}—{p.last_year}方案）" if several else f"{y}年")
        for p in plans
        for y in range(p.first_year, p.last_year + 1)
    ]


def plan_of_year(plans: Iterable[Plan], year: int) -> Plan | None:
    """The plan whose years hold `year`."""
    return next((p for p in plans if p.first_year <= year <= p.last_year), None)


class PeriodPicker(QWidget):
    """A year (or 全部年份) with an optional quarter or month: the statistical period."""

    changed = Signal()

    def __init__(self, allow_all: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.allow_all = allow_all
        self.year = QComboBox()
        self.year.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # plan labels
        self.part = QComboBox()
        for label, code in _PARTS:
            self.part.addItem(label, code)
        self.part.setMaxVisibleItems(len(_PARTS))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.year)
        layout.addWidget(self.part)
        self.year.currentIndexChanged.connect(self._year_changed)
        self.part.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def set_years(self, years: Iterable[int | tuple[int, str]], current: int | None = None) -> None:
        """Fill the year list without emitting `changed`; select `current` (or 全部).

        A year may come with its label (plan_years); a bare year reads "2025年".
        """
        self.year.blockSignals(True)
        self.year.clear()
        if self.allow_all:
            self.year.addItem("全部年份", None)
        for item in years:
            y, label = item if isinstance(item, tuple) else (item, f"{item}年")
            self.year.addItem(label, y)
        index = self.year.findData(current) if current is not None else 0
        self.year.setCurrentIndex(max(index, 0))
        self.year.blockSignals(False)
        self.part.setEnabled(self.year.currentData() is not None)

    def set_plan_years(self, plans: Iterable[Plan], current: int | None = None) -> None:
        """Every plan's years (plan_years), each saying which plan it belongs to."""
        self.set_years(plan_years(plans), current)

    def set_period(self, code: str | None) -> None:
        """Select a period by its code (2024, 2024Q3, 202407) or 全部 for None."""
        self.blockSignals(True)
        if code is None:
            self.year.setCurrentIndex(0)
            self.part.setCurrentIndex(0)
        else:
            period = _parse_period(code)
            self.year.setCurrentIndex(max(self.year.findData(period.year), 0))
            suffix = code[4:].lstrip("-").upper()
            self.part.setCurrentIndex(max(self.part.findData(suffix), 0))
        self.blockSignals(False)
        self.part.setEnabled(self.year.currentData() is not None)
        self.changed.emit()

    def period(self) -> Period | None:
        year = self.year.currentData()
        if year is None:
            return None
        return _parse_period(f"{year}{self.part.currentData()}")

    def _year_changed(self, _index: int) -> None:
        self.part.setEnabled(self.year.currentData() is not None)
        self.changed.emit()


class CheckList(QWidget):
    """A searchable list of checkable items, optionally grouped (tasks by section)."""

    changed = Signal()

    def __init__(self, placeholder: str = "输入文字筛选…", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(12)
        self.summary = QLabel("未选择")
        self.summary.setStyleSheet(f"color: {MUTED};")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        self.search.textChanged.connect(self._filter)
        self.tree.itemChanged.connect(self._item_changed)

    def add_group(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setFont(0, ui_font(0, bold=True))
        item.setForeground(0, QColor("#37474f"))
        item.setExpanded(True)
        return item

    def add_item(
        self, key: int, text: str, group: QTreeWidgetItem | None = None, short: str = ""
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(group or self.tree, [text])
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsSelectable
        )
        item.setCheckState(0, Qt.CheckState.Unchecked)
        item.setData(0, KEY_ROLE, key)
        item.setData(0, SORT_ROLE, short or text)
        item.setToolTip(0, text)
        if group is not None:
            group.setExpanded(True)
        return item

    def _items(self) -> list[QTreeWidgetItem]:
        found = []
        it = QTreeWidgetItemIterator(self.tree)
        while it.value():
            item = it.value()
            if item.data(0, KEY_ROLE) is not None:
                found.append(item)
            it += 1
        return found

    def item_for(self, key: int) -> QTreeWidgetItem | None:
        return next((i for i in self._items() if i.data(0, KEY_ROLE) == key), None)

    def checked(self) -> list[int]:
        return [
            int(i.data(0, KEY_ROLE))
            for i in self._items()
            if i.checkState(0) == Qt.CheckState.Checked
        ]

    def set_checked(self, keys: Iterable[int]) -> None:
        wanted = set(keys)
        self.tree.blockSignals(True)
        for item in self._items():
            state = (
                Qt.CheckState.Checked
                if item.data(0, KEY_ROLE) in wanted
                else Qt.CheckState.Unchecked
            )
            item.setCheckState(0, state)
        self.tree.blockSignals(False)
        self._scroll_to_checked()
        self._item_changed()

    def _scroll_to_checked(self) -> None:
        first = next((i for i in self._items() if i.checkState(0) == Qt.CheckState.Checked), None)
        if first is not None:
            self.tree.scrollToItem(first, QAbstractItemView.ScrollHint.PositionAtCenter)

    def showEvent(self, event: QShowEvent) -> None:
        """Bring the first ticked item into view once the list has its real size."""
        super().showEvent(event)
        later(self, self._scroll_to_checked)

    def set_enabled_items(self, enabled: bool) -> None:
        self.tree.setEnabled(enabled)
        self.search.setEnabled(enabled)

    def _item_changed(self, *_args: object) -> None:
        names = [
            str(i.data(0, SORT_ROLE))
            for i in self._items()
            if i.checkState(0) == Qt.CheckState.Checked
        ]
        if not names:
            self.summary.setText("未选择")
        else:
            shown = "、".join(names[:6]) + ("……" if len(names) > 6 else "")
            self.summary.setText(f"已选 {len(names)} 项：{shown}")
        self.changed.emit()

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.childCount():
                group_hit = needle in top.text(0).lower()
                any_visible = False
                for j in range(top.childCount()):
                    child = top.child(j)
                    visible = not needle or group_hit or needle in child.text(0).lower()
                    child.setHidden(not visible)
                    any_visible |= visible
                top.setHidden(not any_visible)
            else:
                top.setHidden(bool(needle) and needle not in top.text(0).lower())


class Loader(QObject):
    """Runs read-only queries off the GUI thread; only the newest request is delivered.

    A page that recomputes progress over a million activities stays usable:
    it keeps showing the old figures until the new ones arrive, and a result
    that a later request has made stale is dropped.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._tasks: set[Task] = set()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def run(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self._generation += 1
        generation = self._generation
        task = Task(lambda _report: job(), self)

        def finish(handler: Callable[[Any], None], value: object) -> None:
            self._tasks.discard(task)
            if generation == self._generation:
                handler(value)

        task.done.connect(lambda result: finish(on_done, result))
        task.error.connect(lambda exc: finish(on_error, exc))
        self._tasks.add(task)
        task.start()
