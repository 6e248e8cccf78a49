"""数据安全: the audit trail, period locks and backups — where the office proves its records."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.models import AuditRecord
from desktop.services import Services
from desktop.services.periods import parse_period
from desktop.services.safety import (
    ACTION_LABELS,
    ENTITY_LABELS,
    FIELD_LABELS,
    AuditFilter,
    AuditLogService,
)
from desktop.ui.widgets import DebouncedLineEdit, page_title

Index = QModelIndex | QPersistentModelIndex
AUDIT_HEADERS = ["时间", "操作人", "操作", "对象", "内容"]


class AuditTableModel(QAbstractTableModel):
    """The audit trail, newest first, fetched a page at a time."""

    PAGE = 200

    def __init__(self, service: AuditLogService) -> None:
        super().__init__()
        self._service = service
        self._filter = AuditFilter()
        self._rows: list[AuditRecord] = []
        self._count = 0

    def set_filter(self, flt: AuditFilter) -> None:
        self.beginResetModel()
        self._filter = flt
        self._count = self._service.count(flt)
        self._rows = self._service.rows(flt, 0, self.PAGE)
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._count

    def record(self, row: int) -> AuditRecord:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AUDIT_HEADERS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._count

    def fetchMore(self, parent: Index) -> None:
        more = self._service.rows(self._filter, len(self._rows), self.PAGE)
        if not more:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return AUDIT_HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        rec = self._rows[index.row()]
        return [
            rec.at.strftime("%Y-%m-%d %H:%M:%S"),
            rec.user,
            ACTION_LABELS.get(rec.action, rec.action),
            ENTITY_LABELS.get(rec.entity, rec.entity),
            rec.summary,
        ][index.column()]


def describe_changes(rec: AuditRecord) -> str:
    """The record in words: each changed field as 旧值 → 新值, and the reason."""
    lines = [f"{rec.at:%Y-%m-%d %H:%M:%S}  {rec.user}  {rec.summary}"]
    for field, values in (rec.changes or {}).items():
        old, new = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
        lines.append(
            f"  {FIELD_LABELS.get(field, field)}：{'（空）' if old in (None, '') else old} → {'（空）' if new in (None, '') else new}"
        )
    if rec.reason:
        lines.append(f"原因：{rec.reason}")
    return "\n".join(lines)


class AuditTab(QWidget):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.model = AuditTableModel(services.audit_log)
        self.entity = QComboBox()
        self.entity.addItem("全部对象", None)
        for key, label in ENTITY_LABELS.items():
            self.entity.addItem(label, key)
        self.action = QComboBox()
        self.action.addItem("全部操作", None)
        for key, label in ACTION_LABELS.items():
            self.action.addItem(label, key)
        self.search = DebouncedLineEdit()
        self.search.setPlaceholderText("搜索内容或操作人")
        self.search.setMinimumWidth(220)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        for w in (QLabel("对象"), self.entity, QLabel("操作"), self.action, self.search):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("选择一条记录，查看改动前后的数值")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([500, 160])

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.entity.currentIndexChanged.connect(self.refresh)
        self.action.currentIndexChanged.connect(self.refresh)
        self.search.settled.connect(lambda _text: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)

    def refresh(self) -> None:
        self.model.set_filter(
            AuditFilter(
                entity=self.entity.currentData(),
                action=self.action.currentData(),
                text=self.search.text(),
            )
        )
        self.count_label.setText(f"共 {self.model.total:,} 条记录")
        self.detail.clear()

    def _show_detail(self, current: QModelIndex) -> None:
        if current.isValid():
            self.detail.setPlainText(describe_changes(self.model.record(current.row())))


def _record_table(headers: list[str]) -> QTableWidget:
    """The locks and backups lists: read-only rows, columns as wide as their text, the last filling."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class LocksTab(QWidget):
    HEADERS = ["统计期", "状态", "锁定时间", "锁定人", "解锁时间", "解锁人", "解锁原因"]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.table = _record_table(self.HEADERS)
        self.lock_button = QPushButton("锁定统计期…")
        self.unlock_button = QPushButton("解锁所选…")
        note = QLabel("已报送的统计期锁定后，其活动和填报数据只读；解锁须填写原因并记入操作记录。")
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.lock_button)
        buttons.addWidget(self.unlock_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.lock_button.clicked.connect(self.ask_lock)
        self.unlock_button.clicked.connect(self.ask_unlock)

    def refresh(self) -> None:
        locks = self.services.locks.history()
        self.table.setRowCount(len(locks))
        for r, lock in enumerate(locks):
            active = lock.unlocked_at is None
            values = [
                parse_period(lock.period).label,
                "已锁定" if active else "已解锁",
                f"{lock.locked_at:%Y-%m-%d %H:%M}",
                lock.locked_by,
                f"{lock.unlocked_at:%Y-%m-%d %H:%M}" if lock.unlocked_at else "",
                lock.unlocked_by or "",
                lock.unlock_reason or "",
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, lock.period if active else None)
                self.table.setItem(r, c, item)

    def ask_lock(self) -> None:
        code, ok = QInputDialog.getText(self, "锁定统计期", "统计期（如 2024、2024Q3 或 202407）：")
        if ok and code.strip():
            self.lock(code.strip())

    def lock(self, code: str) -> bool:
        try:
            self.services.locks.lock(code)
        except ServiceError as exc:
            QMessageBox.warning(self, "锁定统计期", str(exc))
            return False
        self.refresh()
        return True

    def ask_unlock(self) -> None:
        row = self.table.currentRow()
        period = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) if row >= 0 else None
        if not period:
            QMessageBox.information(self, "解锁统计期", "请先选择一个处于锁定状态的统计期。")
            return
        reason, ok = QInputDialog.getText(
            self, "解锁统计期", f"解锁 {parse_period(period).label} 的原因："
        )
        if ok:
            self.unlock(period, reason)

    def unlock(self, period: str, reason: str) -> bool:
        try:
            self.services.locks.unlock(period, reason)
        except ServiceError as exc:
            QMessageBox.warning(self, "解锁统计期", str(exc))
            return False
        self.refresh()
        return True


class BackupsTab(QWidget):
    HEADERS = ["备份时间", "类型", "大小", "文件"]
    LABELS = {
        "auto": "每日自动",
        "manual": "手动",
        "backup": "手动",
        "pre-restore": "恢复前",
        "pre-import": "导入前",
        "pre-plan-update": "方案更新前",
        "pre-plan-import": "方案导入前",
    }

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.table = _record_table(self.HEADERS)
        self.backup_button = QPushButton("立即备份")
        self.backup_elsewhere_button = QPushButton("备份到其他位置…")
        self.backup_elsewhere_button.setToolTip("例如备份到 U 盘或共享文件夹")
        self.restore_button = QPushButton("用所选备份恢复…")
        self.folder_button = QPushButton("打开备份文件夹")
        note = QLabel(
            "程序每天首次打开数据库时自动备份，升级数据库、批量导入前也会备份；恢复前会先把当前数据另存一份。"
            f"自动备份每类保留最近 {services.backups.automatic_kept} 份，“立即备份”所做的备份不会被自动删除。"
        )
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (
            self.backup_button,
            self.backup_elsewhere_button,
            self.restore_button,
            self.folder_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.backup_button.clicked.connect(lambda: self.backup_now())
        self.backup_elsewhere_button.clicked.connect(self.backup_elsewhere)
        self.restore_button.clicked.connect(self.ask_restore)
        self.folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(self.services.backups.folder()))
            )
        )
        self.setEnabled(services.backups.available)

    def refresh(self) -> None:
        if not self.services.backups.available:
            return
        files = self.services.backups.backups()
        self.table.setRowCount(len(files))
        for r, b in enumerate(files):
            values = [
                f"{b.created:%Y-%m-%d %H:%M:%S}",
                self.LABELS.get(
                    b.label, "升级前" if b.label.startswith("pre-migrate") else b.label
                ),
                f"{b.size / 1024 / 1024:,.1f} MB",
                b.path.name,
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, str(b.path))
                self.table.setItem(r, c, item)

    def backup_elsewhere(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择备份位置（如 U 盘）")
        if folder:
            self.backup_now(Path(folder))

    def backup_now(self, dest_dir: Path | None = None) -> None:
        try:
            path = self.services.backups.backup_now(dest_dir)
        except (ServiceError, OSError) as exc:
            QMessageBox.warning(self, "备份", f"备份失败：{exc}")
            return
        self.refresh()
        QMessageBox.information(self, "备份", f"已备份到：\n{path}")

    def ask_restore(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            QMessageBox.information(self, "恢复", "请先选择一个备份。")
            return
        path = Path(self.table.item(row, 0).data(Qt.ItemDataRole.UserRole))
        answer = QMessageBox.question(
            self,
            "恢复",
            f"用备份 {path.name} 覆盖当前数据？\n当前数据会先另存为一份“恢复前”备份。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(path)

    def restore(self, path: Path) -> bool:
        try:
            safety = self.services.backups.restore(path)
        except (ServiceError, OSError) as exc:
            QMessageBox.warning(self, "恢复", f"恢复失败：{exc}")
            return False
        self.refresh()
        window = self.window()
        refresh_all = getattr(window, "refresh_all", None)
        if refresh_all is not None:
            refresh_all()
        QMessageBox.information(self, "恢复", f"已恢复。恢复前的数据已另存为：\n{safety.name}")
        return True


class SafetyPage(QWidget):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.tabs = QTabWidget()
        self.audit = AuditTab(services)
        self.locks = LocksTab(services)
        self.backups = BackupsTab(services)
        self.tabs.addTab(self.audit, "操作记录")
        self.tabs.addTab(self.locks, "统计期锁定")
        self.tabs.addTab(self.backups, "备份与恢复")
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("数据安全"))
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())

    def refresh(self) -> None:
        tab = self.tabs.currentWidget()
        tab.refresh()  # type: ignore[attr-defined]
