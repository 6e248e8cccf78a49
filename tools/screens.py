"""Grab every page and the main dialogs to PNG under a real X server, to look at them.

    tools/screens.sh [OUT_DIR]

runs this under Xvfb twice: at 1366×768 (a county office laptop) and at
1920×1080 with 150 % scaling. Offscreen rendering hides defects (fonts,
squeezed layouts, cut labels); these pictures are what a clerk sees.
Not part of ./test.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QWidget


def _settle(app: QApplication, ms: int = 600) -> None:
    from desktop.ui.events import pump
    from desktop.ui.widgets import Loader

    pump(ms)
    while any(loader.busy for w in app.topLevelWidgets() for loader in w.findChildren(Loader)):
        pump(50)


def _shot(app: QApplication, out: Path, name: str, widget: QWidget | None = None) -> None:
    _settle(app)
    screen = app.primaryScreen()
    picture = screen.grabWindow(0)  # the whole X screen, as drawn by the server
    picture.save(str(out / f"{name}.png"))
    if widget is not None:
        widget.grab().save(str(out / f"{name}-widget.png"))
    print(out / f"{name}.png", flush=True)


def grab_all(db: Path, out: Path) -> None:
    from desktop.services import Services
    from desktop.ui.activity_dialog import ActivityDialog
    from desktop.ui.app import application
    from desktop.ui.main_window import PAGES, MainWindow
    from desktop.ui.plan_parse_dialog import PlanParseDialog
    from desktop.ui.volunteers_page import HeadcountDialog

    app = application()
    out.mkdir(parents=True, exist_ok=True)
    services = Services.open(db)
    window = MainWindow(services)
    window.show()
    for i, (label, _module, _cls) in enumerate(PAGES):
        window.show_page(label)
        _shot(app, out, f"page-{i + 1}-{label}")

    dialog = ActivityDialog(services, None, window)
    dialog.show()
    _shot(app, out, "dialog-activity-new")
    dialog.save_button.click()  # every problem at once
    _shot(app, out, "dialog-activity-problems")
    dialog.reject()  # nothing typed: closes without a question
    team = services.volunteers.teams()[0]
    headcount = HeadcountDialog(services.volunteers, team.id, team.name, window)
    headcount.show()
    headcount.as_of.setDate(date.today() + timedelta(days=3))
    headcount._save()
    _shot(app, out, "dialog-headcount-error")
    headcount.hide()
    parse = PlanParseDialog(services, window)
    parse.show()
    _shot(app, out, "dialog-plan-text")
    parse.hide()
    files = QFileDialog(window, "选择采集表", str(db.parent))
    files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    files.show()
    _shot(app, out, "dialog-file")
    files.hide()
    entries = window.show_page("数据填报")
    entries.table.setCurrentCell(0, 4)
    entries.show_context(0, 4, "28")
    _shot(app, out, "page-entries-context")
    window.hide()
    services.close()


def main() -> int:
    out = Path(sys.argv[1])
    db = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    if db is None:
        from desktop.db import Database
        from desktop.services.demo import build_demo

        folder = Path(tempfile.mkdtemp(prefix="kepu-screens-"))
        os.environ.setdefault("KEPU_DATA_DIR", str(folder / "data"))
        db = folder / "demo.sqlite3"
        built = Database.open(db)
        build_demo(built, activities=3000)
        built.close()
    grab_all(db, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
