"""Where the program keeps its files.

Resources ship beside the package (or inside the PyInstaller bundle); user
data lives in the per-user data folder that platformdirs picks for the OS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "KepuLedger"


def resource_dir() -> Path:
    """Folder holding templates, fonts and icons."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def data_dir() -> Path:
    """Per-user data folder; KEPU_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("KEPU_DATA_DIR")
    if override:
        path = Path(override)
    else:  # platformdirs loaded only here: the window's frame needs no data folder
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "kepu.sqlite3"
