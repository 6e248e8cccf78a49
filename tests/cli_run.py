"""Running `kepu` in-process and counting what a database holds, for the CLI tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.cli import main
from tests.paths import PLAN_TEXTS

SEEDS = PLAN_TEXTS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one `kepu` command."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table: equal before and after proves a refused command wrote nothing."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()
