"""`kepu smoke`: the installed program checks itself, window and all.

An IT person who has installed the bundle on twenty machines runs it once
on each: it starts the window as the program does (the frame first, then
the database — a temporary demo county when none is named — opened behind
it), shows every page once with its background queries finished, and says
how long the frame and the first page's figures took to appear. Exit 0
means the program, its Qt plugins, its fonts and its database layer all
work here.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from desktop.clock import seconds_since_start
from desktop.errors import ServiceError
from desktop.ui.app import WindowStart, application
from desktop.ui.events import later, pump
from desktop.ui.main_window import PAGES, MainWindow
from desktop.ui.widgets import Loader

if TYPE_CHECKING:
    from desktop.services import Services

SMOKE_DEMO_ACTIVITIES = 200


def _platform_for_this_machine() -> None:
    """No screen at all (a server, a CI machine): Qt's offscreen platform instead of failing."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class SelfCheckStart(WindowStart):
    """The program's own start with nobody at the screen: refusals are recorded, not shown,
    and a database without a plan is opened as it is (the pages say so)."""

    def __init__(self, target: str, window: MainWindow) -> None:
        super().__init__(target, window)
        self.refusals: list[str] = []

    def refuse(self, message: str) -> None:
        self.refusals.append(message)

    def first_run(self, services: Services) -> bool:
        return True


def _settle(widget: QWidget, deadline: float) -> None:
    """Until the widget's background queries have all delivered their results."""
    loaders = widget.findChildren(Loader)
    while any(loader.busy for loader in loaders):
        if time.monotonic() > deadline:
            raise TimeoutError("页面的后台查询在限定时间内没有完成。")
        pump(10)
    pump(0)  # the paint their results asked for


def smoke(
    db_target: str | None,
    say: Callable[[str], None] = print,
    first_window: bool = False,
    frame_only: bool = False,
) -> int:
    """Run the self-check; returns the exit code.

    `first_window`: stop once the first page is on screen with its figures,
    without the other pages or the day's backup. `frame_only`: stop once the
    window's frame is on screen, before the database is opened. Both are what
    the start-up benchmark times.
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
        return _check_window(db_target, say, first_window, frame_only)


def _until_on_screen(window: QWidget, deadline: float) -> None:
    """Until the window system has put the window on screen and it has been painted once."""
    handle = window.windowHandle()
    while handle is None or not handle.isExposed():
        if time.monotonic() > deadline:
            raise TimeoutError("主窗口在限定时间内没有显示出来。")
        pump(5)
        handle = window.windowHandle()
    pump(0)  # the paint that exposure asked for


def _until_opened(start: SelfCheckStart, deadline: float) -> None:
    """Until the window has its database and pages, or the start has ended with a refusal.

    Waited for in one event loop that the start's own signals end: a poll
    every few milliseconds would take the interpreter from the worker that
    is opening the database, and the self-check would time a slower start
    than the office gets.
    """
    loop = QEventLoop()
    start.opened.connect(loop.quit)
    start.ended.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(max(1, int((deadline - time.monotonic()) * 1000)))
    if not start.window.attached and start.exit_code is None:
        loop.exec()
    if start.exit_code is not None:
        raise ServiceError("；".join(start.refusals) or "主窗口没有打开数据库。")
    if not start.window.attached:
        raise TimeoutError("数据库在限定时间内没有打开。")


def _check_window(
    db_target: str, say: Callable[[str], None], first_window: bool, frame_only: bool
) -> int:
    application()
    platform = QGuiApplication.platformName()
    deadline = time.monotonic() + 120
    window = MainWindow()
    start = SelfCheckStart(db_target, window)
    window.show()
    if not frame_only:
        later(window, start.begin)  # as run_gui does
    try:
        _until_on_screen(window, deadline)
        shown = seconds_since_start()
        if frame_only:
            say(
                f"窗口显示用时 {shown:.2f} 秒（自程序启动起，未打开数据库；显示平台：{platform}）。"
            )
            return 0
        _until_opened(start, deadline)
        opened = seconds_since_start()
        _settle(window.page(PAGES[0][0]), deadline)
        filled = seconds_since_start()
        say(
            f"窗口显示用时 {shown:.2f} 秒，首页数据用时 {filled:.2f} 秒（均自程序启动起；"
            f"数据库在 {opened:.2f} 秒时已打开；显示平台：{platform}）。"
        )
        if first_window:
            return 0
        for label, _module, _cls in PAGES:
            page = window.show_page(label)
            _settle(page, deadline)
            say(f"  页面“{label}”正常。")
        # The window makes the day's copy once it is on screen; here, after the pages.
        made = window.services.db.daily_backup()
        say("  自动备份正常。" if made else "  自动备份：今天已有备份副本，无需再做。")
        from desktop.exporting.fonts import describe  # reportlab only after the timed start

        for line in describe():
            say(f"  PDF 字体 {line}")
        say(f"自检通过：{len(PAGES)} 个页面均已打开，共用时 {seconds_since_start():.2f} 秒。")
        return 0
    finally:
        window.close()
        start.close()
