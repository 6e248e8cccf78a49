"""One rubric item, as the office types or corrects it, with the rule read from its words.

The rule shown updates as the standard is typed (desktop/services/assessment_rules.py
reads it), so the office sees at once whether the program will score the item from
the ledger or leave it to be scored by hand; it can also keep the item manual.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop.services.assessment_rules import recognise, rule_text
from desktop.ui.widgets import MUTED


class RubricItemDialog(QDialog):
    def __init__(self, item: dict[str, Any] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = item or {}
        self.setWindowTitle("编辑考核项目" if item else "新增考核项目")
        self.resize(640, 420)
        self.code = QLineEdit(str(item.get("code", "")))
        self.code.setReadOnly(bool(item))  # the code names the item's scores
        self.group = QLineEdit(item.get("group", ""))
        self.content = QLineEdit(item.get("content", ""))
        self.standard = QPlainTextEdit(item.get("standard", ""))
        self.standard.setMaximumHeight(90)
        self.max = QDoubleSpinBox()
        self.max.setRange(0.5, 100)
        self.max.setDecimals(1)
        self.max.setValue(float(item.get("max", 5)))
        self.basis = QLineEdit(item.get("basis", ""))
        self.note = QLineEdit(item.get("note", ""))
        self.manual = QCheckBox("人工评分（不从活动台账自动计分）")
        self.manual.setChecked(bool(item) and item.get("rule") is None)
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet(f"color: {MUTED};")
        form = QFormLayout(self)
        form.addRow("序号", self.code)
        form.addRow("考核项目", self.group)
        form.addRow("考核内容", self.content)
        form.addRow("考核标准", self.standard)
        form.addRow("分值", self.max)
        form.addRow("考核依据", self.basis)
        form.addRow("备注", self.note)
        form.addRow("", self.manual)
        form.addRow("计分规则", self.rule)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for signal in (self.content.textChanged, self.standard.textChanged, self.manual.toggled):
            signal.connect(lambda *_: self._show_rule())
        self._show_rule()

    def _show_rule(self) -> None:
        if self.manual.isChecked():
            self.rule.setText("人工评分")
            return
        found = recognise(self.content.text(), self.standard.toPlainText())
        self.rule.setText(rule_text(found) + ("" if found else "（未识别出规则）"))

    def values(self) -> tuple[str, dict[str, Any]]:
        return self.code.text().strip(), {
            "group": self.group.text(),
            "content": self.content.text(),
            "standard": self.standard.toPlainText(),
            "max": self.max.value(),
            "basis": self.basis.text(),
            "note": self.note.text(),
            "manual": self.manual.isChecked(),
        }
