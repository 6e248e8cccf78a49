"""The main window: a navigation list on the left, one page per module on the right.

It is shown in two steps, as a program that keeps its data in a large file
should start: first its frame — title, navigation and a calm "正在打开数据库…"
in the page area — from Qt and this module alone, then, once the database is
open (desktop/ui/app.py opens it off the GUI thread), `attach` fills it with
the pages. So this module, and what it imports at the top, must not load the
data layer: no desktop.services, desktop.db, desktop.models or SQLAlchemy
(tests/ui/test_startup_window.py holds it to that).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import workers
from desktop.ui.guarded_dialog import GuardedDialog
from desktop.ui.widgets import ACCENT, MUTED, Loader, fit_to_screen
from desktop.ui.workers import Task

if TYPE_CHECKING:
    from desktop.services import Services

# How often the window looks for changes that another program (kepu on the
# command line, a second tool) committed to the database.
WATCH_MS = 2000

# (navigation label, module under desktop.ui, page class). A page takes the
# Services and has refresh(), called whenever it is shown; it is built the
# first time it is shown.
PAGES: list[tuple[str, str, str]] = [
    ("总览", "dashboard_page", "DashboardPage"),
    ("活动台账", "ledger_page", "LedgerPage"),
    ("指标进度", "indicators_page", "IndicatorsPage"),
    ("数据填报", "entries_page", "EntriesPage"),
    ("志愿者", "volunteers_page", "VolunteersPage"),
    ("报表", "reports_page", "ReportsPage"),
    ("年度考核", "assessment_page", "AssessmentPage"),
    ("数据安全", "safety_page", "SafetyPage"),
    ("实施方案", "plan_page", "PlanPage"),
]

OPENING = "正在打开数据库…"


class LoadingState(QWidget):
    """What the page area shows until the database is open: one quiet line and a busy bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loading")
        # The first page's own background (总览), so that filling the frame changes nothing around it.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#loading { background: #f4f6f8; }")
        self.message = QLabel(OPENING)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(f"color: {MUTED}; font-size: 16px;")
        bar = QProgressBar()
        bar.setRange(0, 0)  # no steps to count: it only says the program is at work
        bar.setTextVisible(False)
        bar.setFixedSize(220, 4)
        bar.setStyleSheet(
            "QProgressBar { background: #e6e9ec; border: none; border-radius: 2px; }"
            f"QProgressBar::chunk {{ background: {ACCENT}; border-radius: 2px; }}"
        )
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addSpacing(14)
        layout.addWidget(bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    """`MainWindow(services)` is the whole window at once; `MainWindow()` is its frame,
    which `attach(services)` fills once the database is open."""

    closing = Signal()  # the window is going: whoever is still opening its database stops

    services: Services

    def __init__(self, services: Services | None = None) -> None:
        super().__init__()
        self.setWindowTitle("科普台账 — 全民科学素质行动工作台账")
        fit_to_screen(self, 1280, 800)

        self.nav = QListWidget()
        self.nav.setFixedWidth(150)
        self.nav.setObjectName("navigation")
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 15px; background: #263238; color: #eceff1; border: none; }"
            "QListWidget#navigation::item { padding: 12px 16px; }"
            "QListWidget#navigation::item:selected { background: #1565c0; color: white; }"
        )
        self.stack = QStackedWidget()
        # Start-up builds only what the first screen shows: each page is built
        # the first time it is shown (`page`), in the place of an empty widget.
        self.pages: dict[str, QWidget] = {}
        for label, _module, _cls in PAGES:
            self.stack.addWidget(QWidget())
            QListWidgetItem(label, self.nav)
        # Until `attach`, the page area says the database is being opened; a
        # click on the navigation meanwhile only chooses the page shown then.
        self.loading: LoadingState | None = LoadingState()
        self.stack.addWidget(self.loading)
        self.stack.setCurrentWidget(self.loading)
        self.nav.setCurrentRow(0)
        self.nav.currentRowChanged.connect(self._show)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self._watch = QTimer(self)
        self._watch.timeout.connect(self._look_outside)
        if services is not None:
            self.attach(services)

    @property
    def attached(self) -> bool:
        return self.loading is None

    def show_database(self, target: str) -> None:
        """The frame's status bar names the file being opened, where the loaded window names it."""
        self.status_label.setText(f"数据库：{target}")

    def say_loading(self, text: str) -> None:
        """Change the frame's loading line (the first-run wizard is on screen, say)."""
        if self.loading is not None:
            self.loading.message.setText(text)

    def attach(self, services: Services) -> None:
        """Fill the frame: the status bar, the page chosen on the navigation (the first,
        unless the user clicked another while the database opened), and the watch."""
        if self.loading is not None:
            self.stack.removeWidget(self.loading)
            self.loading.deleteLater()
            self.loading = None
        self.services = services
        services.db.waiter = workers.BusyWaiter(self)
        with services.plans.remembering():
            self.update_status()
            self._show(self.nav.currentRow())
        self.services.db.changed_elsewhere()  # the starting point
        self._watch.start(WATCH_MS)

    def _look_outside(self) -> None:
        # A slot of a void signal must return nothing: PySide mishandles a returned bool.
        self.check_outside_changes()

    def check_outside_changes(self) -> bool:
        """Refresh what is on screen when another program has written to the database."""
        if not self.services.db.changed_elsewhere():
            return False
        self.refresh_all()
        self.statusBar().showMessage("其他程序修改了数据库，当前页面已刷新。", 8000)
        return True

    def update_status(self) -> None:
        """The status bar names the active plan and the database file."""
        target = self.services.db.path or self.services.db.url
        plan = self.services.plans.active() if self.services.plans.has_active() else None
        text = f"数据库：{target}"
        if plan is not None:
            text = f"当前方案：{plan.name}    {text}"
        self.status_label.setText(text)

    def page(self, label: str) -> QWidget:
        """The page with this navigation label, built on first use."""
        built = self.pages.get(label)
        if built is not None:
            return built
        index = [p[0] for p in PAGES].index(label)
        _label, module, cls = PAGES[index]
        page = getattr(import_module(f"desktop.ui.{module}"), cls)(self.services)
        placeholder = self.stack.widget(index)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.pages[label] = page
        if label == "实施方案":
            page.plan_changed.connect(self.update_status)
        return page

    def _show(self, row: int) -> None:
        if not self.attached:
            return  # the frame: `attach` shows the chosen page
        label = PAGES[row][0]
        built = label in self.pages
        with self.services.plans.remembering():
            page = self.page(label)
            self.stack.setCurrentWidget(page)
            if not built and _loading(page):
                return  # building it started its reading: asking again would read it all twice
            refresh = getattr(page, "refresh", None)
            if refresh is not None:
                refresh()

    def show_page(self, label: str) -> QWidget:
        """Switch to a page by its navigation label and return it."""
        index = [p[0] for p in PAGES].index(label)
        self.nav.setCurrentRow(index)
        return self.page(label)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Open forms are asked first (放弃修改？); then background jobs are cancelled and
        waited for: none may outlive the window."""
        for form in QApplication.topLevelWidgets():
            if isinstance(form, GuardedDialog) and form.isVisible():
                form.reject()
                if form.isVisible():  # 继续编辑, or a save that was refused
                    event.ignore()
                    return
        self.closing.emit()
        self._watch.stop()
        workers.stop_all()
        if self.attached:
            self.services.db.waiter = None
        super().closeEvent(event)

    def refresh_all(self) -> None:
        with self.services.plans.remembering():
            for page in self.pages.values():
                refresh = getattr(page, "refresh", None)
                if refresh is not None and page.isVisible():
                    refresh()
            self.update_status()

    def start_daily_backup(self) -> Task:
        """The day's safety copy, made off the GUI thread once the window is on screen.

        A database of a million activities is hundreds of megabytes; copying
        it before the window showed kept the office waiting every morning.
        """
        db = self.services.db  # the job must not hold the window: a Task outlives its owner
        task = Task(lambda _report: db.daily_backup(), self)
        task.error.connect(self._daily_backup_failed)
        task.start()
        return task

    def _daily_backup_failed(self, exc: object) -> None:
        QMessageBox.warning(
            self,
            "自动备份",
            f"今天的自动备份没有完成：{exc}\n数据本身未受影响；可在“数据安全”页面手动备份。",
        )


def _loading(page: QWidget) -> bool:
    return any(loader.busy for loader in page.findChildren(Loader))
