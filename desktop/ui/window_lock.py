"""One window per database file.

Two staff members opening the same file on a shared folder would each see
the other's work vanish behind stale pages. The window therefore holds a lock
file beside the database (Qt's QLockFile: a lock whose process is gone, as
after a crash, is taken over). Beside it a small note says who holds it, so
the refusal can name the user, the computer and the time. The command line
takes no such lock: its writes are short and SQLite's own locking serialises
them with the window's.
"""

from __future__ import annotations

import contextlib
import json
import socket
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile

from desktop.services.audit import current_user


class WindowLock:
    """The lock of one database file, held for as long as its window is open."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self.note = db_path.with_name(db_path.name + ".lock.json")
        self._lock = QLockFile(str(self.path))
        # Time alone never makes a lock stale: a window stays open all day.
        self._lock.setStaleLockTime(0)

    def acquire(self) -> str | None:
        """Take the lock; None on success, else the Chinese reason the window may not open."""
        if self._lock.tryLock(0):
            self._write_note()
            return None
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            # A folder we cannot write (a read-only share): no lock can be kept there,
            # and the database cannot be written either, so nobody can be overwritten.
            return None
        return self._refusal()

    def release(self) -> None:
        if self._lock.isLocked():
            self.note.unlink(missing_ok=True)
            self._lock.unlock()

    def _write_note(self) -> None:
        note = {
            "user": current_user(),
            "host": socket.gethostname(),
            "since": datetime.now().isoformat(timespec="seconds"),
        }
        with contextlib.suppress(OSError):  # the note only improves another window's message
            self.note.write_text(json.dumps(note, ensure_ascii=False), encoding="utf-8")

    def _refusal(self) -> str:
        info = self._lock.getLockInfo()  # (pid, host name, program), or a false value
        ok = isinstance(info, tuple) and len(info) == 3
        pid, host = (info[0], info[1]) if ok else (0, "")
        try:
            note = json.loads(self.note.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            note = {}
        user = note.get("user") or "另一位用户"
        host = note.get("host") or (host if ok else "") or "另一台电脑"
        since = str(note.get("since", "")).replace("T", " ")
        when = f"自 {since} 起" if since else ""
        here = host == socket.gethostname()
        advice = (
            "请切换到已打开的窗口继续工作，或关闭它后再打开。"
            if here
            else f"请让对方关闭程序后再打开；如果“{host}”上的程序已意外退出，"
            f"请在确认后删除文件“{self.path.name}”再打开。"
        )
        process = f"（进程 {pid}）" if ok and here else ""
        return (
            f"数据库“{self.path.stem}”已由 {user} 在电脑“{host}”上{when}打开{process}。"
            f"同一个数据库同时只能在一个窗口中打开，以免彼此覆盖。{advice}"
        )
