"""Plan edits that recorded data depends on: refused, explained, and repeated once agreed.

The plan-editing service refuses to remove what activities or entries
depend on with a DependentsError saying what would be lost; the screens ask
the user with that message and, on 是, repeat the call with confirm=True.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.errors import ServiceError
from desktop.services.editing_rules import DependentsError


def agreed(parent: QWidget, title: str, question: str) -> bool:
    """The user's 是 to a question about removing something; 否 is the default."""
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def call_confirming(parent: QWidget, action: Callable[..., Any], title: str) -> Any:
    """`action()`, or after a dependents refusal and the user's 是, `action(confirm=True)`.

    Any refusal is shown in a message box; the result is None when nothing was done.
    """
    try:
        return action()
    except DependentsError as exc:
        if agreed(parent, title, str(exc)):
            try:
                return action(confirm=True)
            except ServiceError as again:
                QMessageBox.warning(parent, title, str(again))
    except ServiceError as exc:
        QMessageBox.warning(parent, title, str(exc))
    return None
