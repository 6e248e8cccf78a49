"""`kepu smoke`: the installed program checks itself, window and all.

An IT person who has installed the bundle on twenty machines runs it once
on each: it opens the database (a temporary demo county when none is named),
builds the main window, shows every page once with its background queries
finished, and says how long the window took to appear. Exit 0 means the
program, its Qt plugins, its fonts and its database layer all work here.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.clock import seconds_since_start

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

SMOKE_DEMO_ACTIVITIES = 200


def _platform_for_this_machine() -> None:
    """No screen at all (a server, a CI machine): Qt's offscreen platform instead of failing."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _settle(widget: object, deadline: float) -> None:
    """Until the widget's background queries have all delivered their results."""
    from desktop.ui.events import pump
    from desktop.ui.widgets import Loader

    loaders = widget.findChildren(Loader)  # type: ignore[attr-defined]
    while any(loader.busy for loader in loaders):
        if time.monotonic() > deadline:
            raise TimeoutError("页面的后台查询在限定时间内没有完成。")
        pump(10)
    pump(0)  # the paint their results asked for


def smoke(
    db_target: str | None, say: Callable[[str], None] = print, first_window: bool = False
) -> int:
    """Run the self-check; returns the exit code.

    `first_window`: stop once the first page is on screen with its figures,
    without the other pages or the day's backup (what the start-up benchmark times).
    """
    _platform_for_this_machine()
    with tempfile.TemporaryDirectory(prefix="kepu-smoke-") as scratch:
        if db_target is None:
            from desktop.db import Database
            from desktop.services.demo import build_demo

            path = Path(scratch) / "smoke-demo.sqlite3"
            os.environ.setdefault("KEPU_DATA_DIR", str(Path(scratch) / "data"))
            db = Database.open(path)
            try:
                build_demo(db, activities=SMOKE_DEMO_ACTIVITIES)
            finally:
                db.close()
            db_target = str(path)
            say(f"已在临时文件夹中建立演示数据库（{SMOKE_DEMO_ACTIVITIES} 条活动）。")
        return _check_window(db_target, say, first_window)


def _until_on_screen(window: QWidget, deadline: float) -> None:
    """Until the window system has put the window on screen and it has been painted once."""
    from desktop.ui.events import pump

    handle = window.windowHandle()
    while handle is None or not handle.isExposed():
        if time.monotonic() > deadline:
            raise TimeoutError("主窗口在限定时间内没有显示出来。")
        pump(5)
        handle = window.windowHandle()
    pump(0)  # the paint that exposure asked for


def _check_window(db_target: str, say: Callable[[str], None], first_window: bool) -> int:
    from PySide6.QtGui import QGuiApplication

    from desktop.ui import workers
    from desktop.ui.app import application, open_for_window
    from desktop.ui.main_window import PAGES, MainWindow

    application()
    services, lock = open_for_window(db_target)
    opened = seconds_since_start()
    try:
        deadline = time.monotonic() + 120
        window = MainWindow(services)
        window.show()
        _until_on_screen(window, deadline)
        shown = seconds_since_start()
        _settle(window.page(PAGES[0][0]), deadline)
        filled = seconds_since_start()
        say(
            f"窗口显示用时 {shown:.2f} 秒（自程序启动起；数据库在 {opened:.2f} 秒时已打开，"
            f"首页数据在 {filled:.2f} 秒时显示完毕；显示平台：{QGuiApplication.platformName()}）。"
        )
        if first_window:
            window.close()
            workers.stop_all()
            return 0
        for label, _module, _cls in PAGES:
            page = window.show_page(label)
            _settle(page, deadline)
            say(f"  页面“{label}”正常。")
        # The window makes the day's copy once it is on screen; here, after the pages.
        made = services.db.daily_backup()
        say("  自动备份正常。" if made else "  自动备份：今天已有备份副本，无需再做。")
        window.close()
        workers.stop_all()
        say(f"自检通过：{len(PAGES)} 个页面均已打开，共用时 {seconds_since_start():.2f} 秒。")
        return 0
    finally:
        services.close()
        if lock is not None:
            lock.release()
