"""The activity dialog: every field of one ledger record, with its evidence files.

Rules live in the services; the dialog only collects the fields, asks before
saving a likely duplicate, and shows a refusal (ValidationError, LockedError)
next to the field it concerns. Its evidence files are an EvidenceBox
(desktop/ui/evidence_box.py), whose changes wait for the activity's save.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import LockedError, ServiceError, ValidationError
from desktop.limits import LIMITS
from desktop.services import Services
from desktop.services.activities import ActivityInput, ActivityRow
from desktop.services.periods import parse_period
from desktop.ui.date_edit import DateEdit
from desktop.ui.evidence_box import EvidenceBox
from desktop.ui.guarded_dialog import GuardedDialog
from desktop.ui.questions import ask
from desktop.ui.widgets import CheckList, fit_to_screen

ERROR_STYLE = "color: #c62828;"
FIELD_ALIASES = {"funding": "funding_yuan", "type": "type_id", "unit": "unit_id"}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def month_locked(services: Services, day: date) -> bool:
    """Locks are on years, quarters or months, so a day is locked iff its month is."""
    return services.locks.is_locked(parse_period(f"{day.year}{day.month:02d}"))


class ActivityDialog(GuardedDialog):
    """Add (activity_id None) or edit one activity; emits `saved(id)` after each save."""

    saved = Signal(int)

    def __init__(
        self, services: Services, activity_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.activity_id = activity_id
        self._inputs: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self.plan = services.plans.active() if services.plans.has_active() else None
        fit_to_screen(self, 1060, 720)
        self._build()
        if activity_id is None:
            self._new_defaults()
        else:
            self._load(activity_id)
        self._update_mode()
        self._watch_inputs()
        self.mark_clean()

    def snapshot(self) -> tuple[dict, list[Path], set[int]]:
        return self.activity_input().as_dict(), *self.evidence.pending()

    def save_changes(self) -> bool:
        return self.save()

    # --- building -----------------------------------------------------------

    def _watch_inputs(self) -> None:
        """Every plain field re-checks the form when it changes, after a refused save."""
        for widget in self._inputs.values():
            if isinstance(widget, QComboBox):
                signal = (
                    widget.editTextChanged if widget.isEditable() else widget.currentIndexChanged
                )
            else:
                signal = next(
                    (
                        getattr(widget, name)
                        for name in ("textChanged", "valueChanged", "dateChanged")
                        if hasattr(widget, name)
                    ),
                    None,
                )
            if signal is not None:
                signal.connect(self._edited)

    def _edited(self, *_args: object) -> None:
        self._recheck()

    def _error_label(self, name: str, widget: QWidget) -> QLabel:
        """The red message line for a field, shown when the service refuses its value."""
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        self._inputs[name] = widget
        self._errors[name] = error
        return error

    def _field(self, name: str, widget: QWidget) -> QWidget:
        """The input with its message line under it."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        layout.addWidget(self._error_label(name, widget))
        return box

    def _count_box(self, name: str, optional: bool = False) -> QSpinBox:
        box = QSpinBox()
        box.setRange(-1 if optional else 0, int(LIMITS[name].high))
        box.setGroupSeparatorShown(True)
        box.setAlignment(Qt.AlignmentFlag.AlignRight)
        if optional:
            box.setSpecialValueText("未统计")
        return box

    def _build(self) -> None:
        self.lock_banner = QLabel()
        self.lock_banner.setWordWrap(True)
        self.lock_banner.setStyleSheet(
            "background: #fff3e0; color: #e65100; border: 1px solid #ffcc80;"
            "border-radius: 4px; padding: 6px 10px;"
        )
        self.lock_banner.hide()

        # Basic facts.
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("例如：景芝镇高素质农民培训班")
        self.start_edit = DateEdit()
        self.end_check = QCheckBox("至")
        self.end_edit = DateEdit()
        for edit in (self.start_edit, self.end_edit):
            edit.setDateRange(QDate(2000, 1, 1), QDate(2100, 12, 31))
        self.end_edit.setEnabled(False)
        self.end_check.toggled.connect(self.end_edit.setEnabled)
        self.start_edit.dateChanged.connect(self._start_changed)
        dates = QWidget()
        dates_layout = QHBoxLayout(dates)
        dates_layout.setContentsMargins(0, 0, 0, 0)
        dates_layout.addWidget(self._field("start_date", self.start_edit))
        dates_layout.addWidget(self.end_check, 0, Qt.AlignmentFlag.AlignTop)
        dates_layout.addWidget(self._field("end_date", self.end_edit))
        dates_layout.addStretch(1)

        self.type_combo = QComboBox()
        self.type_combo.addItem("请选择活动类型", 0)
        for t in self.services.reference.activity_types():
            self.type_combo.addItem(t.name, t.id)
        self.type_combo.setMaxVisibleItems(15)
        self.place_combo = QComboBox()
        self.place_combo.addItem("（不填）", None)
        for p in self.services.reference.places():
            self.place_combo.addItem(p.name, p.id)
        self.place_combo.setMaxVisibleItems(20)
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)
        self.unit_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit_combo.lineEdit().setPlaceholderText("输入单位名称的几个字可快速查找")
        units = self.services.reference.units()
        for u in units:
            self.unit_combo.addItem(u.name, u.id)
        self.unit_combo.setMaxVisibleItems(20)
        completer = self.unit_combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

        basics = QGroupBox("基本信息")
        form = QFormLayout(basics)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("活动名称 *", self._field("title", self.title_edit))
        form.addRow("活动日期 *", dates)
        form.addRow("活动类型 *", self._field("type_id", self.type_combo))
        form.addRow("地点（镇/街道）", self._field("place_id", self.place_combo))
        form.addRow("组织单位 *", self._field("unit_id", self.unit_combo))

        # Figures.
        self.participants = self._count_box("participants")
        self.female = self._count_box("female", optional=True)
        self.rural = self._count_box("rural", optional=True)
        self.sessions = self._count_box("sessions")
        self.volunteers = self._count_box("volunteers")
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, LIMITS["volunteer_hours"].high)
        self.hours.setDecimals(1)
        self.funding = QDoubleSpinBox()
        self.funding.setRange(0, LIMITS["funding_yuan"].high)
        self.funding.setDecimals(2)
        self.funding.setGroupSeparatorShown(True)
        self.hours.setSuffix(" 小时")
        self.funding.setSuffix(" 元")
        for box in (self.hours, self.funding):
            box.setAlignment(Qt.AlignmentFlag.AlignRight)
        figures = QGroupBox("数量")
        grid = QGridLayout(figures)
        cells = [
            ("参加人次", "participants", self.participants),
            ("其中女性", "female", self.female),
            ("其中农村", "rural", self.rural),
            ("场次/期数", "sessions", self.sessions),
            ("志愿者人次", "volunteers", self.volunteers),
            ("志愿服务时长", "volunteer_hours", self.hours),
            ("经费", "funding_yuan", self.funding),
        ]
        # Three to a row; a refused value's message takes the line under its row
        # (one message at a time, so the row's labels can share that line).
        for i, (label, name, box) in enumerate(cells):
            row, col = divmod(i, 3)
            grid.addWidget(QLabel(label), row * 2, col * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(box, row * 2, col * 2 + 1)
            grid.addWidget(self._error_label(name, box), row * 2 + 1, 0, 1, 6)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)

        self.media_edit = QLineEdit()
        self.media_edit.setPlaceholderText("例如：安丘融媒 2025-05-20 报道")
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setMinimumHeight(60)
        self.summary_edit.setMaximumHeight(120)
        self.summary_edit.setPlaceholderText("活动内容、成效等，年度总结中可引用")
        notes = QGroupBox("说明")
        notes_form = QFormLayout(notes)
        notes_form.addRow("媒体报道", self._field("media", self.media_edit))
        notes_form.addRow("活动简介", self._field("summary", self.summary_edit))

        # Links: tasks, groups, cooperating units.
        self.tasks = CheckList("筛选任务：输入编号或文字")
        if self.plan is not None:
            for section in self.plan.sections:
                group = self.tasks.add_group(section.title)
                for task in section.tasks:
                    self.tasks.add_item(task.id, f"{task.code} {task.title}", group, task.code)
        tasks_box = QGroupBox("服务的方案任务")
        QVBoxLayout(tasks_box).addWidget(self._field("task_ids", self.tasks))

        self.group_checks: dict[int, QCheckBox] = {}
        groups_box = QGroupBox("重点人群")
        groups_grid = QGridLayout(groups_box)
        for i, g in enumerate(self.services.reference.groups()):
            check = QCheckBox(g.name)
            self.group_checks[g.id] = check
            groups_grid.addWidget(check, i // 3, i % 3)

        self.cooperators = CheckList("筛选单位")
        for u in units:
            self.cooperators.add_item(u.id, u.name, short=u.name)
        self.cooperators.tree.setMaximumHeight(130)
        coop_box = QGroupBox("配合单位")
        QVBoxLayout(coop_box).addWidget(self._field("cooperator_ids", self.cooperators))

        self.evidence = EvidenceBox(self.services)

        left = QVBoxLayout()
        left.addWidget(basics)
        left.addWidget(figures)
        left.addWidget(notes, 1)
        left.addWidget(self.evidence)
        right = QVBoxLayout()
        right.addWidget(tasks_box, 3)
        right.addWidget(groups_box)
        right.addWidget(coop_box, 2)

        # Buttons.
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.save_new_button = QPushButton("保存并新增下一条")
        self.save_button = QPushButton("保存")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("取消")
        self.save_button.clicked.connect(self.save)
        self.save_new_button.clicked.connect(self.save_and_new)
        self.cancel_button.clicked.connect(self.reject)
        self.evidence.message.connect(self.error_label.setText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error_label, 1)
        buttons.addWidget(self.save_new_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        self._editable = [basics, figures, notes, tasks_box, groups_box, coop_box]
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        root = QVBoxLayout(self)
        root.addWidget(self.lock_banner)
        root.addLayout(columns, 1)
        root.addLayout(buttons)

    # --- loading ------------------------------------------------------------

    def _default_date(self) -> date:
        today = date.today()
        if self.plan is None:
            return today
        if today.year > self.plan.last_year:
            return date(self.plan.last_year, 12, 31)
        if today.year < self.plan.first_year:
            return date(self.plan.first_year, 1, 1)
        return today

    def _new_defaults(self) -> None:
        self.start_edit.setDate(_qdate(self._default_date()))
        self.end_edit.setDate(self.start_edit.date())
        self.sessions.setValue(1)
        self.female.setValue(-1)
        self.rural.setValue(-1)
        self.unit_combo.setCurrentIndex(-1)

    def _load(self, activity_id: int) -> None:
        a = self.services.activities.get(activity_id)
        self.title_edit.setText(a.title)
        self.start_edit.setDate(_qdate(a.start_date))
        self.end_check.setChecked(a.end_date is not None)
        self.end_edit.setDate(_qdate(a.end_date or a.start_date))
        self.type_combo.setCurrentIndex(max(self.type_combo.findData(a.type_id), 0))
        self.place_combo.setCurrentIndex(max(self.place_combo.findData(a.place_id), 0))
        self.unit_combo.setCurrentIndex(self.unit_combo.findData(a.unit_id))
        self.participants.setValue(a.participants)
        self.female.setValue(-1 if a.female is None else a.female)
        self.rural.setValue(-1 if a.rural is None else a.rural)
        self.sessions.setValue(a.sessions)
        self.volunteers.setValue(a.volunteers)
        self.hours.setValue(a.volunteer_hours)
        self.funding.setValue(a.funding_fen / 100)
        self.media_edit.setText(a.media)
        self.summary_edit.setPlainText(a.summary)
        self.tasks.set_checked(t.id for t in a.tasks)
        self.cooperators.set_checked(u.id for u in a.cooperators)
        for gid, check in self.group_checks.items():
            check.setChecked(any(g.id == gid for g in a.groups))
        self._locked = month_locked(self.services, a.start_date)
        self.evidence.show_stored(a.evidence)

    def _update_mode(self) -> None:
        editing = self.activity_id is not None
        locked = editing and getattr(self, "_locked", False)
        self.setWindowTitle(
            "查看活动（已锁定）" if locked else "修改活动" if editing else "新增活动"
        )
        self.save_new_button.setVisible(not editing)
        if locked:
            self.lock_banner.setText(
                "该活动所在的统计期已报送并锁定，只能查看，不能修改。如确需修改，请先解锁该统计期。"
            )
        self.lock_banner.setVisible(locked)
        for box in self._editable:
            box.setEnabled(not locked)
        if locked:  # a grey example would read as a recorded value
            self.media_edit.setPlaceholderText("")
            self.summary_edit.setPlaceholderText("")
        self.save_button.setEnabled(not locked)
        self.save_button.setVisible(not locked)
        self.cancel_button.setText("关闭" if locked else "取消")
        self.evidence.set_locked(locked)

    def _start_changed(self, new: QDate) -> None:
        if not self.end_check.isChecked() or self.end_edit.date() < new:
            self.end_edit.setDate(new)

    # --- saving -------------------------------------------------------------

    def _unit_id(self) -> int:
        index = self.unit_combo.findText(
            self.unit_combo.currentText().strip(), Qt.MatchFlag.MatchExactly
        )
        return int(self.unit_combo.itemData(index)) if index >= 0 else 0

    def activity_input(self) -> ActivityInput:
        """The fields as the service takes them."""
        female = self.female.value()
        rural = self.rural.value()
        return ActivityInput(
            start_date=self.start_edit.date().toPython(),
            end_date=self.end_edit.date().toPython() if self.end_check.isChecked() else None,
            title=self.title_edit.text().strip(),
            type_id=int(self.type_combo.currentData() or 0),
            unit_id=self._unit_id(),
            place_id=self.place_combo.currentData(),
            participants=self.participants.value(),
            female=None if female < 0 else female,
            rural=None if rural < 0 else rural,
            sessions=self.sessions.value(),
            volunteers=self.volunteers.value(),
            volunteer_hours=self.hours.value(),
            funding_yuan=self.funding.value(),
            media=self.media_edit.text().strip(),
            summary=self.summary_edit.toPlainText().strip(),
            task_ids=self.tasks.checked(),
            group_ids=[gid for gid, c in self.group_checks.items() if c.isChecked()],
            cooperator_ids=self.cooperators.checked(),
        )

    def clear_errors(self) -> None:
        self.error_label.clear()
        self.error_label.setStyleSheet(ERROR_STYLE)
        for name, label in self._errors.items():
            label.hide()
            self._inputs[name].setStyleSheet("")

    def field_error(self, name: str) -> str:
        """The message shown next to a field ('' when none)."""
        label = self._errors.get(name)
        return label.text() if label is not None and label.isVisible() else ""

    def _show_error(self, message: str, field: str | None) -> None:
        self._show_problems([(field, message)])

    def _show_problems(self, problems: list[tuple[str | None, str]]) -> None:
        """Every problem beside its field at once; the focus on the first."""
        first: QWidget | None = None
        loose: list[str] = []
        for field, message in problems:
            name = FIELD_ALIASES.get(field or "", field or "")
            if name not in self._errors:
                loose.append(message)
                continue
            self._errors[name].setText(message)
            self._errors[name].show()
            widget = self._inputs[name]
            if isinstance(widget, QLineEdit):  # spin boxes and combos lose their look
                widget.setStyleSheet("border: 1px solid #c62828; border-radius: 3px;")
            first = first or widget
        count = len(problems)
        summary = problems[0][1] if count == 1 else f"有 {count} 处需要修改，见各项下方的红字。"
        self.error_label.setText("；".join(loose) if loose and count == len(loose) else summary)
        if first is not None:
            first.setFocus()
        self._showing_problems = True

    def _recheck(self) -> None:
        """After a refused save, each edit re-checks: a fixed problem's message goes at once."""
        if not getattr(self, "_showing_problems", False):
            return
        data = self.activity_input()
        self.clear_errors()
        try:
            self.services.activities.check(data)
        except ValidationError as exc:
            self._show_problems(exc.per_field)
            return
        except ServiceError as exc:
            self._show_error(str(exc), "start_date")
            return
        self._showing_problems = False

    def _confirm_duplicates(self, rows: list[ActivityRow]) -> bool:
        listing = "\n".join(
            f"· {r.start_date.isoformat()} {r.unit_name}：{r.title}" for r in rows[:5]
        )
        return ask(
            self,
            QMessageBox.Icon.Question,
            "可能重复",
            f"同一单位同一天已有名称相近的活动：\n{listing}\n\n是否仍要保存？",
            yes="仍然保存",
            no="返回修改",
        )

    def _save(self) -> bool:
        self.clear_errors()
        data = self.activity_input()
        try:
            self.services.activities.check(data)
            duplicates = self.services.activities.find_duplicates(data, self.activity_id)
            if duplicates and not self._confirm_duplicates(duplicates):
                return False
            if self.activity_id is None:
                self.activity_id = self.services.activities.add(data)
            else:
                self.services.activities.update(self.activity_id, data)
        except LockedError as exc:
            self._show_error(str(exc), "start_date")
            return False
        except ValidationError as exc:
            self._show_problems(exc.per_field)
            return False
        except ServiceError as exc:
            self._show_error(str(exc), None)
            return False
        problems = self.evidence.apply(self.activity_id)
        self.saved.emit(self.activity_id)
        if problems:
            self.evidence.refresh()
            self._update_mode()
            QMessageBox.warning(
                self, "佐证材料", "活动已保存，但以下佐证材料未能保存：\n" + "\n".join(problems)
            )
            return False
        return True

    def save(self) -> bool:
        if self._save():
            self.accept()
            return True
        return False

    def save_and_new(self) -> None:
        """Save, then start a fresh record keeping date, type, place and unit (batch entry)."""
        if not self._save():
            return
        self.activity_id = None
        self.title_edit.clear()
        for box in (self.participants, self.volunteers):
            box.setValue(0)
        self.female.setValue(-1)
        self.rural.setValue(-1)
        self.sessions.setValue(1)
        self.hours.setValue(0)
        self.funding.setValue(0)
        self.media_edit.clear()
        self.summary_edit.clear()
        self.evidence.show_stored([])
        self._update_mode()
        self.error_label.setStyleSheet("color: #2e7d32;")
        self.error_label.setText("已保存，请录入下一条。")
        self.title_edit.setFocus()
        self.mark_clean()
