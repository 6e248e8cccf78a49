"""Questions asked before something hard to take back; the buttons say what they do.

Qt's own Yes/No would read 是/否 or, untranslated, Yes/No; a clerk deciding
whether to delete an activity reads 删除 / 取消 instead.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str, yes: str) -> bool:
    """`yes` or 取消; `yes` is the default, for a step the user has just asked for."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is go


def ask(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str, yes: str, no: str) -> bool:
    """`yes` or `no`; `no` is the default, so a stray Enter does not go ahead."""
    box = QMessageBox(
        icon, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent
    )
    box.button(QMessageBox.StandardButton.Yes).setText(yes)
    box.button(QMessageBox.StandardButton.No).setText(no)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
