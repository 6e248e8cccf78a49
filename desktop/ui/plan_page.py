"""实施方案 page: the plan's tree (sections → tasks → units with roles) beside its indicators.

Several plans may be kept (十三五 and 十四五); the switcher shows any of
them and one is active. The page holds the two panels (desktop/ui/
plan_sections.py, plan_indicators.py) and the whole-plan actions: its
information, its units, making it active, deleting it, plans in from a
file or a document's text and out to a file, and the period's turn —
开始下一期方案 (desktop/ui/rollover_dialog.py) and 接续上一期方案
(desktop/ui/continuation_dialog.py). An ended plan (a later one follows
it) shows a banner and no editing buttons until it is unlocked with a
reason, as the service refuses its edits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.plan.document import PlanDocument
from desktop.services import Services
from desktop.ui.confirm import agreed, call_confirming
from desktop.ui.continuation_dialog import ContinuationDialog, previous_plan
from desktop.ui.events import later
from desktop.ui.new_plan import choose_plan_file, free_code
from desktop.ui.plan_dialogs import PlanInfoDialog
from desktop.ui.plan_indicators import PlanIndicators
from desktop.ui.plan_parse_dialog import PlanParseDialog
from desktop.ui.plan_sections import PlanSections
from desktop.ui.rollover_dialog import RolloverDialog
from desktop.ui.theme import STATUS_BACKGROUNDS, STATUS_COLOURS
from desktop.ui.units_dialog import UnitsDialog
from desktop.ui.workers import run_with_progress


def _button(text: str, slot: Callable[[], Any], tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(slot)
    if tip:
        button.setToolTip(tip)
    return button


class PlanPage(QWidget):
    plan_changed = Signal()
    """A plan was edited, added or made active: other views may show its name."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.editor = services.plan_editor
        self.plan_id: int | None = None
        self._task: Any = None

        layout = QVBoxLayout(self)
        title = QLabel("实施方案")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        bar = QHBoxLayout()
        bar.addWidget(title)
        bar.addSpacing(16)
        bar.addWidget(QLabel("方案："))
        self.plan_box = QComboBox()
        self.plan_box.setMinimumWidth(380)
        self.plan_box.currentIndexChanged.connect(self._plan_chosen)
        bar.addWidget(self.plan_box, 1)
        self.active_label = QLabel()
        bar.addWidget(self.active_label)
        self.activate_button = _button("设为当前方案", self.activate_plan)
        bar.addWidget(self.activate_button)
        layout.addLayout(bar)

        tools = QHBoxLayout()
        self.info_button = _button("方案信息…", self.edit_plan_info)
        tools.addWidget(self.info_button)
        tools.addWidget(_button("责任单位与别名…", self.edit_units))
        tools.addStretch(1)
        self.rollover_button = _button(
            "开始下一期方案…",
            self.start_next_period,
            "以当前方案为底稿开始下一期（如 2026—2030年）：结构沿用，目标待定",
        )
        tools.addWidget(self.rollover_button)
        self.continue_button = _button(
            "接续上一期方案…",
            self.match_previous,
            "为本方案的每项指标选择它接续的上一期指标",
        )
        tools.addWidget(self.continue_button)
        tools.addWidget(
            _button("从文本识别…", self.parse_text, "粘贴或打开方案原文（.txt/.docx），识别出方案")
        )
        tools.addWidget(
            _button(
                "导入方案文件…",
                lambda: self.import_file(),
                "读入 .xlsx 方案工作簿或 .yaml 方案文件",
            )
        )
        tools.addWidget(
            _button(
                "导出方案文件…",
                lambda: self.export_file(),
                "导出为可在 Excel 中修改的方案工作簿或 YAML",
            )
        )
        self.delete_plan_button = _button("删除方案", self.delete_plan)
        tools.addWidget(self.delete_plan_button)
        layout.addLayout(tools)
        layout.addWidget(self._banner())

        self.sections = PlanSections(services)
        self.indicators = PlanIndicators(services)
        for panel in (self.sections, self.indicators):
            panel.changed.connect(self._changed)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sections)
        self.splitter.addWidget(self.indicators)
        self._split_done = False
        layout.addWidget(self.splitter, 1)
        self.refresh()

    def _banner(self) -> QFrame:
        """本方案已结束，结构只读, with 解锁… (or 重新锁定 once unlocked)."""
        self.banner = QFrame()
        self.banner.setObjectName("endedBanner")
        self.banner.setStyleSheet(
            f"#endedBanner {{ background: {STATUS_BACKGROUNDS['behind'].name()};"
            f" border: 1px solid {STATUS_COLOURS['behind'].name()}; border-radius: 4px; }}"
        )
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(10, 4, 10, 4)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        row.addWidget(self.banner_label, 1)
        self.unlock_button = _button("解锁…", self.unlock_plan, "写明理由后允许修改已结束的方案")
        self.lock_button = _button("重新锁定", self.lock_plan)
        row.addWidget(self.unlock_button)
        row.addWidget(self.lock_button)
        self.banner.hide()
        return self.banner

    def showEvent(self, event: QShowEvent) -> None:
        """Split the width evenly once it is known: the tree's wide columns would take it all."""
        super().showEvent(event)
        if not self._split_done:
            self._split_done = True
            later(self, self._split_evenly)

    def _split_evenly(self) -> None:
        half = max(self.splitter.width() // 2, 300)
        self.splitter.setSizes([half, half])

    # ------------------------------------------------------------ loading

    def refresh(self) -> None:
        plans = self.services.plans.plans()
        keep = self.plan_id
        if keep is None or all(p.id != keep for p in plans):
            keep = next((p.id for p in plans if p.is_active), plans[0].id if plans else None)
        self.plan_box.blockSignals(True)
        self.plan_box.clear()
        self._ended = {p.id: any(o.first_year > p.last_year for o in plans) for p in plans}
        self._plans = {p.id: p for p in plans}
        for plan in plans:
            mark = "（当前）" if plan.is_active else "（已结束）" if self._ended[plan.id] else ""
            self.plan_box.addItem(f"{plan.name}  {plan.first_year}—{plan.last_year}{mark}", plan.id)
        self.plan_box.setCurrentIndex(max(self.plan_box.findData(keep), 0))
        self.plan_box.blockSignals(False)
        self.plan_id = keep
        self._active = {p.id: p.is_active for p in plans}
        self.load_plan()

    def _plan_chosen(self) -> None:
        self.plan_id = self.plan_box.currentData()
        self.load_plan()

    def load_plan(self) -> None:
        active = bool(self.plan_id and self._active.get(self.plan_id))
        self.active_label.setText("● 当前启用" if active else "未启用")
        self.active_label.setStyleSheet(f"color: {'#2e7d32' if active else '#757575'};")
        self.activate_button.setEnabled(bool(self.plan_id) and not active)
        self.delete_plan_button.setEnabled(bool(self.plan_id) and not active)
        self.rollover_button.setEnabled(any(self._active.values()))
        shown = self._plans.get(self.plan_id) if self.plan_id is not None else None
        self.continue_button.setEnabled(
            shown is not None and previous_plan(list(self._plans.values()), shown) is not None
        )
        self.plan = self.editor.tree(self.plan_id) if self.plan_id is not None else None
        self.sections.show_plan(self.plan)
        self.indicators.show_plan(self.plan)
        self._show_read_only(shown)

    def _show_read_only(self, plan: Any) -> None:
        """An ended plan's banner, and its editing buttons off while it is locked."""
        ended = plan is not None and self._ended.get(plan.id, False)
        read_only = ended and self.services.plan_periods.read_only(plan.code)
        if ended and read_only:
            self.banner_label.setText(
                "本方案已结束，结构只读：它的年度报表和终期评估都以此为准。确需修改，请先解锁并写明理由。"
            )
        elif ended:
            reason = plan.edit_unlock_reason or ""
            self.banner_label.setText(
                f"本方案已结束，已解锁修改（理由：{reason}）。改完请重新锁定。"
            )
        self.banner.setVisible(ended)
        self.unlock_button.setVisible(read_only)
        self.lock_button.setVisible(ended and not read_only)
        self.read_only = read_only
        self.info_button.setEnabled(plan is not None and not read_only)
        for panel in (self.sections, self.indicators):
            panel.set_read_only(read_only)

    def _changed(self) -> None:
        """The plan was edited here: both panels show it again, and other views learn of it."""
        self.load_plan()
        self.plan_changed.emit()

    def _show_new(self, plan_id: int) -> None:
        self.plan_id = plan_id
        self.refresh()
        self._changed()

    # ------------------------------------------------------------ plans

    def activate_plan(self) -> None:
        if self.plan_id is not None and call_confirming(
            self, lambda: self.services.plans.activate(self.plan_id) or True, "实施方案"
        ):
            self.refresh()
            self._changed()

    def edit_plan_info(self) -> None:
        if self.plan_id is None:
            return
        plan_id = self.plan_id
        info = self.services.plans.document(plan_id).info
        dialog = PlanInfoDialog(lambda v: self.editor.update_plan(plan_id, v), info, self)
        if dialog.exec():
            self.refresh()
            self.plan_changed.emit()

    def edit_units(self) -> None:
        UnitsDialog(self.services, self).exec()
        self._changed()

    def delete_plan(self) -> None:
        if self.plan_id is None or self._active.get(self.plan_id):
            return
        name = self.plan_box.currentText()
        if agreed(self, "删除方案", f"删除方案“{name}”？其行动、任务和指标将一并删除。"):
            plan_id = self.plan_id
            if call_confirming(
                self, lambda: self.services.plans.delete(plan_id) or True, "删除方案"
            ):
                self.plan_id = None
                self.refresh()

    def parse_text(self) -> None:
        dialog = PlanParseDialog(self.services, self)
        if dialog.exec() and dialog.saved_plan_id is not None:
            self._show_new(dialog.saved_plan_id)
            if self.continue_button.isEnabled():
                self.match_previous()

    # ------------------------------------------------------------ the period's turn

    def start_next_period(self) -> None:
        """开始下一期方案: the dialog rolls the active plan over; the new plan is then shown."""
        dialog = RolloverDialog(self.services, self)
        if dialog.exec() and dialog.new_code is not None:
            self._show_new(
                next(p.id for p in self.services.plans.plans() if p.code == dialog.new_code)
            )

    def match_previous(self) -> None:
        """接续上一期方案: link the shown plan's indicators to the plan before it."""
        shown = self._plans.get(self.plan_id) if self.plan_id is not None else None
        old = previous_plan(list(self._plans.values()), shown) if shown is not None else None
        if shown is None or old is None:
            return
        dialog = ContinuationDialog(self.services, shown, old, self)
        if dialog.exec() and dialog.linked is not None:
            QMessageBox.information(
                self,
                "接续上一期方案",
                f"已将 {dialog.linked} 项指标接续“{old.name}”的指标。",
            )
            self._changed()

    def unlock_plan(self) -> None:
        plan = self._plans.get(self.plan_id) if self.plan_id is not None else None
        if plan is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            "解锁已结束的方案",
            f"“{plan.name}”已结束，其报表和评估以现有结构为准。\n请写明解锁修改的理由：",
        )
        if not ok:
            return
        if call_confirming(
            self, lambda: self.services.plan_periods.unlock(plan.code, reason) or True, "解锁方案"
        ):
            self.refresh()

    def lock_plan(self) -> None:
        plan = self._plans.get(self.plan_id) if self.plan_id is not None else None
        if plan is not None and call_confirming(
            self, lambda: self.services.plan_periods.lock(plan.code) or True, "重新锁定方案"
        ):
            self.refresh()

    # ------------------------------------------------------------ plan files

    def import_file(
        self, path: Path | None = None, on_done: Callable[[], None] | None = None
    ) -> None:
        """Read a plan file off the GUI thread, then save it as a new plan."""
        path = path or choose_plan_file(self)
        if path is None:
            return
        from desktop.importing.plan_file import read_plan_file

        def job(report: Callable[[int, int], bool]) -> PlanDocument:
            report(0, 1)
            return read_plan_file(path)

        def done(doc: PlanDocument) -> None:
            self._save_imported(doc)
            if on_done is not None:
                on_done()

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, "导入方案文件", str(exc))
            if on_done is not None:
                on_done()

        self._task = run_with_progress(self, "正在读取方案文件…", job, done, failed)

    def _save_imported(self, doc: PlanDocument) -> None:
        plans = self.services.plans.plans()
        codes = {p.code for p in plans}
        if doc.id in codes:
            answer = QMessageBox.question(
                self,
                "导入方案文件",
                f"已有编号为“{doc.id}”的方案。是否用文件内容更新该方案？\n"
                "选“是”：按编号更新原方案，已录入的活动和填报数据保持关联；\n"
                "选“否”：另存为一个新方案。",
                QMessageBox.StandardButton.Yes
                | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Yes:
                self._update_from(next(p.id for p in plans if p.code == doc.id), doc)
                return
            code, ok = QInputDialog.getText(
                self,
                "导入方案文件",
                f"已有编号为“{doc.id}”的方案。请为导入的方案另起一个编号：",
                text=free_code(doc.id, codes),
            )
            if not ok or not code.strip():
                return
            doc.id = code.strip()
        activate = (
            QMessageBox.question(
                self,
                "导入方案文件",
                f"已读入“{doc.info.name}”。是否设为当前方案？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            == QMessageBox.StandardButton.Yes
        )
        plan_id = call_confirming(
            self, lambda: self.services.plans.create(doc, activate=activate), "实施方案"
        )
        if plan_id:
            self._show_new(plan_id)

    def _update_from(self, plan_id: int, doc: PlanDocument) -> None:
        counts = call_confirming(
            self,
            lambda confirm=False: self.editor.update_from_document(plan_id, doc, confirm=confirm),
            "更新方案",
        )
        if counts:
            QMessageBox.information(
                self,
                "更新方案",
                f"已按文件更新方案：新增 {counts['added']} 项、修改 {counts['changed']} 项、"
                f"删除 {counts['removed']} 项。",
            )
        self._show_new(plan_id)

    def export_file(
        self, path: Path | None = None, on_done: Callable[[], None] | None = None
    ) -> None:
        if self.plan_id is None or self.plan is None:
            return
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self,
                "导出方案文件",
                f"{self.plan.region}实施方案.xlsx",
                "Excel 方案工作簿 (*.xlsx);;YAML 方案文件 (*.yaml)",
            )
            if not name:
                return
            path = Path(name)
        from desktop.exporting.plan_workbook import write_plan_workbook
        from desktop.exporting.plan_yaml import write_plan_yaml

        plan_id = self.plan_id

        def job(report: Callable[[int, int], bool]) -> Path:
            report(0, 1)
            doc = self.services.plans.document(plan_id)
            if path.suffix.lower() in (".yaml", ".yml"):
                write_plan_yaml(doc, path)
            else:
                write_plan_workbook(doc, path)
            return path

        def done(out: Path) -> None:
            QMessageBox.information(self, "导出方案文件", f"已导出：{out}")
            if on_done is not None:
                on_done()

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, "导出方案文件", f"导出失败：{exc}")
            if on_done is not None:
                on_done()

        self._task = run_with_progress(self, "正在导出方案文件…", job, done, failed)
