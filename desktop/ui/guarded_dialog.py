"""Forms that never lose work: Esc, 取消 and the close button ask before discarding edits.

As in Qt's Application example (`maybeSave`): a dialog that knows whether
its fields changed asks 放弃修改？ with 保存 / 放弃 / 继续编辑, and 继续编辑
keeps the user where they were. QDialog routes Esc, a 取消 button wired to
reject() and the window's close button through reject(), so guarding
reject() guards them all. A close the program makes itself (close() from
code, not the user's click on the window's ×) is not asked about. The main
window asks its open forms the same before it closes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QLayout, QMessageBox, QWidget

from desktop.errors import ServiceError

_UNSET = object()


def ask_discard(parent: QWidget) -> QMessageBox.StandardButton:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "放弃修改？",
        "这张表里有尚未保存的修改。要保存吗？",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.button(QMessageBox.StandardButton.Save).setText("保存")
    box.button(QMessageBox.StandardButton.Discard).setText("放弃")
    box.button(QMessageBox.StandardButton.Cancel).setText("继续编辑")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return QMessageBox.StandardButton(box.exec())


class GuardedDialog(QDialog):
    """A dialog whose `snapshot()` changes with its fields; see the module docstring.

    The state when the dialog is first shown is its clean state; a subclass
    calls `mark_clean()` again after a save that keeps it open. Subclasses
    with fields override `snapshot()` and `save_changes() -> bool` (True when
    saved and closed). The layout may not squeeze the fields: the dialog grows to fit
    its messages instead.
    """

    _clean: Any = _UNSET
    _closing_from_code = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        if self.layout() is not None:
            self.layout().setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        if self._clean is _UNSET:
            self.mark_clean()
        super().showEvent(event)

    def snapshot(self) -> Any:
        """What the user could lose; a dialog that holds nothing to lose keeps this None."""
        return None

    def save_changes(self) -> bool:
        """Save what the fields hold and close; True when saved. Nothing to save: nothing done."""
        return False

    def mark_clean(self) -> None:
        self._clean = self._safe_snapshot()

    def _safe_snapshot(self) -> Any:
        try:
            return self.snapshot()
        except (ValueError, TypeError, ServiceError) as exc:  # a half-typed number, say
            return ("unreadable", str(exc))

    def is_dirty(self) -> bool:
        return self.isVisible() and self._safe_snapshot() != self._clean

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self._closing_from_code = not event.spontaneous()
        try:
            super().closeEvent(event)
        finally:
            self._closing_from_code = False

    def reject(self) -> None:
        if self._closing_from_code or not self.is_dirty():
            super().reject()
            return
        answer = ask_discard(self)
        if answer == QMessageBox.StandardButton.Save:
            self.save_changes()  # closes the form itself once saved; stays open on a refusal
        elif answer == QMessageBox.StandardButton.Discard:
            super().reject()
