"""志愿者: science volunteer teams (科技志愿服务队) and their registered headcounts over time.

The total shown is the registered-volunteer figure the progress engine uses
(each team's latest headcount, summed), asked of the service, not summed here.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.limits import LIMITS
from desktop.models import Place, Unit
from desktop.services import Services
from desktop.services.volunteers import TeamInput, TeamRow, VolunteerService
from desktop.ui.date_edit import DateEdit
from desktop.ui.guarded_dialog import GuardedDialog
from desktop.ui.questions import confirm
from desktop.ui.table_cells import read_only_item
from desktop.ui.widgets import MUTED, fmt_number, page_title, section_label

MAX_HEADCOUNT = int(LIMITS["headcount"].high)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class VolunteerForm(GuardedDialog):
    """A team form: its fields, an error line under them, and 保存 / 取消.

    保存 runs the subclass's `store()`; a refusal from the service shows on
    the error line and keeps the form open with what was typed.
    """

    def store(self) -> None:
        """Hand the fields to the service; a ServiceError says why not. Each form has its own."""

    def lay_out(self, form: QFormLayout) -> None:
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save_changes(self) -> bool:
        self._save()
        return not self.isVisible()

    def _save(self) -> None:
        try:
            self.store()
        except ServiceError as exc:
            self.error.setText(str(exc))
            self.adjustSize()  # grow to fit the message: the fields keep their height
            return
        self.accept()


class TeamDialog(VolunteerForm):
    """Add or edit a team; a new team may get its first headcount at once."""

    def __init__(
        self,
        volunteers: VolunteerService,
        units: list[Unit],
        places: list[Place],
        team_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.volunteers = volunteers
        self.team_id = team_id
        self.saved_id: int | None = None
        self.setWindowTitle("修改志愿服务队" if team_id else "新增志愿服务队")
        self.name = QLineEdit()
        self.name.setPlaceholderText("如：景芝镇科技志愿服务队")
        self.unit = QComboBox()
        self.unit.addItem("（未指定）", None)
        for u in units:
            self.unit.addItem(u.name, u.id)
        self.place = QComboBox()
        self.place.addItem("（未指定）", None)
        for p in places:
            self.place.addItem(p.name, p.id)
        self.has_founded = QCheckBox("已知成立日期")
        self.founded = DateEdit(date.today())
        self.note = QLineEdit()
        self.headcount = QSpinBox()
        self.headcount.setRange(0, MAX_HEADCOUNT)
        self.as_of = DateEdit(date.today())
        form = QFormLayout()
        form.addRow("队伍名称*", self.name)
        form.addRow("所属单位", self.unit)
        form.addRow("地点", self.place)
        founded_row = QHBoxLayout()
        founded_row.addWidget(self.has_founded)
        founded_row.addWidget(self.founded, 1)
        form.addRow("成立日期", founded_row)
        form.addRow("备注", self.note)
        if team_id is None:
            form.addRow("注册人数", self.headcount)
            form.addRow("人数统计日期", self.as_of)
        else:
            team = volunteers.get(team_id)
            self.name.setText(team.name)
            self.unit.setCurrentIndex(max(self.unit.findData(team.unit_id), 0))
            self.place.setCurrentIndex(max(self.place.findData(team.place_id), 0))
            if team.founded is not None:
                self.has_founded.setChecked(True)
                self.founded.setDate(_qdate(team.founded))
            self.note.setText(team.note)
        self.founded.setEnabled(self.has_founded.isChecked())
        self.has_founded.toggled.connect(self.founded.setEnabled)
        self.lay_out(form)
        self.resize(440, 0)

    def data(self) -> TeamInput:
        return TeamInput(
            name=self.name.text(),
            unit_id=self.unit.currentData(),
            place_id=self.place.currentData(),
            founded=_pydate(self.founded.date()) if self.has_founded.isChecked() else None,
            note=self.note.text(),
        )

    def snapshot(self) -> str:
        return repr((self.data(), self.headcount.value(), self.as_of.date()))

    def store(self) -> None:
        if self.team_id is None:
            count = self.headcount.value()
            self.saved_id = self.volunteers.add(
                self.data(), count if count > 0 else None, _pydate(self.as_of.date())
            )
        else:
            self.volunteers.update(self.team_id, self.data())
            self.saved_id = self.team_id


class HeadcountDialog(VolunteerForm):
    """Record a team's registered headcount on a date."""

    def __init__(
        self,
        volunteers: VolunteerService,
        team_id: int,
        team_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.volunteers = volunteers
        self.team_id = team_id
        self.setWindowTitle("登记注册人数")
        self.as_of = DateEdit(date.today())
        self.headcount = QSpinBox()
        self.headcount.setRange(0, MAX_HEADCOUNT)
        history = volunteers.headcounts(team_id)
        if history:
            self.headcount.setValue(history[-1].headcount)
        form = QFormLayout()
        form.addRow("队伍", QLabel(team_name))
        form.addRow("统计日期", self.as_of)
        form.addRow("注册人数", self.headcount)
        self.lay_out(form)

    def snapshot(self) -> tuple[QDate, int]:
        return self.as_of.date(), self.headcount.value()

    def store(self) -> None:
        self.volunteers.set_headcount(
            self.team_id, _pydate(self.as_of.date()), self.headcount.value()
        )


class VolunteersPage(QWidget):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.volunteers = services.volunteers
        self.rows: list[TeamRow] = []
        self.total = QLabel()
        self.total.setStyleSheet("font-size: 15px; color: #1565c0; font-weight: bold;")
        self.add_button = QPushButton("新增队伍…")
        self.edit_button = QPushButton("修改…")
        self.delete_button = QPushButton("删除")
        self.count_button = QPushButton("登记人数…")
        self.delete_count_button = QPushButton("删除人数记录")
        top = QHBoxLayout()
        top.addWidget(page_title("志愿者"))
        top.addSpacing(16)
        top.addWidget(self.total)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        self.teams = QTableWidget(0, 6)
        self.teams.setHorizontalHeaderLabels(
            ["队伍名称", "所属单位", "地点", "成立日期", "注册人数", "统计日期"]
        )
        self.teams.verticalHeader().setVisible(False)
        self.teams.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.teams.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.teams.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.teams.setAlternatingRowColors(True)
        self.teams.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.history = QTableWidget(0, 4)
        self.history.setHorizontalHeaderLabels(["统计日期", "注册人数", "较上次", "状态"])
        self.history.verticalHeader().setVisible(False)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.history_title = section_label("人数变化")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.history_title)
        right_layout.addWidget(self.history, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_button)
        buttons.addWidget(self.delete_count_button)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.teams)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        hint = QLabel(
            "“注册科技志愿者人数”指标取每支队伍最近一次登记的人数之和。已锁定统计期内的人数记录只读。"
        )
        hint.setStyleSheet(f"color: {MUTED};")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(hint)
        self.add_button.clicked.connect(self._add)
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(self._delete)
        self.count_button.clicked.connect(self._count)
        self.delete_count_button.clicked.connect(self._delete_count)
        self.teams.itemSelectionChanged.connect(self._selected_changed)
        self.history.itemSelectionChanged.connect(self._buttons)
        self.dialog: QDialog | None = None

    def refresh(self, select: int | None = None) -> None:
        keep = select if select is not None else self.selected_team_id()
        self.rows = self.volunteers.teams()
        today = date.today()
        self.total.setText(
            f"注册科技志愿者合计 {fmt_number(self.volunteers.registered_total(today))} 人"
            f"（{len(self.rows)} 支队伍，截至 {today.isoformat()}）"
        )
        self.teams.blockSignals(True)
        self.teams.setRowCount(len(self.rows))
        for r, t in enumerate(self.rows):
            values = [
                t.name,
                t.unit_name,
                t.place_name,
                t.founded.isoformat() if t.founded else "",
                fmt_number(t.headcount) if t.headcount is not None else "",
                t.headcount_as_of.isoformat() if t.headcount_as_of else "",
            ]
            for c, value in enumerate(values):
                self.teams.setItem(r, c, read_only_item(value, c == 4))
        self.teams.resizeColumnsToContents()
        self.teams.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.teams.blockSignals(False)
        index = next((i for i, t in enumerate(self.rows) if t.id == keep), 0 if self.rows else -1)
        if index >= 0:
            self.teams.selectRow(index)
        self._selected_changed()

    def selected_team_id(self) -> int | None:
        rows = {i.row() for i in self.teams.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.rows[row].id if row < len(self.rows) else None

    def _selected_changed(self) -> None:
        team_id = self.selected_team_id()
        self.history.setRowCount(0)
        self.history_rows = []
        if team_id is not None:
            team = next(t for t in self.rows if t.id == team_id)
            self.history_title.setText(f"人数变化：{team.name}")
            self.history_rows = list(reversed(self.volunteers.headcounts(team_id)))
            self.history.setRowCount(len(self.history_rows))
            for r, h in enumerate(self.history_rows):
                change = "" if h.change is None else f"{h.change:+d}"
                values = [
                    h.as_of.isoformat(),
                    fmt_number(h.headcount),
                    change,
                    "已锁定" if h.locked else "",
                ]
                for c, value in enumerate(values):
                    item = read_only_item(value, c in (1, 2))
                    if h.locked:
                        item.setForeground(Qt.GlobalColor.gray)
                    self.history.setItem(r, c, item)
        else:
            self.history_title.setText("人数变化")
        self._buttons()

    def _buttons(self) -> None:
        has_team = self.selected_team_id() is not None
        self.edit_button.setEnabled(has_team)
        self.delete_button.setEnabled(has_team)
        self.count_button.setEnabled(has_team)
        rows = {i.row() for i in self.history.selectedIndexes()}
        self.delete_count_button.setEnabled(
            len(rows) == 1 and not self.history_rows[next(iter(rows))].locked
        )

    def _team_dialog(self, team_id: int | None) -> None:
        dialog = TeamDialog(
            self.volunteers,
            self.services.reference.units(),
            self.services.reference.places(),
            team_id,
            self,
        )
        dialog.accepted.connect(lambda: self.refresh(dialog.saved_id))
        self.dialog = dialog
        dialog.open()

    def _add(self) -> None:
        self._team_dialog(None)

    def _edit(self) -> None:
        team_id = self.selected_team_id()
        if team_id is not None:
            self._team_dialog(team_id)

    def _delete(self) -> None:
        team_id = self.selected_team_id()
        if team_id is None:
            return
        team = next(t for t in self.rows if t.id == team_id)
        if not confirm(
            self,
            "删除志愿服务队",
            f"删除“{team.name}”及其全部人数记录？此操作会记入审计日志。",
            "删除",
        ):
            return
        try:
            self.volunteers.delete(team_id)
        except ServiceError as exc:
            QMessageBox.warning(self, "删除志愿服务队", str(exc))
            return
        self.refresh()

    def _count(self) -> None:
        team_id = self.selected_team_id()
        if team_id is None:
            return
        team = next(t for t in self.rows if t.id == team_id)
        dialog = HeadcountDialog(self.volunteers, team_id, team.name, self)
        dialog.accepted.connect(lambda: self.refresh(team_id))
        self.dialog = dialog
        dialog.open()

    def _delete_count(self) -> None:
        rows = {i.row() for i in self.history.selectedIndexes()}
        if len(rows) != 1:
            return
        record = self.history_rows[rows.pop()]
        try:
            self.volunteers.delete_headcount(record.id)
        except ServiceError as exc:
            QMessageBox.warning(self, "删除人数记录", str(exc))
            return
        self.refresh()
