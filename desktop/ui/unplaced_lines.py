"""The lines of a pasted plan the parser could not place, listed beside the draft's tree.

A clerk checking a recognised draft cannot see what the parser skipped by
looking at what it found: a task folded into another, a unit line that named
nobody, a paragraph that belongs to no task. This list puts those lines in
front of them; double-clicking one finds it in the pasted text.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)


class UnplacedLines(QWidget):
    """A titled list of lines; hidden before a parse, one line saying 无 when empty."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemDoubleClicked.connect(lambda item: self.chosen.emit(item.text()))
        copy = QAction("复制", self.list)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selected)
        self.list.addAction(copy)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.list.setMinimumHeight(self.list.fontMetrics().lineSpacing() * 5 + 8)  # five lines
        layout.addWidget(self.list, 1)
        self.set_lines(None)

    def set_lines(self, lines: list[str] | None) -> None:
        """Show `lines`; None (nothing parsed yet) hides the whole list."""
        self.list.clear()
        self.setVisible(lines is not None)
        if not lines:
            self.title.setText("未能识别的内容：无")
            self.list.hide()
            return
        self.title.setText(
            f"<b style='color:#e65100'>未能识别的内容（{len(lines)} 行）</b>"
            "　双击一行，在左侧原文中选中它；右键可复制。"
        )
        for line in lines:
            item = QListWidgetItem(line)
            item.setToolTip(f"<p>{html.escape(line)}</p>")  # rich text wraps
            self.list.addItem(item)
        self.list.show()

    def lines(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def copy_selected(self) -> None:
        chosen = [item.text() for item in self.list.selectedItems()] or self.lines()
        QApplication.clipboard().setText("\n".join(chosen))
