"""Engine, SQLite pragmas, sessions, migrate-on-open and backups.

Opening a database always brings it to the newest schema, and never without
a backup copy first: an office that upgrades the program must not be able to
lose five years of records to a failed migration.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from desktop.errors import DatabaseBusy
from desktop.paths import resource_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

BACKUPS_KEPT = 20
AUTO_BACKUP_HOURS = 24

# Every schema revision in migrations/versions, oldest first; the last is the
# head. Written out here so that opening a database at the head is one read
# of alembic_version and no Alembic at all (reading the scripts costs half a
# second of every start). tests/test_startup.py holds it to the scripts, and
# `migrate` refuses to run while the two disagree.
REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
)


def _migrations_dir() -> Path:
    return resource_dir().parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_migrations_dir()))
    return cfg


def revision_scripts() -> ScriptDirectory:
    """The migration scripts themselves: read only to upgrade, never to open at the head."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    return REVISIONS[-1]


def known_revisions() -> frozenset[str]:
    """Every schema revision this version of the program can open (and upgrade from)."""
    return frozenset(REVISIONS)


# Tables every revision of our schema has: a file without them is not ours.
CORE_TABLES = frozenset({"plan", "section", "task", "unit", "indicator", "entry", "activity"})


def is_model_table(name: str | None, type_: str, _parent: object = None) -> bool:
    """Alembic filter: the text search's tables and index (migrations 0002, 0005) are not the models'."""
    owned = type_ in ("table", "index") and name is not None
    return not (owned and name.startswith("activity_fts"))


# Writers wait their turn. A write transaction takes SQLite's write lock when
# it begins (BEGIN IMMEDIATE), so it can never fail half-way because another
# writer got in first; while another program holds the lock it waits, in
# slices, asking its waiter (the window's "正在等待其他操作完成…" with its
# cancel button) between slices, for as long as the largest import takes.
WRITE_WAIT_S = 30 * 60
BUSY_SLICE_MS = 250
WRITE_OPTION = "kepu_write"


class Waiter(Protocol):
    """Who is told while a writer waits: the window shows it, with a cancel button."""

    def waiting(self, seconds: float) -> bool:
        """The writer has waited this long so far; False stops the wait."""

    def done(self) -> None:
        """The wait is over (the write lock was had, or the wait was given up)."""


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # SQLAlchemy emits BEGIN itself (see _sqlite_begin), not the driver.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute(f"PRAGMA busy_timeout = {BUSY_SLICE_MS}")
    cur.close()


def _busy(exc: DBAPIError) -> bool:
    text = str(exc.orig)
    return "database is locked" in text or "database is busy" in text


def _sqlite_begin(conn: Connection) -> None:
    """Reads begin deferred; writes take the write lock at once, waiting their turn."""
    if not conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN")
        return
    waiter: Waiter | None = conn.get_execution_options().get("kepu_waiter")
    started = time.monotonic()
    told = False
    try:
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if not _busy(exc):
                    raise
            waited = time.monotonic() - started
            if waited > WRITE_WAIT_S:
                raise DatabaseBusy(
                    f"数据库一直被其他操作占用（已等待 {waited / 60:.0f} 分钟），本次操作没有执行。"
                    "请等其他导入或导出完成后再试。"
                )
            told = waiter is not None
            if waiter is not None and not waiter.waiting(waited):
                raise DatabaseBusy("已停止等待，本次操作没有执行，数据未作任何改动。")
    finally:
        if told and waiter is not None:
            waiter.done()


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def refresh_statistics(session: Session) -> None:
    """Resample SQLite's planner statistics after a bulk write, inside the writer's transaction.

    Without them SQLite guesses that a type or a place is as selective as a
    date range and sorts a whole type's rows for one page; a sample of
    20,000 rows per index costs tens of milliseconds at a million rows.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA analysis_limit = 20000"))
        session.execute(text("ANALYZE"))


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path)}"


def current_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the database; None before the first migration."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    if len(rows) > 1:
        raise UnreadableDatabase(
            f"数据库的数据结构版本记录不唯一（{', '.join(str(r[0]) for r in rows)}），无法打开。"
        )
    return str(rows[0][0]) if rows else None


class UnreadableDatabase(Exception):
    """The file is not an SQLite database, or is damaged; the message is for the user."""


class NewerDatabase(UnreadableDatabase):
    """The file was written by a newer version of the program (a schema revision unknown here)."""


def newer_message(name: str, revision: str) -> str:
    return (
        f"数据库“{name}”是由更新版本的科普台账写入的（数据结构版本 {revision}），"
        "当前版本无法打开。请安装该版本或更新版本的科普台账后再打开。文件未作任何改动。"
    )


def refuse_unknown(revision: str | None, name: str) -> None:
    """Opening, migrating or restoring a newer database would damage it: refuse it first."""
    if revision is not None and revision not in known_revisions():
        raise NewerDatabase(newer_message(name, revision))


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file or leave anything beside it.

    A WAL database opened read-only gets -wal and -shm files that a read-only
    connection cannot remove again. When no -wal file exists the database is
    wholly checkpointed and nobody has it open, so it is read as immutable:
    no locks, no side files.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True)


def sqlite_revision(path: Path) -> str | None:
    """The schema revision stamped in a database file, read without changing it; None if unstamped.

    This is the whole schema check of an ordinary start: one read of
    alembic_version, compared with REVISIONS.
    """
    con = _read_only(path)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # SQLite's own words for a file never migrated
            return None
        raise
    finally:
        con.close()
    return None if row is None else str(row[0])


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    if "not a database" in text:
        return "它不是数据库文件"
    if "malformed" in text or "corrupt" in text:
        return "文件已损坏"
    return text


def backup_sqlite(db_path: Path, dest_dir: Path | None = None, label: str = "manual") -> Path:
    """Copy a live SQLite database with the backup API (consistent even under WAL).

    A file SQLite cannot read is copied byte for byte instead, so even a
    damaged database is kept before anything replaces it.
    """
    dest_dir = dest_dir or db_path.parent / "backups"
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = dest_dir / f"{db_path.stem}-{label}-{stamp}.sqlite3"
    src = sqlite3.connect(db_path)
    try:
        _backup_into(src, dest)
    except sqlite3.DatabaseError:
        dest.unlink(missing_ok=True)
        shutil.copy2(db_path, dest)
    finally:
        src.close()
    _prune(dest_dir, db_path.stem, label)
    return dest


def _backup_into(src: sqlite3.Connection, dest: Path) -> None:
    """Write `src`'s pages into the database file `dest` (made if missing), then let go of it."""
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        dst.close()


def _prune(dest_dir: Path, stem: str, label: str) -> None:
    """Keep the newest automatic copies of one kind; a backup the user asked for is never removed."""
    if label == "manual":
        return
    copies = sorted(dest_dir.glob(f"{stem}-{label}-*.sqlite3"))  # names sort by their time stamp
    for old in copies[:-BACKUPS_KEPT]:
        old.unlink()


def auto_backup(db_path: Path) -> Path | None:
    """A daily safety copy: made when the newest copy is older than a day."""
    dest_dir = db_path.parent / "backups"
    copies = list(dest_dir.glob(f"{db_path.stem}-*.sqlite3")) if dest_dir.exists() else []
    newest = max((p.stat().st_mtime for p in copies), default=0.0)
    if datetime.now().timestamp() - newest < AUTO_BACKUP_HOURS * 3600:
        return None
    return backup_sqlite(db_path, dest_dir, label="auto")


def probe_sqlite(path: Path) -> str:
    """Check a backup before it may replace the database; return its schema revision.

    Read without changing it: opening it as a Database would migrate it and
    make copies of it, and a backup must stay as it was made. It must pass
    SQLite's own integrity check, hold this program's tables, and carry a
    revision this version knows (an older one is upgraded after the restore).
    """
    refused = f"“{path.name}”不能用于恢复："
    try:
        con = _read_only(path)
        try:
            check = con.execute("PRAGMA integrity_check").fetchone()
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            row = (
                con.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise UnreadableDatabase(f"{refused}{_reason(exc)}。") from None
    if check is None or check[0] != "ok":
        raise UnreadableDatabase(f"{refused}文件已损坏（完整性检查未通过）。")
    if row is None or not CORE_TABLES.issubset(tables):
        raise UnreadableDatabase(f"{refused}它不是科普台账的数据库。")
    revision = str(row[0])
    if revision not in known_revisions():
        raise NewerDatabase(
            f"{refused}它是由更新版本的科普台账写入的（数据结构版本 {revision}）。"
            "请安装该版本或更新版本的科普台账后再恢复。当前数据库未作任何改动。"
        )
    return revision


def restore_sqlite(backup: Path, db_path: Path) -> None:
    """Replace the database's content with a backup's, again through the backup API.

    A damaged database cannot be written into; it is replaced by a fresh copy
    of the backup instead (the caller has already kept the damaged file).
    """
    src = sqlite3.connect(backup)
    try:
        _backup_into(src, db_path)
    except sqlite3.DatabaseError:
        fresh = db_path.with_name(db_path.name + ".restoring")
        fresh.unlink(missing_ok=True)
        _backup_into(src, fresh)
        for side in ("-wal", "-shm"):
            Path(f"{db_path}{side}").unlink(missing_ok=True)
        os.replace(fresh, db_path)
    finally:
        src.close()


def migrate(engine: Engine, db_path: Path | None = None) -> Path | None:
    """Upgrade to head; back up first when an existing database is behind.

    Returns the backup's path, if one was made.
    """
    return upgrade_from(current_revision(engine), engine, db_path)


def upgrade_from(current: str | None, engine: Engine, db_path: Path | None = None) -> Path | None:
    """Upgrade a database stamped `current` to the head; at the head, nothing (and no Alembic)."""
    if current == head_revision():
        return None
    refuse_unknown(current, str(db_path.name if db_path else engine.url.database))
    from alembic import command

    scripts = revision_scripts()
    written = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    if written != list(REVISIONS):
        raise RuntimeError(
            f"desktop/db.py REVISIONS {REVISIONS} differs from migrations/versions {tuple(written)}"
        )
    backup = None
    if current is not None and db_path is not None and db_path.exists():
        backup = backup_sqlite(db_path, label=f"pre-migrate-{current}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup


def restore_database(backup: Path, db_path: Path, engine: Engine | None = None) -> Path:
    """Check a backup, keep the current data as a safety copy, replace, then upgrade.

    The one home of the restore rule, for the window and the command line:
    a refused backup leaves the current database exactly as it was; an
    accepted one written by an older version is brought to this version's
    schema at once (with the usual pre-migration copy). Returns the safety copy.
    """
    probe_sqlite(backup)
    safety = backup_sqlite(db_path, label="pre-restore")
    if engine is not None:
        engine.dispose()
    restore_sqlite(backup, db_path)
    upgrade = engine or make_engine(sqlite_url(db_path))
    try:
        migrate(upgrade, db_path)
    finally:
        if engine is None:
            upgrade.dispose()
    return safety


class ChangeWatch:
    """Notices commits that other programs (the command line, a script) made to an SQLite file.

    SQLite's `PRAGMA data_version` changes on a connection whenever another
    connection has committed. This program's own commits change it too; they
    are counted through the engine, and a look that sees only our own commits
    reports nothing, since the view that wrote has already refreshed itself.
    """

    def __init__(self, path: Path, engine: Engine) -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._conn.execute("PRAGMA busy_timeout = 2000")
        self._own_commits = 0
        event.listen(engine, "commit", self._on_own_commit)
        self._seen_own = 0
        self._version = self._data_version()

    def _on_own_commit(self, _conn: object) -> None:
        self._own_commits += 1

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed_elsewhere(self) -> bool:
        try:
            version = self._data_version()
        except sqlite3.OperationalError:  # busy past the timeout: look again next time
            return False
        own = self._own_commits
        changed = version != self._version and own == self._seen_own
        self._version, self._seen_own = version, own
        return changed

    def close(self) -> None:
        self._conn.close()


class Database:
    """An open, migrated database: the one object services are built on.

    `daily_backup=False` leaves the day's safety copy to the caller, who
    makes it with `daily_backup()` when it will not keep anyone waiting (the
    window, once it is on screen). A copy before a migration is never left:
    it is made here, before the migration.
    """

    def __init__(self, url: str, path: Path | None = None, daily_backup: bool = True) -> None:
        self.url = url
        self.path = path
        existed = path is not None and path.exists() and path.stat().st_size > 0
        self.engine = make_engine(url)
        current = None
        if path is None:
            current = current_revision(self.engine)
        elif existed:
            current = self._refuse_newer(path)
        if path is not None:
            self._ensure_readable(path)
        self.last_backup = upgrade_from(current, self.engine, path)
        self._backup_due = existed and self.last_backup is None
        if daily_backup:
            self.daily_backup()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.waiter: Waiter | None = None
        self._watch: ChangeWatch | None = None

    def daily_backup(self) -> Path | None:
        """The day's safety copy of a file that was opened as it was (not just created or migrated)."""
        if not self._backup_due or self.path is None:
            return None
        self._backup_due = False
        copy = auto_backup(self.path)
        if copy is not None:
            self.last_backup = copy
        return copy

    def _refuse_newer(self, path: Path) -> str | None:
        """Before any connection of ours touches the file: a newer one stays byte for byte as it is.

        Returns the stamped revision. A file the read-only look cannot read
        is explained by _ensure_readable, or read through the engine after all.
        """
        try:
            revision = sqlite_revision(path)
        except sqlite3.DatabaseError:
            self._ensure_readable(path)
            revision = current_revision(self.engine)
        refuse_unknown(revision, path.name)
        return revision

    def _ensure_readable(self, path: Path) -> None:
        """Refuse a file SQLite cannot read before anything (a migration) touches it."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except DatabaseError as exc:
            self.engine.dispose()
            raise UnreadableDatabase(
                f"无法打开数据库“{path}”：{_reason(exc)}。文件未作任何改动。"
                f"如有备份（在同一文件夹的 backups 中），可用“kepu --db {path.name} restore 备份文件 --yes”恢复。"
            ) from None

    @classmethod
    def open(cls, target: Path | str, daily_backup: bool = True) -> Database:
        """Open a file path or a database URL (sqlite:///…, postgresql://…)."""
        text = str(target)
        if "://" in text:
            path = Path(text.split(":///", 1)[1]) if text.startswith("sqlite:///") else None
            return cls(text, path, daily_backup)
        path = Path(target).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(sqlite_url(path), path, daily_backup)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error.

        It begins with the database's write lock (waiting while another
        program holds it), so it is never refused half-way through.
        """
        bind = self.engine.execution_options(**{WRITE_OPTION: True, "kepu_waiter": self.waiter})
        with self._sessions(bind=bind) as session, session.begin():
            yield session

    def before_commit(self, hook: Callable[[Session], None]) -> None:
        """Run `hook(session)` inside every write transaction, just before it commits.

        The domain keeps derived tables in step this way (the ledger's
        monthly totals) without this layer knowing what they are.
        """
        event.listen(self._sessions, "before_commit", hook)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def backup(self, dest_dir: Path | None = None, label: str = "manual") -> Path:
        if self.path is None:
            raise RuntimeError("只有本地 SQLite 数据库可以在程序内备份。")
        return backup_sqlite(self.path, dest_dir, label)

    def changed_elsewhere(self) -> bool:
        """Whether another program has committed since the last call (SQLite files only)."""
        if self.path is None:
            return False
        if self._watch is None:
            self._watch = ChangeWatch(self.path, self.engine)
            return False
        return self._watch.changed_elsewhere()

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self.engine.dispose()
