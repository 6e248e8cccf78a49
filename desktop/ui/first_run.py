"""First run: the office and its plan, before the main window opens.

Shown when the database has no active plan. The office's region, name and
contact go to the settings (they head every return); the plan comes from a
built-in template, a plan file, or the plan document's own text, reviewed
in the same draft tree as 从文本识别. Nothing is saved until 完成.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.errors import ServiceError
from desktop.plan.document import PlanDocument
from desktop.services import Services
from desktop.templates import load_template, template_ids
from desktop.ui.new_plan import choose_plan_file, save_new_plan
from desktop.ui.plan_parse_dialog import PlanTextWidget
from desktop.ui.widgets import fit_to_screen

OFFICE, SOURCE, TEMPLATE, FILE, TEXT = range(5)
OFFICE_FIELDS = [
    ("region", "地区（县/区/市）", "如：安丘市"),
    ("office_name", "办公室名称", "如：安丘市全民科学素质工作领导小组办公室"),
    ("contact_person", "联系人", ""),
    ("contact_phone", "联系电话", ""),
]


def plan_summary(doc: PlanDocument) -> str:
    """Plan metadata and counts, as shown before the user commits to a plan."""
    info = doc.info
    lines = [
        f"<b>{info.name}</b>",
        f"地区：{info.region}　期限：{info.first_year}—{info.last_year}年",
        f"文号：{info.doc_number or '—'}　印发日期：{info.issue_date or '—'}",
        f"{len(doc.sections)} 个行动/工程，{len(doc.tasks())} 项任务，{len(doc.indicators)} 个指标",
    ]
    if info.literacy_target is not None:
        lines.append(f"公民具备科学素质的比例目标：{info.literacy_target:g}%")
    return "<br>".join(lines)


class OfficePage(QWizardPage):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setTitle("欢迎使用科普台账")
        self.setSubTitle(
            "先填写本办公室的信息，它们会出现在报表的表头和落款中，以后可在设置中修改。"
        )
        form = QFormLayout(self)
        current = services.settings.all()
        self.edits: dict[str, QLineEdit] = {}
        for key, label, hint in OFFICE_FIELDS:
            edit = QLineEdit(current.get(key, ""))
            edit.setPlaceholderText(hint)
            self.edits[key] = edit
            required = key in ("region", "office_name")
            form.addRow(f"{label}{' *' if required else ''}", edit)
            edit.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return all(self.edits[k].text().strip() for k in ("region", "office_name"))

    def values(self) -> dict[str, str]:
        return {k: e.text().strip() for k, e in self.edits.items()}


class SourcePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("实施方案从哪里来？")
        self.setSubTitle("本县（市、区）的全民科学素质行动实施方案，是台账中一切指标和进度的依据。")
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        for ident, text, note in [
            (
                TEMPLATE,
                "使用内置方案模板",
                "五个真实方案：攀枝花、玉溪、中卫、安丘……可在此基础上修改",
            ),
            (FILE, "导入方案文件", "本程序导出的 Excel 方案工作簿（.xlsx）或 YAML 方案文件"),
            (TEXT, "从方案原文识别", "粘贴或打开方案全文（.txt / .docx），核对识别结果后保存"),
        ]:
            button = QRadioButton(text)
            button.setStyleSheet("font-size: 14px; font-weight: bold;")
            self.group.addButton(button, ident)
            layout.addWidget(button)
            hint = QLabel(note)
            hint.setStyleSheet("color: #607d8b; margin-left: 24px; margin-bottom: 10px;")
            layout.addWidget(hint)
        self.group.button(TEMPLATE).setChecked(True)
        layout.addStretch(1)

    def nextId(self) -> int:
        return self.group.checkedId()


class TemplatePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("选择内置方案模板")
        self.setSubTitle("选定后，行动、任务、责任单位和指标都已填好，以后可在“实施方案”页修改。")
        layout = QHBoxLayout(self)
        self.list = QListWidget()
        self.templates = {tid: load_template(tid) for tid in template_ids()}
        for tid, doc in self.templates.items():
            info = doc.info
            item = QListWidgetItem(f"{info.region}  {info.first_year}—{info.last_year}")
            item.setData(Qt.ItemDataRole.UserRole, tid)
            self.list.addItem(item)
        self.list.setMaximumWidth(220)
        self.list.currentItemChanged.connect(self._show)
        layout.addWidget(self.list)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.details, 1)
        self.list.setCurrentRow(0)
        self.setFinalPage(True)

    def _show(self) -> None:
        doc = self.plan()
        text = ""
        if doc:
            sections = "".join(f"<li>{s.title}（{len(s.tasks)} 项任务）</li>" for s in doc.sections)
            text = f"{plan_summary(doc)}<ul>{sections}</ul>"
        self.details.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.plan() is not None

    def plan(self) -> PlanDocument | None:
        item = self.list.currentItem()
        return load_template(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def nextId(self) -> int:
        return -1


class FilePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("导入方案文件")
        self.setSubTitle(
            "选择 Excel 方案工作簿（.xlsx）或 YAML 方案文件；文件会先整体检查，有问题不会导入。"
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        choose = QPushButton("选择文件…")
        choose.clicked.connect(lambda: self.load_file())
        row.addWidget(choose)
        self.path_label = QLabel("（未选择）")
        row.addWidget(self.path_label, 1)
        layout.addLayout(row)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.result, 1)
        self.data: PlanDocument | None = None
        self.setFinalPage(True)

    def load_file(self, path: Path | None = None) -> None:
        from desktop.importing.plan_file import read_plan_file

        path = path or choose_plan_file(self)
        if path is None:
            return
        self.path_label.setText(str(path))
        try:
            self.data = read_plan_file(path)
        except ServiceError as exc:
            self.data = None
            text = str(exc).replace("\n", "<br>")
            self.result.setText(f"<span style='color:#c62828'>{text}</span>")
        else:
            self.result.setText(plan_summary(self.data))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.data is not None

    def plan(self) -> PlanDocument | None:
        return self.data

    def nextId(self) -> int:
        return -1


class TextPage(QWizardPage):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setTitle("从方案原文识别")
        self.setSubTitle(
            "粘贴或打开方案全文，点“识别”，在右侧核对并修改行动、任务、责任单位和指标。"
        )
        layout = QVBoxLayout(self)
        self.widget = PlanTextWidget(services)
        self.widget.setMinimumHeight(520)
        layout.addWidget(self.widget, 1)
        self.widget.editor.changed.connect(self.completeChanged)
        self.setFinalPage(True)

    def isComplete(self) -> bool:
        return bool(self.widget.editor.draft().sections)

    def plan(self) -> PlanDocument | None:
        return self.widget.draft_to_save()

    def nextId(self) -> int:
        return -1


class FirstRunWizard(QWizard):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.plan_id: int | None = None
        self.setWindowTitle("科普台账 — 首次使用")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        fit_to_screen(self, 1100, 720)
        self.office = OfficePage(services)
        self.source = SourcePage()
        self.template_page = TemplatePage()
        self.file_page = FilePage()
        self.text_page = TextPage(services)
        self.setPage(OFFICE, self.office)
        self.setPage(SOURCE, self.source)
        self.setPage(TEMPLATE, self.template_page)
        self.setPage(FILE, self.file_page)
        self.setPage(TEXT, self.text_page)
        self.setStartId(OFFICE)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步 >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")

    def validateCurrentPage(self) -> bool:
        page = self.currentPage()
        if page in (self.template_page, self.file_page, self.text_page):
            return self.save(page.plan())
        return super().validateCurrentPage()

    def save(self, doc: PlanDocument | None) -> bool:
        """Write the plan and the office settings; explain and stay on the page if refused."""
        if doc is None:
            return False
        self.plan_id = save_new_plan(
            self, self.services, doc, activate=True, title="实施方案", noun="方案"
        )
        if self.plan_id is None:
            return False
        try:
            self.services.settings.update(self.office.values())
        except ServiceError as exc:
            QMessageBox.warning(self, "实施方案", str(exc))
            return False
        return True
