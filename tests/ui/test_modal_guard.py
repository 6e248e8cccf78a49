"""A dialog nobody answers fails the test at once instead of hanging the run."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from tests.modal_guard import ModalGuard, UnansweredDialog


def test_unanswered_dialogs_raise_with_their_title_and_text(qtbot, modals: ModalGuard):
    with pytest.raises(UnansweredDialog, match="打开方案：找不到文件"):
        QMessageBox.warning(None, "打开方案", "找不到文件")
    with pytest.raises(UnansweredDialog, match="选择文件"):
        QFileDialog.getOpenFileName(None, "选择文件")
    with pytest.raises(UnansweredDialog, match="方案编号"):
        QInputDialog.getText(None, "方案编号", "新的编号")
    dialog = QDialog()
    dialog.setWindowTitle("编辑任务")
    qtbot.addWidget(dialog)
    with pytest.raises(UnansweredDialog, match="编辑任务"):
        dialog.exec()
    assert len(modals.unanswered) == 4
    modals.unanswered.clear()  # seen and checked here; the teardown check would fail the test


def test_a_reply_answers_without_opening(modals: ModalGuard):
    modals.reply(("/tmp/plan.yaml", ""))
    modals.reply(QMessageBox.StandardButton.No)
    assert QFileDialog.getOpenFileName(None, "选择文件") == ("/tmp/plan.yaml", "")
    assert QMessageBox.question(None, "删除", "确定删除？") == QMessageBox.StandardButton.No
    assert modals.shown == ["选择文件", "删除：确定删除？"]
