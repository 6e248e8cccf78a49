"""报表: export the return and the annual summary, print them, and see what was sent.

Exports run off the GUI thread with a progress dialog and a cancel button.
Printing goes through QtPdf (printing.py): the PDF (the summary, or the
进展统计表 drawn as a PDF) is previewed as itself and printed page by page in
the background, so an office PC needs neither LibreOffice nor a PDF reader.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.exporting.evaluation_pdf import export_evaluation
from desktop.exporting.return_pdf import export_return_pdf
from desktop.exporting.return_workbook import ExportCancelled, export_return
from desktop.exporting.summary_pdf import export_summary
from desktop.services import Services
from desktop.services.evaluation import EvaluationService
from desktop.services.flags import Flag, FlagService, named
from desktop.services.periods import Period, parse_period
from desktop.services.settings import LABELS
from desktop.services.submissions import SubmissionRow
from desktop.ui.flags_dialog import FlagsDialog
from desktop.ui.printing import PdfPreviewDialog, preview
from desktop.ui.questions import ask
from desktop.ui.returns_dialog import ReturnsDialog
from desktop.ui.widgets import PeriodPicker, page_title, plan_years, section_label
from desktop.ui.workers import Task, run_with_progress

SETTING_KEYS = (
    "form_number",
    "form_authority",
    "office_name",
    "unit_head",
    "contact_person",
    "contact_phone",
    "summary_title",
)
HISTORY_HEADERS = ["导出时间", "统计期", "类型", "正式报送", "文件", "SHA-256", "操作人"]


class ReportsPage(QWidget):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.task: Task | None = None
        self.last_output: Path | None = None
        self._history_rows: list[SubmissionRow] = []
        self._tmp = tempfile.TemporaryDirectory(prefix="kepu-print-")

        self.period = PeriodPicker(allow_all=False)
        self.final = QCheckBox("最终报送（导出后可锁定该统计期）")
        self.export_return_button = QPushButton("导出 Excel 报表…")
        self.print_return_button = QPushButton("打印进展统计表…")
        self.flags_button = QPushButton("疑似异常…")
        self.flags_button.setToolTip("偏离历史或超出活动容量的数据：逐条确认或修改")
        self.regions_button = QPushButton("汇总下级报表…")
        self.regions_button.setToolTip("导入各下级地区导出的报表，查看报送情况和分地区数值")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setSuffix(" 年")
        self.export_summary_button = QPushButton("导出年度工作总结 PDF…")
        self.print_summary_button = QPushButton("打印年度工作总结…")
        self.export_evaluation_button = QPushButton("导出终期评估 PDF…")
        self.export_evaluation_button.setToolTip(
            "整个方案期的终期评估报告：默认为最近一个已到期的方案，否则为启用的方案"
        )
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing() * 3)
        self.history = QTableWidget(0, len(HISTORY_HEADERS))
        self.history.setHorizontalHeaderLabels(HISTORY_HEADERS)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().setVisible(False)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(
            4, QHeaderView.ResizeMode.Stretch
        )  # 文件: the name, full path in its tip
        header.setMinimumSectionSize(60)
        self.settings_edits: dict[str, QLineEdit] = {k: QLineEdit() for k in SETTING_KEYS}
        self.settings_edits["summary_title"].setPlaceholderText(
            "留空则为“××全民科学素质行动××年度工作总结”"
        )
        self.save_settings_button = QPushButton("保存设置")
        self.open_file_button = QPushButton("打开文件")
        self.open_folder_button = QPushButton("打开所在文件夹")
        self.identify_button = QPushButton("核对文件…")
        self.identify_button.setToolTip(
            "选择一个文件，查看它是否与某次导出的文件完全一致（按 SHA-256）"
        )

        returns = QGroupBox("Excel 报表")
        grid = QGridLayout(returns)
        grid.addWidget(QLabel("统计期"), 0, 0)
        grid.addWidget(self.period, 0, 1)
        grid.addWidget(self.final, 1, 0, 1, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_return_button)
        buttons.addWidget(self.print_return_button)
        buttons.addWidget(self.flags_button)
        buttons.addWidget(self.regions_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 0, 1, 3)
        grid.setColumnStretch(2, 1)

        summary = QGroupBox("年度工作总结")
        grid = QGridLayout(summary)
        grid.addWidget(QLabel("年度"), 0, 0)
        grid.addWidget(self.year, 0, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_summary_button)
        buttons.addWidget(self.print_summary_button)
        buttons.addWidget(self.export_evaluation_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 1, 0, 1, 3)
        grid.setColumnStretch(2, 1)

        settings = QGroupBox("报表设置（表头与落款）")
        form = QFormLayout(settings)
        for key, edit in self.settings_edits.items():
            form.addRow(LABELS.get(key, key), edit)
        form.addRow("", self.save_settings_button)

        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(returns)
        left.addWidget(summary)
        left.addWidget(self.status)  # the room beside the taller settings box, not a gap
        left.addStretch(1)
        top.addLayout(left, 1)
        top.addWidget(settings, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)  # as every other page
        layout.setSpacing(8)
        layout.addWidget(page_title("报表"))
        layout.addLayout(top)
        layout.addWidget(section_label("报送记录"))
        layout.addWidget(self.history, 1)
        history_buttons = QHBoxLayout()
        for button in (self.open_file_button, self.open_folder_button):
            history_buttons.addWidget(button)
        history_buttons.addStretch(1)
        history_buttons.addWidget(self.identify_button)
        layout.addLayout(history_buttons)

        self.export_return_button.clicked.connect(self._ask_return)
        self.print_return_button.clicked.connect(self.print_return)
        self.flags_button.clicked.connect(self.show_flags)
        self.regions_button.clicked.connect(self.show_regions)
        self.export_summary_button.clicked.connect(self._ask_summary)
        self.print_summary_button.clicked.connect(self.print_summary)
        self.export_evaluation_button.clicked.connect(self._ask_evaluation)
        self.save_settings_button.clicked.connect(self.save_settings)
        self.open_file_button.clicked.connect(lambda: self._open_selected(folder=False))
        self.open_folder_button.clicked.connect(lambda: self._open_selected(folder=True))
        self.history.doubleClicked.connect(lambda _index: self._open_selected(folder=False))
        self.history.itemSelectionChanged.connect(self._update_history_buttons)
        self.identify_button.clicked.connect(self._ask_identify)
        self.refresh()

    # ---- state

    def refresh(self) -> None:
        if self.services.plans.has_active():
            plan = self.services.plans.active()
            this_year = min(max(date.today().year, plan.first_year), plan.last_year)
            current = self.period.period()
            self.period.set_plan_years(
                self.services.plans.plans(), current.year if current else this_year
            )
            plans = self.services.plans.plans()
            self.year.setRange(min(p.first_year for p in plans), max(p.last_year for p in plans))
            if not current:
                self.year.setValue(this_year)
        values = self.services.settings.all()
        for key, edit in self.settings_edits.items():
            edit.setText(values.get(key, ""))
        self.refresh_history()

    def refresh_history(self) -> None:
        rows = self.services.submissions.list()
        self._history_rows = rows
        self.history.setRowCount(len(rows))
        for i, r in enumerate(rows):
            values = [
                r.created_at.strftime("%Y-%m-%d %H:%M"),
                r.period_label,
                r.kind_label,
                "是" if r.final else "",
                Path(r.file_name).name,
                r.sha256[:16] + "…",
                r.operator,
            ]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col == 4:
                    item.setToolTip(r.file_name)
                if col == 5:
                    item.setToolTip(r.sha256)
                self.history.setItem(i, col, item)
        self._update_history_buttons()

    def _selected_submission(self) -> SubmissionRow | None:
        rows = {index.row() for index in self.history.selectionModel().selectedRows()}
        return self._history_rows[min(rows)] if rows else None

    def _update_history_buttons(self) -> None:
        chosen = self._selected_submission() is not None
        self.open_file_button.setEnabled(chosen)
        self.open_folder_button.setEnabled(chosen)

    def _open_selected(self, folder: bool) -> None:
        row = self._selected_submission()
        if row is None:
            return
        path = Path(row.file_name)
        target = path.parent if folder else path
        if not target.exists():
            QMessageBox.warning(
                self, "报送记录", f"找不到{'文件夹' if folder else '文件'}：{target}"
            )
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def _ask_identify(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "核对文件", str(self._default_dir()), "报表与总结 (*.xlsx *.pdf);;所有文件 (*)"
        )
        if path:
            self.identify(Path(path))

    def identify(self, path: Path) -> None:
        """Say which export a file is, byte for byte, or that it matches none."""
        try:
            matches = self.services.submissions.identify(path)
        except ServiceError as exc:
            self.status.setText(str(exc))
            return
        if not matches:
            self.status.setText(
                f"“{path.name}”与任何一次导出的文件都不一致：它可能是导出后又被修改过的副本。"
            )
            return
        first = matches[0]
        self.status.setText(
            f"“{path.name}”与 {first.created_at:%Y-%m-%d %H:%M} 由{first.operator}导出的"
            f"{first.period_label}的{first.kind_label}{'（正式报送）' if first.final else ''}完全一致。"
        )
        self.history.selectRow(self._history_rows.index(first))

    def save_settings(self) -> None:
        values = {k: e.text().strip() for k, e in self.settings_edits.items()}
        try:
            self.services.settings.update(values)
        except ServiceError as exc:
            QMessageBox.warning(self, "保存设置", str(exc))
            return
        self.status.setText("报表设置已保存。")

    # ---- exports

    def _default_dir(self) -> Path:
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs else Path.home()

    def _region(self) -> str:
        return self.services.plans.active().region

    def _ask_return(self) -> None:
        period = self.period.period()
        if period is None:
            return
        suggested = self._default_dir() / f"{self._region()}{period.label}科学素质报表.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出 Excel 报表", str(suggested), "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.export_return_to(Path(path))

    def _ask_summary(self) -> None:
        year = self.year.value()
        suggested = self._default_dir() / f"{self._region()}{year}年度工作总结.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出年度工作总结", str(suggested), "PDF 文件 (*.pdf)"
        )
        if path:
            self.export_summary_to(Path(path))

    def _ask_evaluation(self) -> None:
        if not self.services.plans.has_active():
            return
        code = EvaluationService(self.services.db).plan_code()
        plan = self.services.plans.for_period(code=code)
        suggested = self._default_dir() / f"{plan.name}终期评估报告.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出终期评估报告", str(suggested), "PDF 文件 (*.pdf)"
        )
        if path:
            self.export_evaluation_to(Path(path))

    def export_return_to(self, out: Path) -> None:
        period = self.period.period()
        if period is None:
            return
        if out.suffix.lower() != ".xlsx":
            out = out.with_suffix(".xlsx")
        final = self.final.isChecked()

        def export() -> None:
            self._start(
                "正在导出报表",
                lambda report: export_return(self.services, period, out, report, final),
                lambda path: self._return_done(path, period, final),
            )

        if not final:
            export()
            return
        # The flags of a large ledger take seconds: found off the GUI thread, then asked about.
        self._start(
            "正在检查疑似异常",
            lambda _report: FlagService(self.services.db).open_flags(period.code),
            lambda unresolved: export() if self.go_on_despite_flags(period, unresolved) else None,
        )

    def go_on_despite_flags(self, period: Period, unresolved: list[Flag]) -> bool:
        """Before a final return: name the period's unresolved 疑似异常 and let the user choose."""
        self._set_busy(False)
        if not unresolved:
            return True
        go = ask(
            self,
            QMessageBox.Icon.Warning,
            "疑似异常未处理",
            f"{period.label}还有 {len(unresolved)} 条疑似异常未确认或修改：\n\n"
            f"{named(unresolved)}\n\n仍然正式报送吗？",
            "仍然报送",
            "返回处理",
        )
        if not go:
            self.status.setText(
                f"{period.label}有疑似异常未处理，未导出。可点“疑似异常…”逐条处理。"
            )
        return go

    def flags_dialog(self) -> FlagsDialog:
        period = self.period.period()
        return FlagsDialog(
            self.services,
            plan_years(self.services.plans.plans()),
            period.code if period else None,
            self,
        )

    def regions_dialog(self) -> ReturnsDialog:
        plan = self.services.plans.active()
        period = self.period.period() or parse_period(str(plan.last_year))
        return ReturnsDialog(self.services, plan_years(self.services.plans.plans()), period, self)

    def show_regions(self) -> None:
        if self.services.plans.has_active():
            self.regions_dialog().exec()

    def show_flags(self) -> None:
        if self.services.plans.has_active():
            self.flags_dialog().exec()

    def export_summary_to(self, out: Path) -> None:
        year = self.year.value()
        if out.suffix.lower() != ".pdf":
            out = out.with_suffix(".pdf")
        self._start(
            "正在生成年度工作总结",
            lambda report: export_summary(self.services, year, out, report),
            lambda path: self._done(f"已导出 {year} 年度工作总结：{path}", path),
        )

    def export_evaluation_to(self, out: Path) -> None:
        """The whole period's final evaluation, in the background with progress and cancel."""
        if out.suffix.lower() != ".pdf":
            out = out.with_suffix(".pdf")
        self._start(
            "正在生成终期评估报告",
            lambda report: export_evaluation(self.services, out, report),
            lambda path: self._done(f"已导出终期评估报告：{path}", path),
        )

    def _start(self, title: str, job, on_done) -> None:
        self.status.setText(title + "…")
        self._set_busy(True)
        self.task = run_with_progress(self, title, job, on_done, self._failed)

    def _set_busy(self, busy: bool) -> None:
        for b in (
            self.export_return_button,
            self.print_return_button,
            self.export_summary_button,
            self.print_summary_button,
            self.export_evaluation_button,
        ):
            b.setEnabled(not busy)

    def _done(self, text: str, path: Path) -> None:
        self._set_busy(False)
        self.last_output = Path(path)
        self.status.setText(text)
        self.refresh_history()

    def _return_done(self, path: Path, period: Period, final: bool) -> None:
        kind = "正式报送" if final else ""
        self._done(f"已导出 {period.label}{kind}报表：{path}", path)
        if final and not self.services.locks.is_locked(period):
            self.offer_lock(period)

    def offer_lock(self, period: Period) -> None:
        answer = QMessageBox.question(
            self,
            "锁定统计期",
            f"{period.label}报表已正式报送。是否锁定{period.label}？\n"
            "锁定后该期的活动和填报数据不能再修改，如需修改须解锁并填写原因。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.services.locks.lock(period.code)
        except ServiceError as exc:
            QMessageBox.warning(self, "锁定统计期", str(exc))
            return
        self.status.setText(f"{self.status.text()}\n已锁定 {period.label}。")

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ExportCancelled):
            self.status.setText(str(exc))
            return
        self.status.setText(f"导出失败：{exc}")
        QMessageBox.warning(self, "导出失败", str(exc))

    # ---- printing

    def print_summary(self) -> None:
        year = self.year.value()
        out = Path(self._tmp.name) / f"summary-{year}.pdf"
        self._start(
            "正在准备打印",
            lambda report: export_summary(self.services, year, out, report, record=False),
            lambda path: self._preview(Path(path), f"{year} 年度工作总结"),
        )

    def print_return(self) -> None:
        period = self.period.period()
        if period is None:
            return
        out = Path(self._tmp.name) / f"return-{period.code}.pdf"
        self._start(
            "正在准备打印",
            lambda report: export_return_pdf(self.services, period, out, report),
            lambda path: self._preview(Path(path), f"{period.label}进展统计表"),
        )

    def _preview(self, pdf: Path, title: str) -> None:
        self._done(f"已生成打印稿：{title}", pdf)
        self.preview_dialog(pdf, title).exec()

    def preview_dialog(self, pdf: Path, title: str) -> PdfPreviewDialog:
        return preview(pdf, title, self)
