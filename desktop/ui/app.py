"""Start the window: open (and migrate) the database, then show the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop.paths import default_db_path
from desktop.services import Services
from desktop.services.errors import ServiceError
from desktop.ui import gc_guard, workers
from desktop.ui.theme import apply_theme


def run_gui(db_target: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("科普台账")
    app.setOrganizationName("KepuLedger")
    apply_theme(app)
    gc_guard.install(app)
    workers.install(app)
    try:
        services = Services.open(db_target or default_db_path())
    except (ServiceError, OSError) as exc:
        QMessageBox.critical(None, "科普台账", f"无法打开数据库：{exc}")
        return 1
    if not services.plans.has_active():
        from desktop.ui.first_run import FirstRunWizard

        if FirstRunWizard(services).exec() != QDialog.DialogCode.Accepted:
            services.close()
            return 0
    from desktop.ui.main_window import MainWindow

    window = MainWindow(services)
    window.show()
    code = app.exec()
    services.close()
    return code
