"""UI fixtures: a demo county database file (built once, copied per test) and the main window."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.db import Database
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.demo import build_demo
from desktop.ui import gc_guard, workers
from desktop.ui.main_window import MainWindow
from desktop.ui.theme import apply_theme
from desktop.ui.widgets import Loader
from tests.modal_guard import ModalGuard

DEMO_ACTIVITIES = 300


@pytest.fixture(autouse=True)
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The real program's font, style, garbage collection and worker lifetimes, as users run it.

    After each test every background job is cancelled and waited for, as the
    main window does when it closes: no thread outlives its test.
    """
    apply_theme(qapp)
    gc_guard.install(qapp)
    workers.install(qapp)
    yield qapp
    assert workers.stop_all(), "a background job did not end within two minutes"


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    previous = os.environ.get("KEPU_DATA_DIR")
    os.environ["KEPU_DATA_DIR"] = str(folder / "data")
    db = Database.open(folder / "demo.sqlite3")
    try:
        build_demo(db, activities=DEMO_ACTIVITIES)
    finally:
        db.close()
        if previous is None:
            os.environ.pop("KEPU_DATA_DIR", None)
        else:
            os.environ["KEPU_DATA_DIR"] = previous
    return folder / "demo.sqlite3"


@pytest.fixture
def demo_services(data_dir: Path, demo_file: Path) -> Iterator[Services]:
    """A private copy of the demo county (安丘市, 2021–2024 locked, 2025 open)."""
    target = data_dir / "demo.sqlite3"
    shutil.copy(demo_file, target)
    svc = Services.open(target)
    yield svc
    svc.close()


def settle(qtbot: QtBot, *widgets: QWidget) -> None:
    """Wait until the widgets' background queries (every Loader they own) have finished."""
    loaders = [loader for w in widgets for loader in w.findChildren(Loader)]
    qtbot.waitUntil(lambda: not any(loader.busy for loader in loaders), timeout=60_000)


@pytest.fixture
def main_window(qtbot: QtBot, demo_services: Services) -> Iterator[MainWindow]:
    window = MainWindow(demo_services)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    yield window
    settle(qtbot, *window.pages.values())


class MessageBoxAnswerer:
    """Clicks a button on the next message box once it is shown (it runs its own loop)."""

    def __init__(self, guard: ModalGuard) -> None:
        self.texts: list[str] = []
        self._guard = guard

    def next(self, button_text: str) -> None:
        self._guard.permit()

        def click() -> None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QMessageBox) and widget.isVisible():
                    self.texts.append(widget.text())
                    for button in widget.buttons():
                        if button.text() == button_text:
                            button.click()
                            return
            QTimer.singleShot(20, click)

        QTimer.singleShot(0, click)


@pytest.fixture
def answer(modals: ModalGuard) -> MessageBoxAnswerer:
    return MessageBoxAnswerer(modals)


def ref_ids(services: Services, kind: str) -> dict[str, int]:
    """Name → id for a reference list: units, types, groups or places."""
    rows = {
        "units": services.reference.units,
        "types": services.reference.activity_types,
        "groups": services.reference.groups,
        "places": services.reference.places,
    }[kind]()
    return {r.name: r.id for r in rows}


@pytest.fixture
def ref() -> Callable[[Services, str], dict[str, int]]:
    return ref_ids


@pytest.fixture
def add_activity() -> Callable[..., int]:
    """Add one hand-made activity through the service: add(services, day, title, type, unit, ...)."""

    def add(services: Services, day: date, title: str, type_name: str, unit: str, **fields) -> int:
        return services.activities.add(
            ActivityInput(
                start_date=day,
                title=title,
                type_id=ref_ids(services, "types")[type_name],
                unit_id=ref_ids(services, "units")[unit],
                **fields,
            )
        )

    return add


@pytest.fixture
def settled(qtbot: QtBot) -> Callable[..., None]:
    return lambda *widgets: settle(qtbot, *widgets)
