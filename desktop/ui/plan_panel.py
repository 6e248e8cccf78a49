"""The look the 实施方案 page's two panels share: a titled box, its view, a row of buttons.

The tree of sections and the table of indicators sit side by side and
share the page's width, so their buttons are compact tool buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QToolButton, QVBoxLayout, QWidget


def tool_button(text: str, slot: Callable[[], Any]) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setMinimumHeight(28)
    button.clicked.connect(slot)
    return button


class PlanPanel(QGroupBox):
    changed = Signal()
    """The panel edited the plan: the page reloads it, so both panels show the change."""

    read_only = False
    """An ended plan (desktop/services/plan_guard.py): the panel offers no edit the service refuses."""

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Enable the buttons that fit the selection; none while read-only."""
        for button in self.buttons.values():
            button.setEnabled(not self.read_only)

    def lay_out(self, view: QWidget, buttons: dict[str, tuple[str, Callable[[], Any]]]) -> None:
        """The view above a row of `buttons` (key → label, slot), kept as `self.buttons`."""
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        row = QHBoxLayout()
        self.buttons = {key: tool_button(text, slot) for key, (text, slot) in buttons.items()}
        for button in self.buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
