"""Writing an output file so that a failure never leaves half of one behind.

The file is written beside its destination under a ".part" name and moved
over it in one step. The commonest failure in an office is the old copy
still open in Excel or WPS (Windows then refuses the move); that, a missing
folder, a full disk or a read-only folder each get a Chinese message.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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


@contextmanager
def written_in_place(out: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `out` whole."""
    tmp = out.with_name(out.name + ".part")
    try:
        yield tmp
        os.replace(tmp, out)
    except OSError as exc:
        # Imported here: the services package imports the collection template,
        # which writes through this module.
        from desktop.services.errors import ServiceError

        raise ServiceError(write_problem(out, exc)) from None
    finally:
        tmp.unlink(missing_ok=True)
