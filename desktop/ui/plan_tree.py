"""The rows both plan trees draw: the 实施方案 page's and the draft editor's of 从文本识别.

A section is a filled, bold row; the units responsible for the whole
section hang under a grey group row; every row carries its key (what it is
and where) in ITEM_ROLE, so a tree can find the row again after a reload.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

ITEM_ROLE = Qt.ItemDataRole.UserRole
SECTION_FILL = QColor("#e3f2fd")
LEAD_COLOUR = QColor("#1565c0")
MUTED_COLOUR = QColor("#607d8b")


def section_row(tree: QTreeWidget, texts: list[str], key: tuple[Any, ...]) -> QTreeWidgetItem:
    item = QTreeWidgetItem(texts)
    item.setData(0, ITEM_ROLE, key)
    bold = QFont(tree.font())
    bold.setBold(True)
    for col in range(len(texts)):
        item.setBackground(col, QBrush(SECTION_FILL))
        item.setFont(col, bold)
    tree.addTopLevelItem(item)
    return item


def units_group_row(section: QTreeWidgetItem, count: int, key: tuple[Any, ...]) -> QTreeWidgetItem:
    """The grey row the section's own units hang under."""
    blanks = [""] * (section.columnCount() - 1)
    item = QTreeWidgetItem([f"行动/工程责任单位（{count} 个）", *blanks])
    item.setData(0, ITEM_ROLE, key)
    item.setForeground(0, QBrush(MUTED_COLOUR))
    section.addChild(item)
    return item


def selected_key(tree: QTreeWidget) -> Any:
    item = tree.currentItem()
    return item.data(0, ITEM_ROLE) if item is not None else None


def select_key(tree: QTreeWidget, key: tuple[Any, ...]) -> bool:
    """Make the row with this key current; False when no row has it."""

    def walk(item: QTreeWidgetItem) -> bool:
        if item.data(0, ITEM_ROLE) == key:
            tree.setCurrentItem(item)
            return True
        return any(walk(item.child(i)) for i in range(item.childCount()))

    return any(walk(tree.topLevelItem(i)) for i in range(tree.topLevelItemCount()))
