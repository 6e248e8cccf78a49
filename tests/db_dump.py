"""The whole of a SQLite file as text: equal before and after means a refusal changed nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def database_dump(path: Path) -> str:
    """Every statement that rebuilds the database, rows and schema alike."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()
