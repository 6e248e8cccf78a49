"""考核: the year's rubric with the rules read from it, and every member unit's scores.

Everything comes from the assessment services (desktop/services/assessment.py,
rubrics.py): the page shows the rubric, a units × items grid of final scores
(the automatic score's reason, 自评 and 审核 on hover), totals, rank and 等次,
and takes a unit's 自评 or the office's 审核 for one item. The scores are
worked out off the GUI thread: for thirty units and a dozen items they read
the whole year's ledger.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.services import Services
from desktop.services.assessment import ItemScore, UnitResult
from desktop.services.assessment_rules import rule_text
from desktop.ui.table_cells import read_only_item
from desktop.ui.widgets import MUTED, page_title
from desktop.ui.workers import Task, run_with_progress

RUBRIC_HEADERS = ["序号", "考核项目", "考核内容", "考核标准", "分值", "识别出的计分规则"]
GRADE_COLOURS = {"优秀": "#2e7d32", "良好": "#1565c0", "合格": "#ef6c00", "不合格": "#c62828"}


def _points(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _tip(item: ItemScore) -> str:
    lines = [f"自动评分：{_points(item.auto) or '—'}（{item.reason}）"]
    if item.self_score is not None:
        lines.append(f"自评：{_points(item.self_score)}")
    if item.review is not None:
        lines.append(f"审核：{_points(item.review)}")
    if item.note:
        lines.append(f"说明：{item.note}")
    return "\n".join(lines)


class ScoreDialog(QDialog):
    """One unit's 自评 or the office's 审核 of one item, with the note a differing 审核 needs."""

    def __init__(self, item: ItemScore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{item.unit} 第 {item.code} 项")
        self.self_score = QDoubleSpinBox()
        self.review = QDoubleSpinBox()
        for box, value in ((self.self_score, item.self_score), (self.review, item.review)):
            box.setRange(-1, item.max)
            box.setDecimals(1)
            box.setSpecialValueText("未填")  # -1: not given
            box.setValue(-1 if value is None else value)
        self.note = QLineEdit(item.note)
        self.note.setPlaceholderText("审核分与自评分不同时必填")
        form = QFormLayout(self)
        form.addRow("自动评分", QLabel(f"{_points(item.auto) or '—'}（{item.reason}）"))
        form.addRow(f"自评分（满分 {item.max:g}）", self.self_score)
        form.addRow("审核分", self.review)
        form.addRow("说明", self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[float | None, float | None, str]:
        def given(box: QDoubleSpinBox) -> float | None:
            return None if box.value() < 0 else box.value()

        return given(self.self_score), given(self.review), self.note.text()


class AssessmentPage(QWidget):
    loaded = Signal()  # the year's scores are shown

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.results: list[UnitResult] = []
        self.codes: list[str] = []
        self.task: Task | None = None
        self.year = QComboBox()
        self.import_button = QPushButton("导入评分细则…")
        self.import_button.setToolTip("本地的考核评分细则：Excel（按各地公布的格式）或 YAML")
        self.sample_button = QPushButton("使用内置示例细则")
        self.score_button = QPushButton("填写自评/审核…")
        self.export_button = QPushButton("导出结果汇总表…")
        self.book_button = QPushButton("生成台账资料汇编…")
        self.book_button.setToolTip("选中单位的考核台账资料汇编（PDF，含佐证照片和签到表）")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.rubric = QTableWidget(0, len(RUBRIC_HEADERS))
        self.rubric.setHorizontalHeaderLabels(RUBRIC_HEADERS)
        self.rubric.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rubric.verticalHeader().setVisible(False)
        self.rubric.setWordWrap(True)
        # Rows as tall as their wrapped standard needs at the width the column really has.
        self.rubric.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.grid = QTableWidget(0, 0)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.verticalHeader().setVisible(False)
        self.add_item_button = QPushButton("新增项目…")
        self.edit_item_button = QPushButton("编辑项目…")
        self.remove_item_button = QPushButton("删除项目")
        rubric_page = QWidget()
        box = QVBoxLayout(rubric_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.rubric, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (self.add_item_button, self.edit_item_button, self.remove_item_button):
            row.addWidget(button)
        box.addLayout(row)
        self.items: list[dict] = []
        self.tabs = QTabWidget()
        self.tabs.addTab(self.grid, "评分")
        self.tabs.addTab(rubric_page, "评分细则")
        top = QHBoxLayout()
        top.addWidget(page_title("年度考核"))
        top.addSpacing(16)
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addStretch(1)
        for button in (
            self.score_button,
            self.export_button,
            self.book_button,
            self.import_button,
            self.sample_button,
        ):
            top.addWidget(button)
        hint = QLabel(
            "得分取审核分，未审核取自评分，未自评取自动评分；自动评分按细则识别出的规则从活动台账计算，"
            "鼠标停在得分上可看理由。双击一格填写自评或审核。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {MUTED};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(hint)
        self.year.currentIndexChanged.connect(lambda _i: self.load())
        self.import_button.clicked.connect(self._ask_rubric)
        self.sample_button.clicked.connect(self.use_sample)
        self.score_button.clicked.connect(self.edit_selected)
        self.export_button.clicked.connect(self._ask_export)
        self.book_button.clicked.connect(self._ask_book)
        self.grid.cellDoubleClicked.connect(lambda r, c: self.edit(r, c))
        self.add_item_button.clicked.connect(lambda: self.edit_item(None))
        self.edit_item_button.clicked.connect(lambda: self.edit_item(self.rubric.currentRow()))
        self.rubric.cellDoubleClicked.connect(lambda r, _c: self.edit_item(r))
        self.remove_item_button.clicked.connect(self.remove_item)

    def refresh(self) -> None:
        plans = self.services.plans.plans()
        years = sorted({y for p in plans for y in range(p.first_year, p.last_year + 1)})
        current = self.year.currentData() or min(
            max(date.today().year - 1, years[0] if years else 0), years[-1] if years else 0
        )
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            owner = next(p for p in plans if p.first_year <= y <= p.last_year)
            self.year.addItem(f"{y}年（{owner.first_year}—{owner.last_year}方案）", y)
        if years:
            self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self.year.blockSignals(False)
        self.load()

    def load(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        if self.task is not None:
            self.task.cancel()
        self.status.setText(f"正在计算 {year} 年的考核得分…")
        self.task = Task(lambda _report: self._read(year), self)
        self.task.done.connect(self._show)
        self.task.error.connect(self._no_rubric)
        self.task.start()

    def _read(self, year: int) -> tuple[list[dict], list[UnitResult]]:
        return self.services.assessment.items(year), self.services.assessment.results(year)

    def _no_rubric(self, exc: BaseException) -> None:
        self.task = None
        self.results = []
        self.rubric.setRowCount(0)
        self.grid.setRowCount(0)
        self.grid.setColumnCount(0)
        self.status.setText(str(exc))
        self.sample_button.setVisible(True)
        for button in (self.score_button, self.export_button, self.book_button):
            button.setEnabled(False)
        self.loaded.emit()

    def _show(self, read: tuple[list[dict], list[UnitResult]]) -> None:
        self.task = None
        items, self.results = read
        self.items = items
        self.sample_button.setVisible(False)
        for button in (self.score_button, self.export_button, self.book_button):
            button.setEnabled(bool(self.results))
        self.rubric.setRowCount(len(items))
        for row, i in enumerate(items):
            values = [i["code"], i["group"], i["content"], i["standard"], _points(i["max"])]
            values.append(rule_text(i["rule"]))
            for col, value in enumerate(values):
                self.rubric.setItem(row, col, read_only_item(value, col == 4))
        header = self.rubric.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.codes = [i["code"] for i in items]
        maxima = {i["code"]: i["max"] for i in items}
        headers = (
            ["单位"] + [f"{c}（{maxima[c]:g}）" for c in self.codes] + ["总分", "名次", "等次"]
        )
        self.grid.clear()
        self.grid.setColumnCount(len(headers))
        self.grid.setHorizontalHeaderLabels(headers)
        for col, i in enumerate(items, start=1):
            self.grid.horizontalHeaderItem(col).setToolTip(f"{i['content']}：{i['standard']}")
        self.grid.setRowCount(len(self.results))
        for row, r in enumerate(self.results):
            self.grid.setItem(row, 0, read_only_item(r.unit))
            for col, item in enumerate(r.items, start=1):
                cell = read_only_item(_points(item.final), True)
                cell.setToolTip(_tip(item))
                if item.review is not None or item.self_score is not None:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.grid.setItem(row, col, cell)
            n = len(r.items)
            self.grid.setItem(row, n + 1, read_only_item(_points(r.total), True))
            self.grid.setItem(row, n + 2, read_only_item(r.rank, True))
            grade = read_only_item(r.grade)
            grade.setForeground(QColor(GRADE_COLOURS.get(r.grade, MUTED)))
            self.grid.setItem(row, n + 3, grade)
        self.grid.resizeColumnsToContents()
        year = self.year.currentData()
        self.status.setText(
            f"{year} 年考核：{len(self.results)} 个单位、{len(items)} 项，"
            f"满分 {sum(maxima.values()):g} 分。"
        )
        self.loaded.emit()

    def _item_at(self, row: int, col: int) -> ItemScore | None:
        if not 0 <= row < len(self.results) or not 1 <= col <= len(self.codes):
            return None
        return self.results[row].items[col - 1]

    def edit_selected(self) -> None:
        self.edit(self.grid.currentRow(), self.grid.currentColumn())

    def edit(self, row: int, col: int) -> None:
        item = self._item_at(row, col)
        if item is None:
            self.status.setText("请先在评分表中选中一个单位的一项得分。")
            return
        dialog = ScoreDialog(item, self)
        if not dialog.exec():
            return
        self_score, review, note = dialog.values()
        try:
            self.services.assessment.set_score(
                self.year.currentData(), item.unit, item.code, self_score, review, note
            )
        except ServiceError as exc:
            QMessageBox.warning(self, "填写考核得分", str(exc))
            return
        self.load()

    def use_sample(self) -> None:
        from desktop.services.rubrics import sample_rubric

        self._import(sample_rubric(), "内置示例")

    def _ask_rubric(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择考核评分细则", "", "评分细则 (*.xlsx *.yaml *.yml);;所有文件 (*)"
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        import yaml

        try:
            if path.suffix.lower() in (".xlsx", ".xlsm"):
                from desktop.importing.rubric_workbook import read_rubric_workbook

                data = read_rubric_workbook(path)
            else:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (ServiceError, OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            QMessageBox.warning(self, "导入评分细则", f"无法读取“{path.name}”：{exc}")
            return
        self._import(data, path.name)

    def _import(self, data: object, source: str) -> None:
        try:
            name = self.services.rubrics.import_rubric(data)  # type: ignore[arg-type]
        except ServiceError as exc:
            QMessageBox.warning(self, "导入评分细则", str(exc))
            return
        self.status.setText(f"已导入考核评分细则《{name}》（{source}）。")
        self.load()

    # --- the results table and the evidence book, written off the GUI thread -----------
    def _ask_export(self) -> None:
        year = self.year.currentData()
        path, _ = QFileDialog.getSaveFileName(
            self, "导出考核结果汇总表", f"{year}年度考核结果汇总表.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.export_results_to(Path(path))

    def export_results_to(self, out: Path) -> None:
        from desktop.exporting.assessment_results import export_results

        year = self.year.currentData()
        out = out.with_suffix(".xlsx")

        def job(_report: object) -> Path:
            return export_results(self.services.assessment_files.results_table(year), out)

        self.task = run_with_progress(
            self, "正在导出考核结果汇总表", job, lambda p: self._written(p), self._failed
        )

    def _ask_book(self) -> None:
        row = self.grid.currentRow()
        if not 0 <= row < len(self.results):
            self.status.setText("请先在评分表中选中一个单位。")
            return
        from desktop.exporting.evidence_book import book_file_name

        year, unit = self.year.currentData(), self.results[row].unit
        path, _ = QFileDialog.getSaveFileName(
            self, "生成台账资料汇编", book_file_name(unit, year), "PDF 文件 (*.pdf)"
        )
        if path:
            self.write_book(unit, Path(path))

    def write_book(self, unit: str, out: Path) -> None:
        from desktop.exporting.evidence_book import export_book

        year = self.year.currentData()
        out = out.with_suffix(".pdf")
        self.task = run_with_progress(
            self,
            f"正在生成{unit}台账资料汇编",
            lambda report: export_book(self.services, year, unit, out, report),
            lambda p: self._written(p),
            self._failed,
        )

    def _written(self, path: Path) -> None:
        self.task = None
        self.status.setText(f"已生成：{path}")

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.status.setText(f"未能生成：{exc}")

    # --- the rubric's items, edited here --------------------------------------------
    def edit_item(self, row: int | None) -> None:
        """A new item (row None) or the one in `row`; saved through the rubric editor."""
        from desktop.ui.rubric_item_dialog import RubricItemDialog

        if not self.items:
            self.status.setText("请先导入评分细则。")
            return
        item = self.items[row] if row is not None and 0 <= row < len(self.items) else None
        if row is not None and item is None:
            self.status.setText("请先选中一个考核项目。")
            return
        dialog = RubricItemDialog(item, self)
        if not dialog.exec():
            return
        code, data = dialog.values()
        try:
            self.services.rubric_editor.save_item(
                self.items[0]["rubric_id"], code, data, new=item is None
            )
        except ServiceError as exc:
            QMessageBox.warning(self, "考核项目", str(exc))
            return
        self.load()

    def remove_item(self) -> None:
        row = self.rubric.currentRow()
        if not 0 <= row < len(self.items):
            self.status.setText("请先选中一个考核项目。")
            return
        item = self.items[row]
        answer = QMessageBox.question(
            self, "删除考核项目", f"删除第 {item['code']} 项“{item['content']}”及其自评、审核分？"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.services.rubric_editor.remove_item(item["rubric_id"], item["code"])
        except ServiceError as exc:
            QMessageBox.warning(self, "考核项目", str(exc))
            return
        self.load()
