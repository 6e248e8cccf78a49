"""汇总下级报表: the lower regions' returns — who has sent one, their figures, and the mappings.

Everything comes from ReturnsService (desktop/services/returns.py): the
dialog imports the files the user picks (checked first, off the GUI thread,
then reviewed in desktop/ui/returns_review.py), and shows for one period
who has reported, each region's figures by the aggregation rules, and the
lower indicators with the office's own indicator each feeds, which the user
can change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.services import Services
from desktop.services.periods import Period
from desktop.services.region_figures import RegionTable
from desktop.services.reporting import PeriodReport
from desktop.services.returns import ReturnImportResult
from desktop.ui.reporting_dialog import STATUS_COLOURS
from desktop.ui.returns_review import ReturnsReview
from desktop.ui.table_cells import read_only_item
from desktop.ui.widgets import MUTED, PeriodPicker, YearChoice
from desktop.ui.workers import Task, run_with_progress

STATUS_HEADERS = ["地区", "报送情况", "报送时间", "文件 SHA-256", "联系人"]
MAP_HEADERS = ["下级编号", "下级指标", "计量单位", "报送地区", "本级指标", "说明"]
NOT_CONSOLIDATED = "（不汇总）"


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    return table


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:,.10g}"


class ReturnsDialog(QDialog):
    def __init__(
        self,
        services: Services,
        years: Sequence[YearChoice],
        current: Period,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.task: Task | None = None
        self.review: ReturnsReview | None = None
        self.paths: list[Path] = []
        self.setWindowTitle("汇总下级报表")
        self.resize(1100, 680)
        self.period = PeriodPicker(allow_all=False)
        self.period.set_years(years, current.year)
        self.period.set_period(current.code)
        self.due_label = QLabel()
        self.import_button = QPushButton("导入下级报表…")
        self.import_button.setToolTip("选择各地区用科普台账导出的 Excel 报表，可多选")
        self.region_button = QPushButton("登记地区…")
        self.region_button.setToolTip("登记应报送但尚未报送过的下级地区")
        top = QHBoxLayout()
        top.addWidget(QLabel("统计期"))
        top.addWidget(self.period)
        top.addSpacing(12)
        top.addWidget(self.due_label)
        top.addStretch(1)
        top.addWidget(self.region_button)
        top.addWidget(self.import_button)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: bold;")

        self.status_table = _table(STATUS_HEADERS)
        self.chase = QPlainTextEdit()
        self.chase.setReadOnly(True)
        self.chase.setMaximumHeight(120)
        self.copy_button = QPushButton("复制催报名单")
        status_page = QWidget()
        box = QVBoxLayout(status_page)
        box.addWidget(self.status_table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("催报名单"))
        row.addStretch(1)
        row.addWidget(self.copy_button)
        box.addLayout(row)
        box.addWidget(self.chase)

        self.figures = _table([])
        self.figures_note = QLabel()
        self.figures_note.setWordWrap(True)
        self.figures_note.setStyleSheet(f"color: {MUTED};")
        figures_page = QWidget()
        box = QVBoxLayout(figures_page)
        box.addWidget(self.figures, 1)
        box.addWidget(self.figures_note)

        self.mapping = _table(MAP_HEADERS)
        mapping_note = QLabel(
            "下级指标按编号、再按名称和计量单位自动对应本级指标；计量方式不同的不对应。"
            "在“本级指标”一栏改选后立即保存，已导入的报表随之重新汇总。"
        )
        mapping_note.setWordWrap(True)
        mapping_note.setStyleSheet(f"color: {MUTED};")
        mapping_page = QWidget()
        box = QVBoxLayout(mapping_page)
        box.addWidget(self.mapping, 1)
        box.addWidget(mapping_note)

        self.tabs = QTabWidget()
        self.tabs.addTab(status_page, "报送情况")
        self.tabs.addTab(figures_page, "分地区数值")
        self.tabs.addTab(mapping_page, "指标对应")
        self.message = QLabel()
        self.message.setWordWrap(True)
        close = QPushButton("关闭")
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self.period.changed.connect(self.refresh)
        self.import_button.clicked.connect(self._ask_files)
        self.region_button.clicked.connect(self._add_region)
        self.copy_button.clicked.connect(self._copy_chase)
        close.clicked.connect(self.accept)
        self.refresh()

    # --- showing -----------------------------------------------------------
    def refresh(self) -> None:
        period = self.period.period()
        if period is None:
            return
        try:
            table = self.services.returns.table(period.code)
        except ServiceError as exc:
            self.summary.setText(str(exc))
            return
        report = table.report
        self.due_label.setText(report.due_text)
        self.summary.setText(
            f"{period.label}　下级地区 {len(report.units)} 个　{report.rate_text}"
            if report.units
            else f"{period.label}　还没有下级地区：导入第一份下级报表时自动登记，也可先“登记地区…”"
        )
        self._show_status(report)
        self._show_figures(table)
        self._show_mapping()

    def _show_status(self, report: PeriodReport) -> None:
        self.status_table.setRowCount(len(report.units))
        for row, unit in enumerate(report.units):
            when = f"{unit.received_at:%Y-%m-%d %H:%M}" if unit.received_at else ""
            values = [unit.unit, unit.label, when, unit.sha256[:16], unit.contact]
            for col, value in enumerate(values):
                item = read_only_item(value)
                if col == 1:
                    item.setForeground(QColor(STATUS_COLOURS[unit.status]))
                if col == 3 and unit.sha256:
                    item.setToolTip(unit.sha256)
                self.status_table.setItem(row, col, item)
        self.status_table.resizeColumnsToContents()
        self.status_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.chase.setPlainText(report.chase_text())
        self.copy_button.setEnabled(bool(report.missing))

    def _show_figures(self, table: RegionTable) -> None:
        headers = ["地区", "报送情况"] + [
            f"{c.name}（{c.uom}）" if c.uom else c.name for c in table.columns
        ]
        units = table.in_order()
        self.figures.clear()
        self.figures.setColumnCount(len(headers))
        self.figures.setHorizontalHeaderLabels(headers)
        self.figures.setRowCount(len(units) + 1)
        for row, unit in enumerate(units):
            self.figures.setItem(row, 0, read_only_item(unit.unit))
            self.figures.setItem(row, 1, read_only_item(unit.label))
            for col, c in enumerate(table.columns, start=2):
                self.figures.setItem(
                    row, col, read_only_item(_figure(c.values.get(unit.unit)), True)
                )
        last = len(units)
        total = read_only_item("合计")
        font = total.font()
        font.setBold(True)
        total.setFont(font)
        self.figures.setItem(last, 0, total)
        self.figures.setItem(
            last, 1, read_only_item(f"{table.report.reported}/{table.report.expected}")
        )
        for col, c in enumerate(table.columns, start=2):
            text = f"{c.range[0]:g}—{c.range[1]:g}" if c.range is not None else _figure(c.total)
            item = read_only_item(text, True)
            item.setFont(font)
            self.figures.setItem(last, col, item)
        self.figures.resizeColumnsToContents()
        self.figures_note.setText(
            f"数据截至 {table.as_of.isoformat()}。累计数各地区相加，存量取各地区最新值相加；"
            "百分比不相加，合计行为各地区的范围。"
        )

    def _show_mapping(self) -> None:
        rows = self.services.returns.lower_indicators()
        choices = [(NOT_CONSOLIDATED, None)] + [
            (f"{code} {name}", code) for code, name in self.services.returns.indicator_codes()
        ]
        self.mapping.setRowCount(len(rows))
        for row, r in enumerate(rows):
            for col, value in enumerate([r.code, r.name, r.uom, "、".join(r.regions)]):
                self.mapping.setItem(row, col, read_only_item(value))
            combo = QComboBox()
            for text, code in choices:
                combo.addItem(text, code)
            combo.setCurrentIndex(
                next(i for i, (_, c) in enumerate(choices) if c == (r.indicator or None))
            )
            combo.currentIndexChanged.connect(
                lambda _i, r=r, combo=combo: self._map(r.code, r.name, combo.currentData())
            )
            self.mapping.setCellWidget(row, 4, combo)
            note = "已设对应" if r.mapped and r.indicator else r.reason
            self.mapping.setItem(row, 5, read_only_item(note))
        self.mapping.resizeColumnsToContents()
        self.mapping.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)

    # --- acting ------------------------------------------------------------
    def _map(self, code: str, name: str, target: str | None) -> None:
        try:
            changed = self.services.returns.set_mapping(code, name, target)
        except ServiceError as exc:
            self.message.setText(str(exc))
        else:
            what = f"对应本级指标 {target}" if target else "不汇总"
            self.message.setText(
                f"已设置：下级指标“{code} {name}”{what}；重新汇总了 {changed} 份报表。"
            )
        self.refresh()

    def _copy_chase(self) -> None:
        QGuiApplication.clipboard().setText(self.chase.toPlainText())
        self.copy_button.setText("已复制")

    def _add_region(self) -> None:
        name, ok = QInputDialog.getText(self, "登记下级地区", "地区名称（如：安丘市）")
        if not ok:
            return
        try:
            unit = self.services.returns.add_region(name)
        except ServiceError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(f"已登记下级地区：{unit.name}")
        self.refresh()

    def _ask_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "选择下级报表", "", "Excel 报表 (*.xlsx *.xls *.ods);;所有文件 (*)"
        )
        if files:
            self.check([Path(f) for f in files])

    def check(self, paths: Sequence[Path]) -> None:
        """Read and check the files off the GUI thread; the review decides what happens next."""
        self.paths = list(paths)
        self.task = run_with_progress(
            self,
            "正在检查下级报表…",
            lambda _report: self._run(True, False),
            self._review,
            self._failed,
        )

    def _run(self, dry_run: bool, replace: bool) -> ReturnImportResult:
        from desktop.importing.return_file import read_returns

        read, unreadable = read_returns(list(self.paths))
        return self.services.returns.import_returns(
            read, unreadable, dry_run=dry_run, replace=replace
        )

    def _review(self, preview: ReturnImportResult) -> None:
        self.review = ReturnsReview(preview, self)
        self.review.finished.connect(self._reviewed)
        self.review.open()

    def _reviewed(self, _code: int) -> None:
        assert self.review is not None
        choice = self.review.choice
        if not choice:
            return
        replace = choice == ReturnsReview.REPLACE
        self.task = run_with_progress(
            self,
            "正在汇总下级报表…",
            lambda _report: self._run(False, replace),
            self._imported,
            self._failed,
        )

    def _imported(self, result: ReturnImportResult) -> None:
        if result.written:
            done = [o for o in result.outcomes if o.action in ("imported", "replaced")]
            text = f"已汇总 {len(done)} 份下级报表：" + "、".join(
                f"{o.region}（{o.label}）" for o in done
            )
            if result.backup is not None:
                text += f"。导入前已备份数据库：{result.backup.name}"
        else:
            text = "没有导入任何报表：" + "；".join(o.message for o in result.outcomes)
        self.message.setText(text)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(f"导入下级报表失败：{exc}")
