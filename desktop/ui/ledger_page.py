"""活动台账: the filterable activity table, its totals, and add / edit / delete with undo."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.services import Services
from desktop.services.activities import ActivityFilter, ActivityRow, DeletedActivity, Totals
from desktop.services.flags import FlagService
from desktop.ui.activity_dialog import ActivityDialog, month_locked
from desktop.ui.activity_model import ActivityTableModel
from desktop.ui.questions import ask
from desktop.ui.widgets import (
    MUTED,
    DebouncedLineEdit,
    Loader,
    PeriodPicker,
    fmt_money,
    fmt_number,
    page_title,
    plan_years,
)

NOTICE_INFO = "background: #e3f2fd; color: #0d47a1; border: 1px solid #90caf9; border-radius: 4px;"
NOTICE_ERROR = "background: #ffebee; color: #b71c1c; border: 1px solid #ef9a9a; border-radius: 4px;"


def totals_text(count: int, t: Totals) -> str:
    """The line under the table: what the filtered rows add up to."""
    return (
        f"筛选结果 {fmt_number(count)} 条　·　场次 {fmt_number(t.sessions)}"
        f"　·　参加人次 {fmt_number(t.participants)}"
        f"　·　志愿者人次 {fmt_number(t.volunteers)}"
        f"　·　志愿服务 {fmt_number(t.volunteer_hours)} 小时"
        f"　·　经费 {fmt_money(t.funding_yuan)} 元"
    )


class NoticeBar(QFrame):
    """A one-line message above the totals, optionally with an action (撤销)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.action = QPushButton()
        self.action.setCursor(Qt.CursorShape.PointingHandCursor)
        self.close_button = QPushButton("×")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self._callback: object = None
        self.action.clicked.connect(self._act)
        self.hide()

    def show_message(
        self, text: str, error: bool = False, action: str = "", callback: object = None
    ) -> None:
        self.setStyleSheet(f"QFrame#notice {{ {NOTICE_ERROR if error else NOTICE_INFO} }}")
        self.label.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self._callback = callback
        self.show()

    def _act(self) -> None:
        callback = self._callback
        self._callback = None
        if callable(callback):
            callback()


class LedgerPage(QWidget):
    refreshed = Signal()  # rows and totals of the current filter are both on screen

    def __init__(
        self,
        services: Services,
        *,
        page_size: int = ActivityTableModel.PAGE,
        cache_pages: int = ActivityTableModel.CACHE_PAGES,
    ) -> None:
        super().__init__()
        self.services = services
        self.loader = Loader(self)
        self.totals: Totals | None = None
        self.model = ActivityTableModel(
            services.activities,
            page_size,
            parent=self,
            cache_pages=cache_pages,
            marks=FlagService(services.db).activity_marks,
        )
        self._pending: set[str] = set()
        self._select_after_load: int | None = None
        self.dialog: ActivityDialog | None = None
        self.last_deleted: DeletedActivity | None = None
        self._quiet = False
        self._build()
        self._fill_filters()
        self.apply_filters()

    # --- building -----------------------------------------------------------

    def _combo(self, min_chars: int = 8) -> QComboBox:
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(min_chars)
        combo.setMaxVisibleItems(20)
        combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        return combo

    def _build(self) -> None:
        self.new_button = QPushButton("＋ 新增活动")
        self.new_button.setStyleSheet(
            "QPushButton { background: #1565c0; color: white; padding: 5px 14px; border-radius: 4px; }"
            "QPushButton:hover { background: #0d47a1; }"
        )
        self.edit_button = QPushButton("修改")
        self.delete_button = QPushButton("删除")
        self.new_button.clicked.connect(self.add_activity)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        header = QHBoxLayout()
        header.addWidget(page_title("活动台账"))
        header.addStretch(1)
        header.addWidget(self.new_button)
        header.addWidget(self.edit_button)
        header.addWidget(self.delete_button)

        self.period = PeriodPicker(allow_all=True)
        self.period.changed.connect(self.apply_filters)
        self.unit = self._combo(9)
        self.type = self._combo(7)
        self.task = self._combo(12)
        self.task.view().setMinimumWidth(460)
        self.group = self._combo(5)
        self.place = self._combo(5)
        self.evidence = self._combo(4)
        self.search = DebouncedLineEdit()
        self.search.setPlaceholderText("搜索活动名称、简介")
        self.search.settled.connect(lambda _t: self.apply_filters())
        self.clear_button = QPushButton("清除筛选")
        self.clear_button.clicked.connect(self.clear_filters)

        bar = QFrame()
        bar.setObjectName("filterBar")
        bar.setStyleSheet(
            "QFrame#filterBar { background: #f7f9fa; border: 1px solid #e0e4e8; border-radius: 6px; }"
        )
        grid = QGridLayout(bar)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(8)
        cells: list[tuple[str, QWidget]] = [
            ("统计期", self.period),
            ("组织单位", self.unit),
            ("活动类型", self.type),
            ("方案任务", self.task),
            ("重点人群", self.group),
            ("地点", self.place),
            ("佐证材料", self.evidence),
            ("关键词", self.search),
        ]
        for i, (label, widget) in enumerate(cells):
            row, col = divmod(i, 4)
            caption = QLabel(label)
            caption.setStyleSheet(f"color: {MUTED};")
            grid.addWidget(caption, row, col * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row, col * 2 + 1)
        grid.addWidget(self.clear_button, 1, 8)
        for col in (1, 3, 5, 7):
            grid.setColumnStretch(col, 1)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        head = self.table.horizontalHeader()
        head.setHighlightSections(False)
        head.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        widths = [92, 0, 112, 124, 84, 80, 52, 86, 100, 52]
        for col, width in enumerate(widths):
            if width:
                self.table.setColumnWidth(col, width)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_moved())
        self.model.modelReset.connect(self._update_buttons)
        self.model.page_loaded.connect(lambda _first, _last: self._update_buttons())
        self.model.loaded.connect(self._rows_loaded)
        scroll = self.table.verticalScrollBar()
        scroll.valueChanged.connect(lambda _value: self._window_moved())
        scroll.rangeChanged.connect(lambda _low, _high: self._window_moved())
        self.model.failed.connect(lambda text: self.notice.show_message(text, error=True))

        self.notice = NoticeBar()
        self.totals_label = QLabel()
        self.totals_label.setStyleSheet(
            "background: #eceff1; color: #263238; padding: 7px 10px; border-radius: 4px;"
        )
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(bar)
        self.no_match = QLabel()
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.setStyleSheet("color: #607d8b; padding: 16px; font-size: 14px;")
        self.no_match.hide()
        layout.addWidget(self.table, 1)
        layout.addWidget(self.no_match)
        layout.addWidget(self.notice)
        layout.addWidget(self.totals_label)

        # Ctrl+N anywhere on the page; Delete and Enter only while the table has focus,
        # so editing the search box can never delete or open a row.
        shortcuts = [
            (QKeySequence.StandardKey.New, self, self.add_activity),
            (QKeySequence(Qt.Key.Key_Delete), self.table, self.delete_selected),
            (QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected),
        ]
        for keys, owner, slot in shortcuts:
            shortcut = QShortcut(keys, owner, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _refill(self, combo: QComboBox, items: list[tuple[str, object]], all_label: str) -> None:
        """Replace a combo's items, keeping the selection, without firing a refilter."""
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_label, None)
        for label, key in items:
            combo.addItem(label, key)
        combo.setCurrentIndex(max(combo.findData(current), 0) if current is not None else 0)
        combo.blockSignals(False)

    def _fill_filters(self) -> None:
        ref = self.services.reference
        has_plan = self.services.plans.has_active()
        plan = self.services.plans.active() if has_plan else None
        years = (
            plan_years(self.services.plans.plans())
            if plan
            else range(date.today().year, date.today().year + 1)
        )
        current = self.period.period()
        self.period.set_years(years, current.year if current else None)
        self._refill(self.unit, [(u.name, u.id) for u in ref.units()], "全部单位")
        self._refill(self.type, [(t.name, t.id) for t in ref.activity_types()], "全部类型")
        tasks = self.services.plans.tasks() if has_plan else []
        self._refill(self.task, [(f"{t.code} {t.title}", t.id) for t in tasks], "全部任务")
        self._refill(self.group, [(g.name, g.id) for g in ref.groups()], "全部人群")
        self._refill(self.place, [(p.name, p.id) for p in ref.places()], "全部地点")
        self._refill(self.evidence, [("有佐证材料", True), ("无佐证材料", False)], "不限")

    # --- filtering ----------------------------------------------------------

    def current_filter(self) -> ActivityFilter:
        period = self.period.period()
        return ActivityFilter(
            start=period.start if period else None,
            end=period.end if period else None,
            unit_id=self.unit.currentData(),
            type_id=self.type.currentData(),
            task_id=self.task.currentData(),
            group_id=self.group.currentData(),
            place_id=self.place.currentData(),
            has_evidence=self.evidence.currentData(),
            text=self.search.text().strip(),
        )

    def apply_filters(self) -> None:
        if self._quiet:
            return
        self.model.set_filter(self.current_filter())
        self._update_totals()

    def _reload(self, select: int | None = None) -> None:
        """Re-read rows and totals after a change; optionally select an activity then."""
        self._select_after_load = select
        self.model.reload()
        self._update_totals()

    def _rows_loaded(self) -> None:
        if not self.model.kept_place:
            self.table.scrollToTop()
        self._window_moved()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            # A reset forgets the keyboard's place; without one, Ctrl+End would only reach row 0.
            top = self.model.index(max(self.table.rowAt(0), 0), 0)
            self.table.selectionModel().setCurrentIndex(
                top, QItemSelectionModel.SelectionFlag.NoUpdate
            )
        if self._select_after_load is not None:
            self.select_activity(self._select_after_load)
            self._select_after_load = None
        self._part_done("rows")

    def _part_done(self, part: str) -> None:
        self._pending.discard(part)
        if not self._pending:
            self.refreshed.emit()

    def _update_totals(self) -> None:
        """Sum the filtered rows off the GUI thread: over a million rows it takes a while."""
        flt = self.model.filter
        self.totals = None
        self._pending.update(("rows", "totals"))
        self.totals_label.setText("正在统计……")
        self.loader.run(
            lambda: self.services.activities.totals(flt),
            self._show_totals,
            lambda exc: self.totals_label.setText(f"无法合计：{exc}"),
        )

    def _show_totals(self, totals: Totals) -> None:
        self.totals = totals
        self._rows_shown()
        self.totals_label.setText(totals_text(totals.activities, totals))
        self._part_done("totals")

    def clear_filters(self) -> None:
        self._quiet = True
        for combo in (self.unit, self.type, self.task, self.group, self.place, self.evidence):
            combo.setCurrentIndex(0)
        self.search.clear_quietly()
        self.period.set_period(None)
        self._quiet = False
        self.apply_filters()

    def refresh(self) -> None:
        """Reload lists and rows (the page was shown, or data changed elsewhere)."""
        self._fill_filters()
        self.apply_filters()

    # --- actions ------------------------------------------------------------

    def _window_moved(self) -> None:
        """Tell the model which rows are on screen: it reads those first and drops the rest."""
        first = self.table.rowAt(0)
        if first < 0:
            return
        last = self.table.rowAt(self.table.viewport().height() - 1)
        self.model.set_window(first, last if last >= 0 else self.model.rowCount() - 1)

    def _selection_moved(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.model.keep_row(rows[0].row() if rows else None)
        self._update_buttons()

    def selected_row(self) -> ActivityRow | None:
        """The selected activity's row, once its page has arrived (at once, mostly)."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_data(rows[0].row()) if rows else None

    def selected_id(self) -> int | None:
        row = self.selected_row()
        return None if row is None else row.id

    def _update_buttons(self) -> None:
        selected = self.selected_id() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    def _open_dialog(self, activity_id: int | None) -> ActivityDialog:
        if not self.services.plans.has_active():
            self.notice.show_message("还没有启用的实施方案，请先新建或导入方案。", error=True)
        self.dialog = ActivityDialog(self.services, activity_id, self)
        self.dialog.saved.connect(self._saved)
        self.dialog.open()
        return self.dialog

    def add_activity(self) -> ActivityDialog:
        return self._open_dialog(None)

    def edit_selected(self) -> ActivityDialog | None:
        activity_id = self.selected_id()
        return None if activity_id is None else self._open_dialog(activity_id)

    def _saved(self, activity_id: int) -> None:
        """A sign that it was saved, and the row selected once the table has it."""
        self._reload(select=activity_id)
        title = self.services.activities.get(activity_id).title
        self.notice.show_message(f"已保存：{title}")

    def _rows_shown(self) -> None:
        """A filter with no match says so instead of showing a blank table."""
        empty = self.totals is not None and self.totals.activities == 0
        filtered = self.current_filter() != ActivityFilter()
        self.no_match.setVisible(empty)
        self.no_match.setText(
            "没有符合筛选条件的活动。可点“清除筛选”查看全部。"
            if filtered
            else "台账中还没有活动，点“新增活动”录入第一条。"
        )

    def select_activity(self, activity_id: int) -> bool:
        row = self.model.row_of(activity_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        activity_id = row.id
        if month_locked(self.services, row.start_date):  # refuse before asking, not after
            self.notice.show_message(
                f"不能删除：{row.start_date.year}年已报送并锁定，不能修改其数据；"
                "如确需修改，请先解锁该统计期。",
                error=True,
            )
            return
        if not ask(
            self,
            QMessageBox.Icon.Warning,
            "删除活动",
            f"确定删除这条活动吗？\n\n{row.start_date.isoformat()}　{row.title}\n\n删除后可立即撤销。",
            yes="删除",
            no="取消",
        ):
            return
        try:
            deleted = self.services.activities.delete(activity_id)
        except ServiceError as exc:
            self.notice.show_message(f"不能删除：{exc}", error=True)
            return
        self.last_deleted = deleted
        self._reload()
        self.notice.show_message(
            f"已删除活动“{deleted.data.title}”。", action="撤销", callback=self.undo_delete
        )

    def undo_delete(self) -> None:
        deleted = self.last_deleted
        if deleted is None:
            return
        try:
            new_id = self.services.activities.restore(deleted)
        except ServiceError as exc:
            self.notice.show_message(f"无法撤销：{exc}", error=True)
            return
        self.last_deleted = None
        self._reload(select=new_id)
        self.notice.show_message(f"已恢复活动“{deleted.data.title}”。")
