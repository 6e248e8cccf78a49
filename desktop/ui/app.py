"""Start the window: its frame at once, then the database behind it.

The frame (title, navigation, "正在打开数据库…") is built from Qt and light
UI modules alone and shown before anything else happens, as VS Code or
Anki show theirs. Then `WindowStart` does what used to keep the office
looking at nothing: off the GUI thread it loads the data layer (SQLAlchemy,
the models, the first page's module); on the GUI thread it takes the
window lock (a QLockFile, and any refusal is a message box: both belong
there); off it again it opens and migrates the database; and back on the
GUI thread it asks the first-run wizard when there is no active plan and
fills the window. The engine's connections are pooled and may be used from
any thread one at a time (SQLAlchemy's pysqlite pool for a file), which is
how every page's queries already run, so services built in a worker serve
the GUI thread as well.

Nothing imported at the top of this module may load the data layer.
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop.errors import ServiceError
from desktop.paths import default_db_path, resource_dir
from desktop.ui import gc_guard, import_check, workers
from desktop.ui.events import later
from desktop.ui.main_window import PAGES, MainWindow
from desktop.ui.theme import apply_theme
from desktop.ui.workers import Task

if TYPE_CHECKING:
    from desktop.services import Services
    from desktop.ui.window_lock import WindowLock

# What the worker loads before the window lock is taken: the domain (and with
# it SQLAlchemy and the models), the lock's own module (it names the user
# through the audit service) and the first page, so that filling the window
# imports nothing on the GUI thread.
DATA_LAYER = ("desktop.services", "desktop.ui.window_lock", f"desktop.ui.{PAGES[0][1]}")

# The day's safety copy waits this long after the window is filled: the first
# page is reading its figures then, and a million activities make a copy of
# hundreds of megabytes that would slow them.
BACKUP_AFTER_MS = 3000


def chinese_system_locale() -> None:
    """On a Linux machine left at the C locale, let Qt's own widgets (the file dialog's
    dates) use Chinese conventions, as a Chinese Windows or UOS does.

    Only the time category: the whole locale would also rename the fonts (文泉驿正黑).
    Must run before the QApplication exists; a locale the user chose is left alone.
    """
    if sys.platform == "win32" or os.environ.get("LC_ALL") or os.environ.get("LC_TIME"):
        return
    if os.environ.get("LANG", "C").split(".")[0] in ("C", "POSIX", ""):
        os.environ["LC_TIME"] = "zh_CN.UTF-8"


def application() -> QApplication:
    """The one QApplication, set up as the program runs it."""
    import_check.install()  # before the data layer is loaded behind the frame
    if QApplication.instance() is None:
        chinese_system_locale()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("科普台账")
    app.setOrganizationName("KepuLedger")
    # The icon the .deb installs in the hicolor theme; the desktop entry's name ties
    # the window to that entry in the task bar (packaging/kepu-ledger.desktop).
    app.setWindowIcon(QIcon(str(resource_dir() / "icons" / "kepu-ledger.svg")))
    app.setDesktopFileName("kepu-ledger")
    apply_theme(app)
    gc_guard.install(app)
    workers.install(app)
    return app  # type: ignore[return-value]


def local_file(target: str) -> Path | None:
    """The database file a target names, or None for a server URL."""
    if "://" not in target:
        return Path(target).resolve()
    if target.startswith("sqlite:///"):
        return Path(target.split(":///", 1)[1]).resolve()
    return None


def take_window_lock(target: str) -> WindowLock | None:
    """The file's window lock (None for a server database); ServiceError if another window has it."""
    from desktop.ui.window_lock import WindowLock

    path = local_file(target)
    if path is None:
        return None
    lock = WindowLock(path)
    refusal = lock.acquire()
    if refusal is not None:
        raise ServiceError(refusal)
    return lock


def open_database(target: str) -> Services:
    """Open (and migrate) the database for a window; the day's copy waits for the window.

    The window makes it once it is on screen (MainWindow.start_daily_backup);
    a copy before a migration is made here, before the migration.
    """
    from desktop.services import Services

    return Services.open(target, daily_backup=False)


def open_for_window(target: str) -> tuple[Services, WindowLock | None]:
    """Lock the file for this window, then open it; the lock is released again on any refusal.

    The two steps of `WindowStart` in one call, for a caller with no frame to keep drawing.
    """
    lock = take_window_lock(target)
    try:
        return open_database(target), lock
    except (ServiceError, OSError):
        if lock is not None:
            lock.release()
        raise


def _load_data_layer() -> None:
    for name in DATA_LAYER:
        import_module(name)
    # What loading made (classes, mappers, functions: a hundred thousand objects)
    # lives as long as the program. Frozen, it is left out of every collection;
    # else the first (desktop/ui/gc_guard.py, a second after start) would walk it
    # all on the GUI thread, 70-100 ms, while the first page reads its figures.
    gc.freeze()


class WindowStart(QObject):
    """Takes a shown frame to its first page, or to the exit code of a start that went no further.

    `opened` is sent once the window is attached (the first page is then
    reading its figures off the GUI thread); `ended(code)` when the start
    stopped instead: a refusal (1, after its message box) or a first-run
    wizard cancelled (0). A window closed while its database is opening
    simply ends the start; `close` releases whatever it had taken.
    """

    opened = Signal()
    ended = Signal(int)

    def __init__(self, target: str, window: MainWindow) -> None:
        super().__init__(window)
        self.target = target
        self.window = window
        self.services: Services | None = None
        self.lock: WindowLock | None = None
        self.exit_code: int | None = None
        self._abandoned = False
        window.show_database(str(local_file(target) or target))
        window.closing.connect(self._abandon)

    def begin(self) -> None:
        """Start opening, once the frame has been shown (run_gui calls it through `later`)."""
        if not self._abandoned:
            self._off_gui_thread(_load_data_layer, self._lock_file)

    def refuse(self, message: str) -> None:
        """Tell the user why the window cannot open (the self-check records it instead)."""
        QMessageBox.critical(self.window, "科普台账", message)

    def first_run(self, services: Services) -> bool:
        """No active plan yet: the first-run wizard makes one; False if it was cancelled."""
        from desktop.ui.first_run import FirstRunWizard

        self.window.say_loading("请在“首次使用”向导中填写本单位信息并建立实施方案。")
        wizard = FirstRunWizard(services, self.window)
        return wizard.exec() == QDialog.DialogCode.Accepted

    def close(self) -> None:
        """Stop every job, then close the database and release the lock (on every way out)."""
        self._abandon()
        workers.stop_all()
        if self.services is not None:
            self.services.close()
            self.services = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _off_gui_thread(self, job: Callable[[], object], then: Callable[[Any], None]) -> None:
        task = Task(lambda _report: job(), self)
        task.done.connect(then)
        task.error.connect(self._failed)
        task.start()

    def _lock_file(self, _loaded: object) -> None:
        if self._abandoned:
            return
        try:
            self.lock = take_window_lock(self.target)
        except ServiceError as exc:
            self._stop(f"无法打开数据库：{exc}")
            return
        self._off_gui_thread(lambda: open_database(self.target), self._opened)

    def _opened(self, services: Services) -> None:
        self.services = services  # closed by `close`, however the start goes on
        if not self._abandoned:
            later(self, self._fill)  # out of the job's signal: the wizard runs its own loop

    def _fill(self) -> None:
        services = self.services
        if self._abandoned or services is None:
            return
        try:
            with services.plans.remembering():  # read once for the wizard's question and the window
                if not services.plans.has_active() and not self.first_run(services):
                    self._end(0)
                    return
                if self._abandoned:
                    return
                self.window.attach(services)
        except Exception as exc:  # said and ended, not left as a frame that never fills
            self._failed(exc)
            return
        self.opened.emit()

    def _failed(self, exc: object) -> None:
        if self._abandoned:
            return
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        if not isinstance(exc, (ServiceError, OSError)):
            traceback.print_exception(exc)  # type: ignore[arg-type]
        self._stop(f"无法打开数据库：{exc}")

    def _stop(self, message: str) -> None:
        self.refuse(message)
        self._end(1)

    def _end(self, code: int) -> None:
        self.exit_code = code
        self.ended.emit(code)

    def _abandon(self) -> None:
        self._abandoned = True


def run_gui(db_target: str | None) -> int:
    """The program's window: its frame at once, its database and pages right after."""
    app = application()
    window = MainWindow()
    start = WindowStart(db_target or str(default_db_path()), window)
    start.ended.connect(app.exit)
    backup = QTimer(window)
    backup.setSingleShot(True)
    backup.setInterval(BACKUP_AFTER_MS)
    backup.timeout.connect(window.start_daily_backup)
    start.opened.connect(backup.start)
    window.show()
    later(window, start.begin)
    try:
        return app.exec()
    finally:
        start.close()
        window.hide()
        window.deleteLater()
