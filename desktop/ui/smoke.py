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

from desktop.db import Database
from desktop.services.demo import build_demo

SMOKE_DEMO_ACTIVITIES = 200


def _platform_for_this_machine() -> None:
    """No screen at all (a server, a CI machine): Qt's offscreen platform instead of failing."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _settle(widget: object, deadline: float) -> None:
    from desktop.ui.events import pump
    from desktop.ui.widgets import Loader

    loaders = widget.findChildren(Loader)  # type: ignore[attr-defined]
    while time.monotonic() < deadline:
        pump(50)
        if not any(loader.busy for loader in loaders):
            return
    raise TimeoutError("页面的后台查询在限定时间内没有完成。")


def smoke(db_target: str | None, say: Callable[[str], None] = print) -> int:
    """Run the self-check; returns the exit code."""
    started = time.monotonic()
    _platform_for_this_machine()
    with tempfile.TemporaryDirectory(prefix="kepu-smoke-") as scratch:
        if db_target is None:
            path = Path(scratch) / "smoke-demo.sqlite3"
            os.environ.setdefault("KEPU_DATA_DIR", str(Path(scratch) / "data"))
            db = Database.open(path)
            try:
                build_demo(db, activities=SMOKE_DEMO_ACTIVITIES)
            finally:
                db.close()
            db_target = str(path)
            say(f"已在临时文件夹中建立演示数据库（{SMOKE_DEMO_ACTIVITIES} 条活动）。")
        return _check_window(db_target, started, say)


def _check_window(db_target: str, started: float, say: Callable[[str], None]) -> int:
    from PySide6.QtGui import QGuiApplication

    from desktop.ui import workers
    from desktop.ui.app import application, open_for_window
    from desktop.ui.events import pump
    from desktop.ui.main_window import PAGES, MainWindow

    application()
    opened = time.monotonic()
    services, lock = open_for_window(db_target)
    try:
        window = MainWindow(services)
        window.show()
        pump(50)
        shown = time.monotonic()
        say(
            f"窗口显示用时 {shown - opened:.2f} 秒"
            f"（自检开始起 {shown - started:.2f} 秒；显示平台：{QGuiApplication.platformName()}）。"
        )
        deadline = time.monotonic() + 120
        for label, _module, _cls in PAGES:
            page = window.show_page(label)
            _settle(page, deadline)
            say(f"  页面“{label}”正常。")
        window.close()
        workers.stop_all()
        say(f"自检通过：{len(PAGES)} 个页面均已打开，共用时 {time.monotonic() - started:.2f} 秒。")
        return 0
    finally:
        services.close()
        if lock is not None:
            lock.release()
