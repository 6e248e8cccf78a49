"""责任单位与别名: the unit list with the other spellings imports recognise each unit by.

Rename a unit (the old name stays as an alias), add or remove an alias,
remove a unit nothing depends on — or, once the user agrees, one that a
plan's sections or tasks still name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.services import Services
from desktop.ui.confirm import call_confirming


class UnitsDialog(QDialog):
    """The unit list with aliases: rename, add or remove an alias, remove a unused unit."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("责任单位与别名")
        self.resize(640, 460)
        layout = QHBoxLayout(self)
        self.units = QListWidget()
        self.units.currentRowChanged.connect(self._show_unit)
        layout.addWidget(self.units, 1)
        right = QVBoxLayout()
        self.name_label = QLabel()
        self.name_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        right.addWidget(self.name_label)
        contact_row = QHBoxLayout()
        contact_row.addWidget(QLabel("联系人"))
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("催报时联系的人和电话，如：李明 13800000000")
        contact_row.addWidget(self.contact, 1)
        save_contact = QPushButton("保存联系人")
        save_contact.clicked.connect(self.save_contact)
        contact_row.addWidget(save_contact)
        right.addLayout(contact_row)
        right.addWidget(QLabel("别名（其他文件中的写法，导入时据此识别为同一单位）："))
        self.aliases = QListWidget()
        self.aliases.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        right.addWidget(self.aliases, 1)
        row = QHBoxLayout()
        for text, slot in [
            ("新增单位", self.add_unit),
            ("改名", self.rename),
            ("添加别名", self.add_alias),
            ("删除别名", self.remove_alias),
            ("删除单位", self.remove_unit),
        ]:
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        right.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        right.addWidget(close)
        layout.addLayout(right, 2)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        current = select_id or self.current_id()
        self._all = self.services.reference.units()
        self.units.blockSignals(True)
        self.units.clear()
        for unit in self._all:
            item = QListWidgetItem(unit.name)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            self.units.addItem(item)
            if unit.id == current:
                self.units.setCurrentItem(item)
        self.units.blockSignals(False)
        if self.units.currentRow() < 0 and self.units.count():
            self.units.setCurrentRow(0)
        self._show_unit()

    def current_id(self) -> int | None:
        item = self.units.currentItem() if hasattr(self, "units") else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _show_unit(self) -> None:
        unit_id = self.current_id()
        self.aliases.clear()
        unit = next((u for u in getattr(self, "_all", []) if u.id == unit_id), None)
        self.name_label.setText(unit.name if unit else "")
        self.contact.setText((unit.contact or "") if unit else "")
        if unit is not None:
            aliases = self.services.plan_editor.unit_aliases(unit.id)
            self.aliases.addItems(aliases)

    def _run(self, action: Callable[[], Any], select_id: int | None = None) -> bool:
        try:
            result = action()
        except ServiceError as exc:
            QMessageBox.warning(self, "责任单位", str(exc))
            return False
        self.refresh(select_id or (result if isinstance(result, int) else None))
        return True

    def add_unit(self) -> None:
        name, ok = QInputDialog.getText(self, "新增单位", "单位名称：")
        if ok and name.strip():
            self._run(lambda: self.services.plan_editor.add_unit(name))

    def save_contact(self) -> None:
        unit_id = self.current_id()
        if unit_id is not None:
            contact = self.contact.text()
            self._run(lambda: self.services.plan_editor.set_contact(unit_id, contact), unit_id)

    def rename(self) -> None:
        unit_id = self.current_id()
        if unit_id is None:
            return
        old = self.units.currentItem().text()
        name, ok = QInputDialog.getText(
            self, "单位改名", "新名称（原名称将保留为别名）：", text=old
        )
        if ok and name.strip() and name.strip() != old:
            self._run(lambda: self.services.plan_editor.rename_unit(unit_id, name), unit_id)

    def add_alias(self) -> None:
        unit_id = self.current_id()
        if unit_id is None:
            return
        alias, ok = QInputDialog.getText(self, "添加别名", "别名：")
        if ok and alias.strip():
            self._run(lambda: self.services.plan_editor.add_alias(unit_id, alias), unit_id)

    def remove_alias(self) -> None:
        unit_id = self.current_id()
        item = self.aliases.currentItem()
        if unit_id is None or item is None:
            return
        alias = item.text()
        self._run(lambda: self.services.plan_editor.remove_alias(unit_id, alias), unit_id)

    def remove_unit(self) -> None:
        unit_id = self.current_id()
        if unit_id is None:
            return
        editor = self.services.plan_editor
        call_confirming(
            self,
            lambda confirm=False: editor.remove_unit(unit_id, confirm=confirm),
            "删除单位",
        )
        self.refresh()
