"""Writing an output file so that a failure never leaves half of one behind.

The file is written beside its destination under a hidden temporary name
and moved over it in one step. The commonest failure in an office is the
old copy still open in Excel or WPS (Windows then refuses the move); that, a
missing folder, a full disk or a read-only folder each get a Chinese message.

A program killed mid-write (power cut, task manager) cannot remove its
temporary file; the temporary name carries the computer and the process, so
the next write into that folder removes the leftovers of processes that are
gone.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import ServiceError

PART_SUFFIX = ".kepu-part"
_PART = re.compile(r"^\..+\.(?P<host>[A-Za-z0-9_-]*)-(?P<pid>\d+)" + re.escape(PART_SUFFIX) + "$")


def write_problem(out: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"无法写入“{out.name}”：文件可能正在被 Excel 或 WPS 打开，请关闭后重试；"
            f"或文件夹“{out.parent}”没有写入权限。"
        )
    if exc.errno == errno.ENOENT:
        return f"无法写入“{out.name}”：文件夹“{out.parent}”不存在。"
    if exc.errno == errno.EISDIR:
        return f"无法写入“{out.name}”：已有同名的文件夹。"
    if exc.errno == errno.ENOSPC:
        return f"无法写入“{out.name}”：磁盘空间不足。"
    return f"无法写入“{out}”：{exc.strerror or exc}"


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname())[:40]


def process_alive(pid: int) -> bool:
    """Whether a process of this computer is still running (never signals it)."""
    if sys.platform == "win32":
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_leftovers(folder: Path) -> list[Path]:
    """Remove temporary files that killed processes of this computer left in `folder`."""
    removed: list[Path] = []
    host = _host()
    with suppress(OSError):
        for entry in folder.iterdir():
            match = _PART.match(entry.name)
            if match and match["host"] == host and not process_alive(int(match["pid"])):
                with suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


@dataclass
class StagedFile:
    """An output being written: `tmp` is written, `place()` moves it over `out` in one step."""

    out: Path
    tmp: Path
    placed: bool = False

    def place(self) -> None:
        os.replace(self.tmp, self.out)
        self.placed = True


@contextmanager
def written_in_place(out: Path) -> Iterator[StagedFile]:
    """Yield a staged file to write; on success it replaces `out` whole.

    The body may call `place()` itself — to record the file in the database
    in the same step — otherwise it is placed when the body ends.
    """
    out = Path(out)
    staged = StagedFile(out, out.with_name(f".{out.name}.{_host()}-{os.getpid()}{PART_SUFFIX}"))
    sweep_leftovers(out.parent)
    try:
        yield staged
        if not staged.placed:
            staged.place()
    except OSError as exc:
        raise ServiceError(write_problem(out, exc)) from None
    finally:
        staged.tmp.unlink(missing_ok=True)
