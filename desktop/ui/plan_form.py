"""The form under every plan-part dialog: labelled fields, every problem at once, 保存 that saves.

Each dialog reads its fields into its own typed value (a SectionDoc, a
TaskDoc, a UnitLink, an IndicatorDoc, a PlanInfo) and hands it to a `save`
callback: the plan page passes one that calls the plan-editing service, the
draft editor one that changes the draft. When the callback refuses
(ServiceError), the message is shown in the dialog and the user's input
stays, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError, ValidationError
from desktop.ui.guarded_dialog import GuardedDialog

T = TypeVar("T")
W = TypeVar("W", bound=QWidget)


def combo(
    labels: dict[str, str], current: str | None = None, blank: str | None = None
) -> QComboBox:
    """A combo box showing labels and holding codes as item data."""
    box = QComboBox()
    if blank is not None:
        box.addItem(blank, None)
    for code, label in labels.items():
        box.addItem(label, code)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    return box


def parse_number(text: str, label: str, field: str) -> float | int | None:
    """A typed number (commas allowed) or None when blank."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationError(f"“{label}”应为数字，现为“{text}”。", field) from None
    return int(value) if value.is_integer() else value


def parse_year(text: str, label: str, field: str) -> int | None:
    year = parse_number(text, label, field)
    return int(year) if year is not None else None


def _on_edit(widget: QWidget, act: Any) -> None:
    """Run `act` once, the next time the user edits `widget`."""
    for name in ("textChanged", "valueChanged", "currentIndexChanged", "dateChanged", "toggled"):
        signal = getattr(widget, name, None)
        if signal is not None:
            signal.connect(act, Qt.ConnectionType.SingleShotConnection)
            return


class FormDialog(GuardedDialog, Generic[T]):
    """A form with an error line; 保存 calls `save(read())` and stays open on a refusal.

    `read` is the dialog's own reading of its fields (its `values` method),
    called only once the fields exist: at 保存 and when asking whether
    anything would be lost.
    """

    def __init__(
        self,
        title: str,
        read: Callable[[], T],
        save: Callable[[T], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._read = read
        self._save = save
        self.fields: dict[str, QWidget] = {}
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.body = QHBoxLayout()
        self.body.addLayout(self.form, 1)
        self.layout_.addLayout(self.body)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def add(self, label: str, field: str, widget: W) -> W:
        self.fields[field] = widget
        self.form.addRow(label, widget)
        return widget

    def show_problems(self, problems: list[tuple[str | None, str]]) -> None:
        """Every problem at once: each field marked, all messages listed, focus on the first.

        A marked field loses its mark as soon as it is edited.
        """
        self.error.setText("\n".join(message for _, message in problems))
        self.error.show()
        marked = [field for field, _ in problems if field in self.fields]
        for name, widget in self.fields.items():
            widget.setStyleSheet("border: 1px solid #c62828;" if name in marked else "")
            if name in marked:
                _on_edit(widget, lambda *_args, w=widget: w.setStyleSheet(""))
        if marked:
            self.fields[marked[0]].setFocus()
        self.adjustSize()

    def snapshot(self) -> Any:
        return repr(self._read())

    def save_changes(self) -> bool:
        self.accept()
        return not self.isVisible()

    def accept(self) -> None:
        try:
            self._save(self._read())
        except ServiceError as exc:
            problems = getattr(exc, "per_field", None) or [(getattr(exc, "field", None), str(exc))]
            self.show_problems(problems)
            return
        super().accept()
