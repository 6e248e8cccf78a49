"""Start the window: take the database's window lock, open (and migrate) it, show the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop.errors import ServiceError
from desktop.paths import default_db_path
from desktop.services import Services
from desktop.ui import gc_guard, workers
from desktop.ui.events import later
from desktop.ui.theme import apply_theme
from desktop.ui.window_lock import WindowLock


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
    if QApplication.instance() is None:
        chinese_system_locale()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("科普台账")
    app.setOrganizationName("KepuLedger")
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


def open_for_window(target: str) -> tuple[Services, WindowLock | None]:
    """Lock the file for this window, then open it; the lock is released again on any refusal.

    The day's safety copy is left to the window (MainWindow.start_daily_backup),
    which makes it once it is on screen; a copy before a migration is made here.
    """
    path = local_file(target)
    lock = WindowLock(path) if path is not None else None
    if lock is not None:
        refusal = lock.acquire()
        if refusal is not None:
            raise ServiceError(refusal)
    try:
        return Services.open(target, daily_backup=False), lock
    except (ServiceError, OSError):
        if lock is not None:
            lock.release()
        raise


def run_gui(db_target: str | None) -> int:
    app = application()
    try:
        services, lock = open_for_window(db_target or str(default_db_path()))
    except (ServiceError, OSError) as exc:
        QMessageBox.critical(None, "科普台账", f"无法打开数据库：{exc}")
        return 1
    try:
        with services.plans.remembering():  # read once for the wizard's question and the window
            if not services.plans.has_active():
                from desktop.ui.first_run import FirstRunWizard

                if FirstRunWizard(services).exec() != QDialog.DialogCode.Accepted:
                    return 0
            from desktop.ui.main_window import MainWindow

            window = MainWindow(services)
            window.show()
        later(window, window.start_daily_backup)
        return app.exec()
    finally:
        workers.stop_all()
        services.close()
        if lock is not None:
            lock.release()
