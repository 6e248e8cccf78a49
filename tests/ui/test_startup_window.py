"""Start-up: the frame is on screen before the data layer loads; the database opens behind it,
off the GUI thread; the first page comes before the exporters, the schema scripts and the day's copy."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event

from desktop.services import Services
from desktop.ui import import_check, workers
from desktop.ui.app import WindowStart, open_for_window
from desktop.ui.dashboard_page import load_dashboard
from desktop.ui.events import pump
from desktop.ui.import_check import names_pyside
from desktop.ui.main_window import OPENING, PAGES, MainWindow
from tests.ui.conftest import settle

# What the frame must not wait for: the data layer.
NOT_AT_FRAME = ("sqlalchemy", "desktop.services", "desktop.db", "desktop.models")
# What the first page must not wait for: file formats, and Alembic's script machinery.
NOT_AT_START = ("openpyxl", "reportlab", "docx", "PIL", "yaml", "alembic")

# The program's own entry point (`kepu --db FILE`), watched from inside: what is
# loaded at the moment the main window is shown, and once its first page is
# complete with its figures (then the window is closed, as a user would).
START = """
import gc, json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

application = QApplication(sys.argv[:1])
seen = {}


class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Show and isinstance(watched, QMainWindow) and "frame" not in seen:
            seen["frame"] = sorted(sys.modules)
            seen["title"] = watched.windowTitle()
            seen["navigation"] = [watched.nav.item(i).text() for i in range(watched.nav.count())]
            seen["loading"] = watched.stack.currentWidget().message.text()
            timer.start(10)
        return False


def look():
    from desktop.ui.widgets import Loader

    for window in application.topLevelWidgets():
        if not isinstance(window, QMainWindow) or not window.isVisible() or not window.attached:
            continue
        if any(loader.busy for loader in window.findChildren(Loader)):
            return
        seen["modules"] = sorted(sys.modules)
        seen["pages"] = sorted(window.pages)
        seen["frozen"] = gc.get_freeze_count()
        timer.stop()
        window.close()


watch = Watch()
application.installEventFilter(watch)
timer = QTimer()
timer.timeout.connect(look)
from desktop.cli import main

code = main(["--db", sys.argv[1]])
print(json.dumps(dict(seen, code=code)))
"""


def _top(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "desktop" else parts[0]


def _county(data_dir: Path, demo_file: Path) -> Path:
    target = data_dir / "county.sqlite3"
    shutil.copy(demo_file, target)
    return target


def test_the_frame_is_shown_before_the_data_layer_loads_and_the_first_page_before_the_exporters(
    data_dir: Path, demo_file: Path
):
    target = _county(data_dir, demo_file)
    done = subprocess.run(
        [sys.executable, "-c", START, str(target)],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["code"] == 0
    assert seen["title"] == "科普台账 — 全民科学素质行动工作台账"
    assert seen["navigation"] == [label for label, _module, _cls in PAGES]
    assert seen["loading"] == OPENING
    at_frame = {m for m in seen["frame"] if _top(m) in NOT_AT_FRAME}
    assert not at_frame
    assert "desktop.cli.core" not in seen["frame"]  # no command module but the window's own
    assert seen["pages"] == [PAGES[0][0]]  # the first page only, complete with its figures
    assert "sqlalchemy" in seen["modules"]
    assert not {m for m in seen["modules"] if m.split(".")[0] in NOT_AT_START}
    assert "desktop.services.imports" not in seen["modules"]
    assert seen["frozen"] > 10_000  # what loading made is kept out of the collector's passes
    assert not (data_dir / "county.sqlite3.lock").exists()  # the window gave its lock back


def test_the_frame_keeps_the_page_chosen_while_the_database_opens(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
):
    # A 1366×768 laptop's free area, as tests/ui/test_small_screen.py has it (the
    # offscreen screen is narrower than the pages themselves).
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1366, 728))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    size = window.size()
    assert not window.attached and window.stack.currentWidget() is window.loading
    assert window.loading is not None and window.loading.message.text() == OPENING
    window.nav.setCurrentRow(1)  # a click on 活动台账 before the pages exist
    assert window.stack.currentWidget() is window.loading and window.pages == {}
    window.attach(demo_services)
    assert window.attached and list(window.pages) == [PAGES[1][0]]
    assert window.stack.currentWidget() is window.pages[PAGES[1][0]]
    assert window.size() == size  # the loaded window is the frame, filled: nothing jumps
    assert "当前方案：" in window.status_label.text()
    settle(qtbot, window)


def _started(qtbot: QtBot, target: Path) -> tuple[MainWindow, WindowStart]:
    window = MainWindow()
    qtbot.addWidget(window)
    start = WindowStart(str(target), window)
    window.show()
    start.begin()
    return window, start


def test_the_database_is_opened_off_the_gui_thread_and_the_lock_taken_on_it(
    qtbot: QtBot, data_dir: Path, demo_file: Path
):
    target = _county(data_dir, demo_file)
    opened_on: list[int] = []

    def record(_conn, _cursor, _statement, _parameters, _context, _many) -> None:  # noqa: ANN001
        if not opened_on:
            opened_on.append(threading.get_ident())

    event.listen(Engine, "before_cursor_execute", record)
    try:
        window, start = _started(qtbot, target)
        assert "数据库：" in window.status_label.text()  # named while it opens
        with qtbot.waitSignal(start.opened, timeout=60_000):
            pass
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    try:
        assert opened_on and opened_on[0] != threading.get_ident()
        assert start.lock is not None and (data_dir / "county.sqlite3.lock").exists()
        assert window.attached and window.services is start.services
        settle(qtbot, window)
    finally:
        window.close()
        start.close()
    assert not (data_dir / "county.sqlite3.lock").exists()


def test_a_window_closed_while_its_database_opens_is_left_closed(
    qtbot: QtBot, data_dir: Path, demo_file: Path
):
    target = _county(data_dir, demo_file)
    window, start = _started(qtbot, target)
    window.close()  # waits for the opening's jobs, which then go no further
    pump(50)
    assert not window.attached and start.exit_code is None
    start.close()
    assert start.services is None and start.lock is None
    assert not (data_dir / "county.sqlite3.lock").exists()


def test_an_unreadable_file_is_refused_in_chinese_and_left_as_it_was(qapp, data_dir: Path, modals):
    from desktop.ui.app import run_gui

    target = data_dir / "台账.sqlite3"
    target.write_text("这不是数据库", encoding="utf-8")
    modals.reply(None)  # the critical message box, answered 确定
    assert run_gui(str(target)) == 1
    assert len(modals.shown) == 1 and "它不是数据库文件" in modals.shown[0]
    assert target.read_text(encoding="utf-8") == "这不是数据库"
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith("台账")) == [
        "台账.sqlite3"
    ]


def _smoke(target: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(target), "smoke", *flags],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_smoke_reports_the_frame_and_the_first_figures_from_process_start(
    data_dir: Path, demo_file: Path
):
    target = _county(data_dir, demo_file)
    done = _smoke(target, "--first-window")
    assert done.returncode == 0, done.stderr
    assert "窗口显示用时" in done.stdout and "首页数据用时" in done.stdout
    frame = _smoke(target, "--frame-only")
    assert frame.returncode == 0, frame.stderr
    assert "窗口显示用时" in frame.stdout and "未打开数据库" in frame.stdout
    assert not (data_dir / "county.sqlite3.lock").exists()


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


def test_the_cheap_look_at_each_import_answers_as_pyside_itself_does():
    def pysides_own(module: ModuleType) -> bool:  # shibokensupport.feature._mod_uses_pyside
        try:
            return "PySide6" in inspect.getsource(module)
        except (TypeError, OSError, SyntaxError):
            return False

    names = ["desktop.ui.widgets", "desktop.ui.main_window", "desktop.services", "desktop.db"]
    names += ["desktop.models.ledger", "sqlalchemy.orm", "json", "sys", "PySide6.QtCore"]
    answers = {name: names_pyside(importlib.import_module(name)) for name in names}
    assert answers == {name: pysides_own(importlib.import_module(name)) for name in names}
    assert answers["desktop.ui.widgets"] and not answers["sqlalchemy.orm"]
    import_check.install()
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is names_pyside


def test_a_file_that_opens_but_cannot_be_read_ends_the_start_with_its_reason(
    qapp, data_dir: Path, demo_file: Path, modals
):
    """No frame left waiting for pages that never come: the reason is said, the lock given back."""
    from desktop.ui.app import run_gui

    target = _county(data_dir, demo_file)
    con = sqlite3.connect(target)
    con.execute("ALTER TABLE plan RENAME TO plan_elsewhere")
    con.commit()
    con.close()
    modals.reply(None)  # the critical message box, answered 确定
    assert run_gui(str(target)) == 1
    assert len(modals.shown) == 1 and "无法打开数据库" in modals.shown[0]
    assert "plan" in modals.shown[0]
    assert not (data_dir / "county.sqlite3.lock").exists()
