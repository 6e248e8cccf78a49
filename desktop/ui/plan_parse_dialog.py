"""从文本识别: paste or open a plan document, review the recognised draft, save it as a new plan.

The draft is reviewed in desktop/ui/plan_draft.py's editor; `PlanTextWidget`
(the text beside that editor) is also the first-run wizard's page for a
plan read from its document. The lines the parser could not place are listed
under the tree; double-clicking one selects it in the text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.plan.document import PlanDocument
from desktop.services import Services
from desktop.ui.guarded_dialog import GuardedDialog
from desktop.ui.new_plan import save_new_plan
from desktop.ui.plan_draft import DraftEditor
from desktop.ui.widgets import fit_to_screen

if TYPE_CHECKING:
    from desktop.importing.plan_document_file import PlanSource


class PlanTextWidget(QWidget):
    """Text in (pasted or opened), draft out: the parser and the draft editor side by side."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel("把实施方案全文粘贴到下面，或打开 .txt / .docx 文件，然后点“识别”。")
        hint.setWordWrap(True)
        left_layout.addWidget(hint)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("在此粘贴方案原文……")
        left_layout.addWidget(self.text, 1)
        row = QHBoxLayout()
        open_button = QPushButton("打开文件…")
        open_button.clicked.connect(lambda: self.open_file())
        row.addWidget(open_button)
        row.addStretch(1)
        self.parse_button = QPushButton("识别 →")
        self.parse_button.setDefault(False)
        self.parse_button.clicked.connect(self.parse)
        row.addWidget(self.parse_button)
        left_layout.addLayout(row)
        splitter.addWidget(left)
        self.editor = DraftEditor(services.plan_editor.unit_names())
        self.editor.unplaced.chosen.connect(self.select_line)
        splitter.addWidget(self.editor)
        splitter.setSizes([380, 620])
        layout.addWidget(splitter)
        self.parsed = False
        self.opened: PlanSource | None = None  # the file opened, for its Word tables

    def open_file(self, path: Path | None = None) -> None:
        from desktop.importing.plan_document_file import read_plan_source

        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "打开方案原文", "", "方案原文 (*.txt *.docx);;所有文件 (*)"
            )
            if not name:
                return
            path = Path(name)
        try:
            source = read_plan_source(path)
        except (OSError, ValueError, ServiceError) as exc:
            QMessageBox.warning(self, "打开方案原文", f"无法读取“{path.name}”：{exc}")
            return
        self.opened = source
        self.text.setPlainText(source.text)
        self.parse()

    def parse(self) -> None:
        from desktop.importing.plan_text import parse_plan_draft

        text = self.text.toPlainText()
        if not text.strip():
            QMessageBox.information(self, "识别", "请先粘贴或打开方案原文。")
            return
        opened = self.opened if self.opened and self.opened.text == text else None
        draft = parse_plan_draft(text, opened.tables if opened else ())
        self.editor.set_draft(draft.document, draft.unplaced)
        self.parsed = True

    def draft_to_save(self) -> PlanDocument:
        """The reviewed draft the user asks to save; its problems are shown from now on."""
        self.editor.reveal_problems()
        return self.editor.draft()

    def select_line(self, line: str) -> None:
        """Select a listed line in the text, however the text wrapped or spaced it.

        The list prints a line as the parser read it (marks made regular,
        wrapped lines joined), so the line is looked for without its mark
        and with any spacing between its characters; failing that, its start.
        """
        from desktop.importing.plan_markers import classify

        text = self.text.toPlainText()
        body = classify(line).text or line
        chars = [ch for ch in body if not ch.isspace()]
        for probe in (chars, chars[:12]):
            found = re.search(r"\s*".join(map(re.escape, probe)), text) if probe else None
            if found:
                cursor = self.text.textCursor()
                cursor.setPosition(_position(text, found.start()))
                cursor.setPosition(_position(text, found.end()), QTextCursor.MoveMode.KeepAnchor)
                self.text.setTextCursor(cursor)
                self.text.centerCursor()
                self.text.setFocus()
                return


def _position(text: str, index: int) -> int:
    """A Python index into `text` as Qt counts it (UTF-16 code units)."""
    return len(text[:index].encode("utf-16-le")) // 2


class PlanParseDialog(GuardedDialog):
    """Save the reviewed draft as a new plan, optionally the active one."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.saved_plan_id: int | None = None
        self.setWindowTitle("从文本识别实施方案")
        fit_to_screen(self, 1180, 760)
        layout = QVBoxLayout(self)
        self.widget = PlanTextWidget(services)
        layout.addWidget(self.widget, 1)
        row = QHBoxLayout()
        self.activate = QCheckBox("保存后设为当前方案")
        self.activate.setChecked(True)
        row.addWidget(self.activate)
        row.addStretch(1)
        self.save_button = QPushButton("保存为新方案")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        layout.addLayout(row)

    def snapshot(self) -> tuple[str, str]:
        """The pasted text and the reviewed draft: either is work to lose."""
        return self.widget.text.toPlainText(), repr(self.widget.editor.draft())

    def save_changes(self) -> bool:
        self.save()
        return self.saved_plan_id is not None

    def save(self) -> None:
        """Check the draft and save it as a new plan; explain and stay open if it cannot be."""
        editor = self.widget.editor
        if not self.widget.parsed and not editor.draft().sections:
            QMessageBox.information(self, "保存方案", "还没有识别出方案：请先粘贴原文并点“识别”。")
            return
        self.saved_plan_id = save_new_plan(
            self,
            self.services,
            self.widget.draft_to_save(),
            activate=self.activate.isChecked(),
            title="保存方案",
            noun="方案草稿",
        )
        if self.saved_plan_id is not None:
            self.accept()
