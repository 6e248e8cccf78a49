"""No test may ever wait for a click.

Every call that would open a blocking dialog — the QMessageBox static
functions, QDialog.exec and its subclasses', the QFileDialog and
QInputDialog getters — goes through `ModalGuard`. A test that did not say
what it answers fails at once, naming the dialog's title and text, instead
of hanging the run until CI's time runs out.

A test says what it answers in one of two ways:
- `answer.next("确定")` (tests/ui/conftest.py) lets the next real message box
  open and clicks the named button once it is shown;
- `permit_next()` (or `modals.permit()`) lets the next dialog really open,
  for a helper that finds it on screen and acts on it;
- `modals.reply(result)` makes the next guarded call return `result`
  directly (a file name for a file dialog, a button for a message box, a
  dialog code for exec).
A test may also replace one of these functions with monkeypatch; its own
replacement then wins for that test.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox

_PASS = object()  # a permit: let the real dialog open (someone will click it)

_STATIC_BOXES = ("warning", "critical", "information", "question", "about")
_FILE_GETTERS = (
    "getOpenFileName",
    "getOpenFileNames",
    "getSaveFileName",
    "getExistingDirectory",
    "getOpenFileUrl",
    "getSaveFileUrl",
)
_INPUT_GETTERS = ("getText", "getInt", "getDouble", "getItem", "getMultiLineText")
_EXEC_CLASSES = (QDialog, QMessageBox, QFileDialog, QInputDialog, QPrintDialog, QPrintPreviewDialog)


_active: ModalGuard | None = None


def permit_next() -> None:
    """Let the next guarded dialog of the running test really open."""
    assert _active is not None, "the modal guard is installed by the autouse fixture"
    _active.permit()


def when_shown(cls: type, act: Callable[[Any], None]) -> None:
    """Let the next dialog open and run `act(dialog)` once one of class `cls` is on screen."""
    permit_next()

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, cls) and widget.isVisible():
                act(widget)
                return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def _end_open_dialogs() -> None:
    """A dialog the test let open waits in its own loop: end it, or the run would hang there."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            QDialog.done(widget, 0)


class UnansweredDialog(AssertionError):
    """A dialog opened that the test had not said how to answer."""


def _describe(args: tuple[Any, ...]) -> str:
    """Title and text of a static call: (parent, title, text, ...)."""
    words = [str(a) for a in args[1:3] if isinstance(a, str)]
    return "：".join(words) or "（无标题）"


def _describe_dialog(dialog: QDialog) -> str:
    parts = [dialog.windowTitle() or type(dialog).__name__]
    if isinstance(dialog, QMessageBox):
        parts.append(dialog.text())
    return "：".join(p for p in parts if p)


@dataclass
class ModalGuard:
    """Answers queued by the test, in order; what was shown, for assertions."""

    replies: deque[Any] = field(default_factory=deque)
    shown: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)

    def reply(self, result: Any) -> None:
        """The next guarded dialog returns `result` without opening."""
        self.replies.append(result)

    def permit(self) -> None:
        """The next guarded dialog really opens; the caller will click it."""
        self.replies.append(_PASS)

    def _take(self, what: str) -> Any:
        self.shown.append(what)
        if not self.replies:
            self.unanswered.append(what)
            _end_open_dialogs()
            raise UnansweredDialog(f"测试未应答的对话框：{what}")
        return self.replies.popleft()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        global _active
        _active = self
        for name in _STATIC_BOXES:
            monkeypatch.setattr(QMessageBox, name, self._static(getattr(QMessageBox, name)))
        for name in _FILE_GETTERS:
            monkeypatch.setattr(QFileDialog, name, self._static(getattr(QFileDialog, name)))
        for name in _INPUT_GETTERS:
            monkeypatch.setattr(QInputDialog, name, self._static(getattr(QInputDialog, name)))
        for cls in _EXEC_CLASSES:
            if "exec" in vars(cls):
                monkeypatch.setattr(cls, "exec", self._exec(vars(cls)["exec"]))

    def _static(self, original: Any) -> Any:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            result = self._take(_describe(args))
            return original(*args, **kwargs) if result is _PASS else result

        return staticmethod(guarded)

    def _exec(self, original: Any) -> Any:
        def guarded(dialog: QDialog) -> Any:
            result = self._take(_describe_dialog(dialog))
            return original(dialog) if result is _PASS else result

        return guarded
