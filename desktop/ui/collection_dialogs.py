"""Collection workbooks in the window: generate for all units, import with review, batch history.

Each dialog takes the ImportService (and reference lists where it needs
names); generating and importing run off the GUI thread with progress and
cancel. The import is checked first (a dry run that writes nothing); the
review dialog lists every problem by file, sheet, row and column and lets
the user import everything (only when nothing is wrong), take only the
valid rows, or cancel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.models import Unit
from desktop.services.flags import FlagService, named
from desktop.services.imports import ImportResult, ImportService
from desktop.services.periods import Period
from desktop.ui.questions import confirm
from desktop.ui.table_cells import read_only_item
from desktop.ui.widgets import MUTED, CheckList, PeriodPicker, YearChoice
from desktop.ui.workers import Task, run_with_progress


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table


class TemplatesDialog(QDialog):
    """生成采集表: one workbook per checked unit into a chosen folder."""

    def __init__(
        self,
        imports: ImportService,
        units: Sequence[Unit],
        years: Sequence[YearChoice],
        current: Period | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.imports = imports
        self.task: Task | None = None
        self.written: list[Path] = []
        self.setWindowTitle("生成采集表")
        self.resize(560, 560)
        self.period = PeriodPicker(allow_all=False)
        self.period.set_years(years, current.year if current else None)
        if current is not None:
            self.period.set_period(current.code)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("选择保存采集表的文件夹")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.units = CheckList("输入单位名称筛选…")
        for unit in units:
            self.units.add_item(unit.id, unit.name)
        self.units.set_checked([u.id for u in units])
        select_all = QPushButton("全选")
        select_none = QPushButton("全不选")
        select_all.clicked.connect(lambda: self.units.set_checked([u.id for u in units]))
        select_none.clicked.connect(lambda: self.units.set_checked([]))
        picks = QHBoxLayout()
        picks.addWidget(select_all)
        picks.addWidget(select_none)
        picks.addStretch(1)
        form = QFormLayout()
        form.addRow("统计期", self.period)
        form.addRow("保存到", folder_row)
        hint = QLabel("每个单位生成一个文件，已预填单位名称、承担的任务、需填报的指标和下拉选项。")
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {MUTED};")
        self.buttons = QDialogButtonBox()
        self.generate = self.buttons.addButton("生成", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._generate)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("单位"))
        layout.addWidget(self.units, 1)
        layout.addLayout(picks)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _generate(self) -> None:
        period = self.period.period()
        ids = self.units.checked()
        folder = self.folder.text().strip()
        if period is None or not ids:
            QMessageBox.warning(self, "生成采集表", "请选择统计期和至少一个单位。")
            return
        if not folder or not Path(folder).is_dir():
            QMessageBox.warning(self, "生成采集表", "请选择一个已存在的文件夹。")
            return
        self.generate.setEnabled(False)

        def job(report: Callable[[int, int], bool]) -> list[Path]:
            from desktop.exporting.collection_template import write_templates

            return write_templates(self.imports, period.code, Path(folder), ids, report)

        self.task = run_with_progress(self, "正在生成采集表…", job, self._done, self._failed)

    def _done(self, paths: list[Path]) -> None:
        self.written = paths
        self.generate.setEnabled(True)
        QMessageBox.information(
            self, "生成采集表", f"已生成 {len(paths)} 个采集表，保存在：\n{self.folder.text()}"
        )
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.generate.setEnabled(True)
        QMessageBox.warning(self, "生成采集表", str(exc))


class ReviewDialog(QDialog):
    """What an import would do: per-file counts and every problem, then the user's choice."""

    IMPORT_ALL = 1
    VALID_ONLY = 2

    def __init__(self, preview: ImportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = 0
        self.setWindowTitle("导入检查结果")
        self.resize(980, 600)
        problems = preview.problems
        writable = preview.activities + preview.entries
        if not problems:
            head = f"检查通过：可导入活动 {preview.activities} 条、指标数据 {preview.entries} 条。"
        else:
            head = (
                f"发现 {len(problems)} 处问题。检查通过的部分：活动 {preview.activities} 条、"
                f"指标数据 {preview.entries} 条。"
            )
        if preview.skipped:
            head += f"另有 {preview.skipped} 条已导入过，将跳过。"
        self.summary = QLabel(head)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(
            "font-weight: bold; color: %s;" % ("#2e7d32" if not problems else "#c62828")
        )
        self.files = _table(["文件", "单位", "统计期", "活动", "指标数据", "跳过", "问题"])
        for outcome in preview.files:
            row = self.files.rowCount()
            self.files.insertRow(row)
            values = [
                outcome.file,
                outcome.unit_name,
                outcome.period_label,
                outcome.activities,
                outcome.entries,
                outcome.skipped,
                len(outcome.problems),
            ]
            for col, value in enumerate(values):
                self.files.setItem(row, col, read_only_item(value, col >= 3))
        self.files.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.files.setMaximumHeight(150)
        self.problems = _table(["文件", "工作表", "行", "列", "问题"])
        for p in problems:
            row = self.problems.rowCount()
            self.problems.insertRow(row)
            for col, value in enumerate((p.file, p.sheet, p.row, p.column, p.message)):
                self.problems.setItem(row, col, read_only_item(value, col == 2))
            self.problems.item(row, 4).setToolTip(p.message)
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.problems.setColumnWidth(0, 180)
        self.problems.setColumnWidth(1, 80)
        self.problems.setColumnWidth(2, 50)
        self.problems.setColumnWidth(3, 90)
        buttons = QDialogButtonBox()
        self.import_all = buttons.addButton("全部导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.valid_only = buttons.addButton(
            "只导入无误的行", QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_all.setEnabled(not problems and writable > 0)
        self.valid_only.setEnabled(bool(problems) and writable > 0)
        self.valid_only.setVisible(bool(problems))
        self.import_all.clicked.connect(lambda: self._choose(self.IMPORT_ALL))
        self.valid_only.clicked.connect(lambda: self._choose(self.VALID_ONLY))
        cancel.clicked.connect(self.reject)
        self.flags = _table(["类别", "活动/指标", "单位", "统计期", "数值", "原因"])
        for f in preview.flags:
            row = self.flags.rowCount()
            self.flags.insertRow(row)
            values = (f.kind_label, f.name, f.unit, f.period, f"{f.value:,.10g}", f.reason)
            for col, value in enumerate(values):
                self.flags.setItem(row, col, read_only_item(value, col == 4))
            self.flags.item(row, 5).setToolTip(f.reason)
        self.flags.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.flags.setMaximumHeight(180)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.files)
        if problems:
            layout.addWidget(QLabel("问题清单（请改正后重新导入，或只导入无误的行）："))
            layout.addWidget(self.problems, 1)
        else:
            self.problems.hide()
        if preview.flags:
            layout.addWidget(
                QLabel(
                    f"疑似异常 {len(preview.flags)} 条（不影响导入；请向填报单位核实，"
                    "导入后可在“报表 → 疑似异常…”确认或修改）："
                )
            )
            layout.addWidget(self.flags)
        else:
            self.flags.hide()
        if not problems:
            layout.addStretch(1)
        layout.addWidget(buttons)

    def _choose(self, choice: int) -> None:
        self.choice = choice
        self.accept()


class ImportFlow:
    """Pick files → check (off the GUI thread) → review → import. Keeps the running task."""

    def __init__(
        self,
        imports: ImportService,
        parent: QWidget,
        on_imported: Callable[[ImportResult], None] | None = None,
    ) -> None:
        self.imports = imports
        self.parent = parent
        self.on_imported = on_imported
        self.task: Task | None = None
        self.paths: list[Path] = []
        self.review: ReviewDialog | None = None
        self.result: ImportResult | None = None

    def choose_and_check(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self.parent,
            "选择填好的采集表",
            "",
            "采集表 (*.xlsx *.xls *.ods *.et);;所有文件 (*)",
        )
        if files:
            self.check([Path(f) for f in files])

    def check(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)

        def job(report: Callable[[int, int], bool]) -> ImportResult:
            from desktop.importing.collection_workbook import import_workbooks

            return import_workbooks(self.imports, self.paths, dry_run=True, progress=report)

        self.task = run_with_progress(
            self.parent, "正在检查采集表…", job, self._show_review, self._failed
        )

    def _show_review(self, preview: ImportResult) -> None:
        self.review = ReviewDialog(preview, self.parent)
        self.review.finished.connect(self._reviewed)
        self.review.open()

    def _reviewed(self, _code: int) -> None:
        assert self.review is not None
        choice = self.review.choice
        if choice == 0:
            return
        valid_only = choice == ReviewDialog.VALID_ONLY

        def job(report: Callable[[int, int], bool]) -> ImportResult:
            from desktop.importing.collection_workbook import import_workbooks

            return import_workbooks(
                self.imports, self.paths, valid_only=valid_only, progress=report
            )

        self.task = run_with_progress(self.parent, "正在导入…", job, self._imported, self._failed)

    def _imported(self, result: ImportResult) -> None:
        self.result = result
        if result.written:
            text = f"已导入活动 {result.activities} 条、指标数据 {result.entries} 条。"
            if result.backup is not None:
                text += f"\n导入前已备份数据库：{result.backup.name}"
            text += self._flag_note(result)
        else:
            text = "没有导入任何数据。"
        QMessageBox.information(self.parent, "导入采集表", text)
        if self.on_imported is not None:
            self.on_imported(result)

    def _flag_note(self, result: ImportResult) -> str:
        """疑似异常 among what was just written, named so the clerk can ask the unit now."""
        batches = [f.batch_id for f in result.files if f.batch_id is not None]
        flags = FlagService(self.imports.db).imported(batches)
        if not flags:
            return ""
        return (
            f"\n\n其中 {len(flags)} 条疑似异常（不影响导入，可在“报表 → 疑似异常…”确认或修改）：\n"
            + named(flags)
        )

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self.parent, "导入采集表", str(exc))


class BatchesDialog(QDialog):
    """导入批次: every import, and undo of a whole batch."""

    def __init__(
        self,
        imports: ImportService,
        parent: QWidget | None = None,
        on_undone: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.imports = imports
        self.on_undone = on_undone
        self.setWindowTitle("导入批次")
        self.resize(900, 420)
        self.table = _table(
            ["批次", "导入时间", "单位", "文件", "活动", "指标数据", "操作人", "状态"]
        )
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.undo_button = QPushButton("撤销所选批次…")
        self.undo_button.clicked.connect(self._undo)
        self.table.itemSelectionChanged.connect(self._selection)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        hint = QLabel(
            "撤销会删除该批次导入的全部活动和指标数据（包括导入后又修改过的）；已锁定统计期的批次不能撤销。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {MUTED};")
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.batches = self.imports.batches()
        self.table.setRowCount(0)
        for b in self.batches:
            row = self.table.rowCount()
            self.table.insertRow(row)
            state = f"已撤销（{b.undone_at:%Y-%m-%d %H:%M}）" if b.undone_at else "有效"
            values = [
                b.id,
                f"{b.imported_at:%Y-%m-%d %H:%M}",
                b.unit_name,
                b.file_name,
                b.activities,
                b.entries,
                b.operator,
                state,
            ]
            for col, value in enumerate(values):
                item = read_only_item(value, col in (0, 4, 5))
                if b.undone_at:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self._selection()

    def _selected(self):
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.batches[rows.pop()] if len(rows) == 1 else None

    def _selection(self) -> None:
        batch = self._selected()
        self.undo_button.setEnabled(batch is not None and batch.undone_at is None)

    def _undo(self) -> None:
        batch = self._selected()
        if batch is None:
            return
        if not confirm(
            self,
            "撤销导入批次",
            f"撤销批次 {batch.id}（{batch.file_name}）？\n"
            f"将删除它导入的活动 {batch.activities} 条、指标数据 {batch.entries} 条。",
            "撤销批次",
        ):
            return
        try:
            activities, entries = self.imports.undo(batch.id)
        except ServiceError as exc:
            QMessageBox.warning(self, "撤销导入批次", str(exc))
            return
        QMessageBox.information(
            self,
            "撤销导入批次",
            f"已撤销批次 {batch.id}：删除活动 {activities} 条、指标数据 {entries} 条。",
        )
        self.refresh()
        if self.on_undone is not None:
            self.on_undone()
