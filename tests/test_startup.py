"""Opening a database at the head needs no Alembic; the day's copy can wait, the migration's cannot."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from desktop.db import REVISIONS, Database, revision_scripts
from desktop.services import Services
from tests.test_migrations import _database_at_0001


def test_the_known_revisions_are_the_migration_scripts_oldest_first():
    """A new migration must be added to desktop/db.py REVISIONS, or this fails."""
    scripts = revision_scripts()
    assert [rev.revision for rev in reversed(list(scripts.walk_revisions()))] == list(REVISIONS)
    assert scripts.get_current_head() == REVISIONS[-1]


def _modules_after_opening(path: Path) -> set[str]:
    code = (
        "import sys\n"
        "from desktop.services import Services\n"
        f"Services.open({str(path)!r}).close()\n"
        "print(' '.join(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stdout.split())


def test_opening_a_database_at_the_head_reads_no_migration_script(data_dir: Path):
    path = data_dir / "county.sqlite3"
    Services.open(path).close()
    loaded = _modules_after_opening(path)
    assert "desktop.db" in loaded
    assert not {m for m in loaded if m == "alembic" or m.startswith("alembic.")}
    assert not {m for m in loaded if m.split(".")[0] in ("openpyxl", "reportlab", "docx", "PIL")}


def test_a_new_database_is_migrated_with_alembic_and_stamped_at_the_head(data_dir: Path):
    path = data_dir / "new.sqlite3"
    Services.open(path).close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == REVISIONS[-1]
    con.close()


def test_the_daily_copy_waits_for_its_caller_and_is_made_once(data_dir: Path):
    path = data_dir / "county.sqlite3"
    Services.open(path).close()  # a new file: nothing to copy yet
    db = Database.open(path, daily_backup=False)
    try:
        assert db.last_backup is None and not (data_dir / "backups").exists()
        copy = db.daily_backup()
        assert copy is not None and copy.exists() and "-auto-" in copy.name
        assert db.last_backup == copy
        assert db.daily_backup() is None  # once per opening
    finally:
        db.close()
    assert len(list((data_dir / "backups").glob("*.sqlite3"))) == 1


def test_the_copy_before_a_migration_is_made_at_opening_even_when_the_daily_one_waits(
    data_dir: Path,
):
    path = data_dir / "county.sqlite3"
    _database_at_0001(path)
    db = Database.open(path, daily_backup=False)
    try:
        assert db.last_backup is not None and "pre-migrate-0001" in db.last_backup.name
        con = sqlite3.connect(db.last_backup)
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        con.close()
        assert db.daily_backup() is None  # the migration's copy is today's copy
    finally:
        db.close()
