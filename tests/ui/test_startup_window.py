"""Start-up: the first window comes before the exporters, the schema scripts and the day's copy."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event

from desktop.ui import workers
from desktop.ui.app import open_for_window
from desktop.ui.dashboard_page import load_dashboard
from desktop.ui.events import pump
from desktop.ui.main_window import PAGES, MainWindow
from tests.ui.conftest import settle

# What the first window must not wait for: file formats, and Alembic's script machinery.
NOT_AT_START = ("openpyxl", "reportlab", "docx", "PIL", "yaml", "alembic")

FIRST_WINDOW = """
import json, sys
from PySide6.QtCore import QTimer
from desktop.ui import app as ui_app
from desktop.ui.main_window import MainWindow
from desktop.ui.widgets import Loader

application = ui_app.application()
seen = {}

def look():
    for window in application.topLevelWidgets():
        handle = window.windowHandle()
        if not isinstance(window, MainWindow) or handle is None or not handle.isExposed():
            continue
        if any(loader.busy for loader in window.findChildren(Loader)):
            return
        seen["modules"] = sorted(sys.modules)
        seen["pages"] = sorted(window.pages)
        window.close()

timer = QTimer()
timer.timeout.connect(look)
timer.start(10)
code = ui_app.run_gui(sys.argv[1])
print(json.dumps(dict(seen, code=code)))
"""


def _county(data_dir: Path, demo_file: Path) -> Path:
    target = data_dir / "county.sqlite3"
    shutil.copy(demo_file, target)
    return target


def test_the_first_window_loads_no_exporter_and_no_migration_script(
    data_dir: Path, demo_file: Path
):
    target = _county(data_dir, demo_file)
    done = subprocess.run(
        [sys.executable, "-c", FIRST_WINDOW, str(target)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["code"] == 0
    assert seen["pages"] == [PAGES[0][0]]  # the first page only, complete with its figures
    loaded = {m for m in seen["modules"] if m.split(".")[0] in NOT_AT_START}
    assert not loaded
    assert "desktop.services.imports" not in seen["modules"]


def test_the_window_reads_nothing_twice_on_its_way_to_the_first_page(
    qtbot: QtBot, data_dir: Path, demo_file: Path
):
    target = _county(data_dir, demo_file)
    issued: list[tuple[int, str, str]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        if statement not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"):
            issued.append((threading.get_ident(), statement, repr(parameters)))

    event.listen(Engine, "before_cursor_execute", record)
    services, lock = open_for_window(str(target))
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        settle(qtbot, window)
        gui = threading.get_ident()
        at_start = list(issued)
        issued.clear()
        page = window.page(PAGES[0][0])
        year = page.selected_year()
        load_dashboard(services, year, page.as_of(year))  # the figures, read once, here
        once = Counter((s, p) for _thread, s, p in issued)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    try:
        on_gui = Counter((s, p) for thread, s, p in at_start if thread == gui)
        assert [key for key, n in on_gui.items() if n > 1] == []  # the active plan read once
        # Off the GUI thread: the first page's figures, read exactly once.
        assert Counter((s, p) for thread, s, p in at_start if thread != gui) == once
    finally:
        window.close()
        workers.stop_all()
        services.close()
        if lock is not None:
            lock.release()


def test_the_daily_copy_is_made_after_the_window_is_on_screen(
    qtbot: QtBot, data_dir: Path, demo_file: Path
):
    target = _county(data_dir, demo_file)
    backups = data_dir / "backups"
    services, lock = open_for_window(str(target))
    try:
        assert not backups.exists()  # opening made no copy: the window had to come first
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        task = window.start_daily_backup()
        assert task.wait(60_000)
        while task.running:
            pump(10)
        copies = list(backups.glob("county-auto-*.sqlite3"))
        assert len(copies) == 1 and services.db.last_backup == copies[0]
        assert window.start_daily_backup().wait(60_000)  # asked again: no second copy
        assert len(list(backups.glob("*.sqlite3"))) == 1
        settle(qtbot, window)
        window.close()
    finally:
        workers.stop_all()
        services.close()
        if lock is not None:
            lock.release()
