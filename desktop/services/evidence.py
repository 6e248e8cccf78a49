"""Evidence files (佐证材料): copied into the data folder under content-derived names.

The original name is kept for display only; the stored name is the file's
SHA-256, so a hostile or odd file name can never escape the folder, and the
same photo attached twice is stored once.
"""

from __future__ import annotations

import shutil
from contextlib import suppress
from pathlib import Path

from sqlalchemy import func, select

from desktop.db import Database
from desktop.errors import NotFoundError, ValidationError
from desktop.models import Activity, Evidence
from desktop.paths import data_dir
from desktop.services import audit, locks
from desktop.services.submissions import file_sha256

MAX_BYTES = 200 * 1024 * 1024
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp"}
ALLOWED_SUFFIXES = IMAGE_SUFFIXES | {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".txt",
    ".mp4",
    ".tif",
    ".tiff",
}


def evidence_dir() -> Path:
    path = data_dir() / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


class EvidenceService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def path(self, evidence: Evidence) -> Path:
        return evidence_dir() / evidence.stored_name

    def list(self, activity_id: int) -> list[Evidence]:
        with self.db.reading() as s:
            return list(
                s.scalars(
                    select(Evidence)
                    .where(Evidence.activity_id == activity_id)
                    .order_by(Evidence.id)
                )
            )

    def add(self, activity_id: int, source: Path) -> Evidence:
        source = Path(source)
        if not source.is_file():
            raise ValidationError(f"文件不存在：{source}")
        suffix = source.suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise ValidationError(
                f"不支持的佐证材料类型“{suffix or '无扩展名'}”：请使用图片、PDF、Word、Excel 或视频文件。"
            )
        try:
            size = source.stat().st_size
            if size > MAX_BYTES:
                raise ValidationError("佐证材料不能超过 200 MB。")
            digest = file_sha256(source)
        except OSError:
            raise ValidationError(
                f"无法读取“{source.name}”：文件可能正被其他程序占用，或没有读取权限。"
            ) from None
        stored = f"{digest}{suffix}"
        target = evidence_dir() / stored
        with self.db.transaction() as s:
            activity = s.get(Activity, activity_id)
            if activity is None:
                raise NotFoundError("活动不存在或已被删除。")
            locks.ensure_writable(s, activity.start_date)
            if not target.exists():
                tmp = target.with_suffix(target.suffix + ".part")
                try:
                    shutil.copyfile(source, tmp)
                    tmp.replace(target)
                except OSError:
                    with suppress(OSError):
                        tmp.unlink(missing_ok=True)
                    raise ValidationError(
                        f"无法把“{source.name}”存入数据文件夹“{target.parent}”："
                        "请检查磁盘空间和写入权限。"
                    ) from None
            ev = Evidence(
                activity_id=activity_id,
                original_name=source.name[:260],
                stored_name=stored,
                size=size,
                sha256=digest,
                kind="image" if suffix in IMAGE_SUFFIXES else "file",
            )
            s.add(ev)
            s.flush()
            audit.record(
                s,
                "create",
                "evidence",
                ev.id,
                f"为活动 {activity.title} 添加佐证材料 {source.name}",
            )
            return ev

    def remove(self, evidence_id: int) -> None:
        """Detach the file from its activity; the stored copy goes once nothing uses it."""
        with self.db.transaction() as s:
            ev = s.get(Evidence, evidence_id)
            if ev is None:
                raise NotFoundError("佐证材料不存在。")
            activity = s.get(Activity, ev.activity_id)
            assert activity is not None
            locks.ensure_writable(s, activity.start_date)
            stored = ev.stored_name
            audit.record(
                s,
                "delete",
                "evidence",
                ev.id,
                f"删除活动 {activity.title} 的佐证材料 {ev.original_name}",
            )
            s.delete(ev)
            s.flush()
            still_used = s.scalar(
                select(func.count(Evidence.id)).where(Evidence.stored_name == stored)
            )
        if not still_used:
            (evidence_dir() / stored).unlink(missing_ok=True)
