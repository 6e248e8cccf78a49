"""The file dialog in Chinese to the last word (Look in:, Files of type:, 体积 were left)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate, QLocale
from PySide6.QtWidgets import QFileDialog, QLabel


def test_every_label_of_the_file_dialog_is_chinese(qtbot, tmp_path):
    dialog = QFileDialog(None, "选择采集表", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert labels == ["查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)："]
    assert QCoreApplication.translate("QFileSystemModel", "Size") == "大小"
    assert QCoreApplication.translate("QFileDialog", "Cancel") == "取消"


def test_dates_in_qts_own_widgets_follow_chinese_conventions():
    shown = QLocale.system().toString(QDate(2026, 12, 1), QLocale.FormatType.ShortFormat)
    assert shown == "2026/12/1"  # was "1 12 2026" on a machine left at the C locale
