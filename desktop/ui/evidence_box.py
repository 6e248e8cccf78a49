"""An activity's evidence files (佐证材料) in its dialog, changed only when the activity is saved.

Files added or removed here are kept pending and applied after the activity
itself is saved (`apply`), so the dialog's 取消 really cancels, and a new
activity can take its files before it has an id. The types the evidence
service refuses are refused here at once, with the same list.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.models import Evidence
from desktop.services import Services
from desktop.services.evidence import ALLOWED_SUFFIXES


class EvidenceBox(QGroupBox):
    """The stored files of one activity, with the additions and removals waiting for its save.

    `message(text)` asks the dialog to show a refusal (a type not allowed, a
    stored file gone from the disk) on its message line.
    """

    message = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__("佐证材料（照片、签到表、PDF 等，保存活动时一并保存）", parent)
        self.services = services
        self.stored: list[Evidence] = []
        self.pending_add: list[Path] = []
        self.pending_remove: set[int] = set()
        self.locked = False
        self.files = QListWidget()
        self.files.setMaximumHeight(70)
        self.files.itemDoubleClicked.connect(lambda _item: self.open_current())
        self.files.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.add_button = QPushButton("添加…")
        self.open_button = QPushButton("打开")
        self.remove_button = QPushButton("删除")
        self.add_button.clicked.connect(self._choose)
        self.open_button.clicked.connect(self.open_current)
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.files)
        layout.addLayout(buttons)

    def pending(self) -> tuple[list[Path], set[int]]:
        """What saving would change: files to add, stored ids to remove."""
        return list(self.pending_add), set(self.pending_remove)

    def show_stored(self, stored: Iterable[Evidence]) -> None:
        """The activity's files as stored; nothing pending any more."""
        self.stored = list(stored)
        self.refresh()

    def set_locked(self, locked: bool) -> None:
        """A locked activity's files can be opened, not added or removed."""
        self.locked = locked
        self.add_button.setEnabled(not locked)
        self._update_buttons()

    def refresh(self) -> None:
        self.files.clear()
        for ev in self.stored:
            if ev.id in self.pending_remove:
                continue
            item = QListWidgetItem(f"{ev.original_name}（{max(ev.size // 1024, 1):,} KB）")
            item.setData(Qt.ItemDataRole.UserRole, ("stored", ev.id))
            self.files.addItem(item)
        for path in self.pending_add:
            item = QListWidgetItem(f"{path.name}（待保存）")
            item.setData(Qt.ItemDataRole.UserRole, ("pending", str(path)))
            item.setForeground(Qt.GlobalColor.darkBlue)
            self.files.addItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.files.currentItem() is not None
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has and not self.locked)

    def _choose(self) -> None:
        patterns = " ".join(f"*{s}" for s in sorted(ALLOWED_SUFFIXES))
        files, _ = QFileDialog.getOpenFileNames(
            self, "选择佐证材料", "", f"佐证材料 ({patterns});;所有文件 (*)"
        )
        if files:
            self.add_files([Path(f) for f in files])

    def add_files(self, paths: list[Path]) -> None:
        """Queue files to be attached on save; refuse types the service would refuse."""
        refused = [p.name for p in paths if p.suffix.lower() not in ALLOWED_SUFFIXES]
        for p in paths:
            if p.suffix.lower() in ALLOWED_SUFFIXES and p not in self.pending_add:
                self.pending_add.append(p)
        self.refresh()
        self.files.setCurrentRow(self.files.count() - 1)
        if refused:
            self.message.emit(
                "不支持的佐证材料类型："
                + "、".join(refused)
                + "。请使用图片、PDF、Word、Excel 或视频文件。"
            )

    def _path(self, item: QListWidgetItem) -> Path:
        kind, key = item.data(Qt.ItemDataRole.UserRole)
        if kind == "pending":
            return Path(key)
        ev = next(e for e in self.stored if e.id == key)
        return self.services.evidence.path(ev)

    def open_current(self) -> None:
        item = self.files.currentItem()
        if item is None:
            return
        path = self._path(item)
        if not path.exists():
            self.message.emit(f"找不到文件：{path}")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def remove_current(self) -> None:
        item = self.files.currentItem()
        if item is None:
            return
        kind, key = item.data(Qt.ItemDataRole.UserRole)
        if kind == "pending":
            self.pending_add = [p for p in self.pending_add if str(p) != key]
        else:
            self.pending_remove.add(key)
        self.refresh()

    def apply(self, activity_id: int) -> list[str]:
        """Attach queued files and detach removed ones; return problems, in Chinese."""
        problems: list[str] = []
        for ev_id in sorted(self.pending_remove):
            try:
                self.services.evidence.remove(ev_id)
            except ServiceError as exc:
                problems.append(str(exc))
        kept: list[Path] = []
        for path in self.pending_add:
            try:
                self.services.evidence.add(activity_id, path)
            except (ServiceError, OSError) as exc:
                problems.append(f"{path.name}：{exc}")
                kept.append(path)
        self.pending_add = kept
        self.pending_remove = set()
        self.stored = self.services.evidence.list(activity_id)
        return problems
