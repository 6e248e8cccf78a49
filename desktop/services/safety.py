"""Keeping the records safe: the audit trail to read, backups to list and restore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, func, select

from desktop.db import (
    BACKUPS_KEPT,
    Database,
    UnreadableDatabase,
    restore_database,
)
from desktop.errors import ServiceError
from desktop.models import AuditRecord
from desktop.services import audit

ACTION_LABELS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "restore": "撤销删除",
    "lock": "锁定",
    "unlock": "解锁",
    "import": "导入",
    "undo": "撤销导入",
    "activate": "启用",
    "export": "导出",
    "reorder": "调整顺序",
    "confirm": "确认",
    "replace": "替换",
    "map": "设置对应",
    "rollover": "开始下一期",
}
ENTITY_LABELS = {
    "activity": "活动",
    "entry": "填报数据",
    "plan": "实施方案",
    "section": "行动/工程",
    "task": "任务",
    "indicator": "指标",
    "unit": "责任单位",
    "place": "地点",
    "period": "统计期",
    "evidence": "佐证材料",
    "setting": "设置",
    "demo": "演示数据",
    "volunteer_team": "志愿服务队",
    "team_headcount": "队伍人数",
    "import_batch": "导入批次",
    "task_unit": "任务责任单位",
    "section_unit": "行动/工程责任单位",
    "submission": "报送记录",
    "database": "数据库",
    "flag": "疑似异常",
    "region_return": "下级报表",
    "return_mapping": "下级指标对应",
    "rubric": "考核细则",
    "assessment": "考核评分",
}

# Field names in audit records, as the user knows them.
FIELD_LABELS = {
    "start_date": "开始日期",
    "end_date": "结束日期",
    "title": "活动名称",
    "type_id": "活动类型",
    "unit_id": "组织单位",
    "place_id": "地点",
    "participants": "参加人次",
    "female": "女性人次",
    "rural": "农村人次",
    "sessions": "场次",
    "volunteers": "志愿者人次",
    "volunteer_hours": "志愿服务时长",
    "funding_yuan": "经费（元）",
    "media": "媒体报道",
    "summary": "活动简介",
    "task_ids": "服务任务",
    "group_ids": "重点人群",
    "cooperator_ids": "配合单位",
    "value": "数值",
}


@dataclass
class AuditFilter:
    start: date | None = None
    end: date | None = None
    entity: str | None = None
    action: str | None = None
    text: str = ""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    created: datetime
    size: int
    label: str


def _apply(stmt: Select, flt: AuditFilter) -> Select:
    if flt.start:
        stmt = stmt.where(AuditRecord.at >= datetime.combine(flt.start, datetime.min.time()))
    if flt.end:
        stmt = stmt.where(
            AuditRecord.at < datetime.combine(flt.end + timedelta(days=1), datetime.min.time())
        )
    if flt.entity:
        stmt = stmt.where(AuditRecord.entity == flt.entity)
    if flt.action:
        stmt = stmt.where(AuditRecord.action == flt.action)
    if flt.text.strip():
        pattern = f"%{flt.text.strip()}%"
        stmt = stmt.where(AuditRecord.summary.like(pattern) | AuditRecord.user.like(pattern))
    return stmt


class AuditLogService:
    """Read-only access to the audit trail, newest first, page by page."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def count(self, flt: AuditFilter) -> int:
        with self.db.reading() as s:
            return s.scalar(_apply(select(func.count(AuditRecord.id)), flt)) or 0

    def rows(self, flt: AuditFilter, offset: int, limit: int) -> list[AuditRecord]:
        stmt = (
            _apply(select(AuditRecord), flt)
            .order_by(AuditRecord.id.desc())
            .offset(offset)
            .limit(limit)
        )
        with self.db.reading() as s:
            return list(s.scalars(stmt))


class BackupService:
    """Backups of a local SQLite database, kept beside it in backups/."""

    automatic_kept = BACKUPS_KEPT  # per kind; manual backups are never pruned

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def available(self) -> bool:
        return self.db.path is not None

    def folder(self) -> Path:
        if self.db.path is None:
            raise ServiceError(
                "只有本地 SQLite 数据库可以在程序内备份；服务器数据库请用其自带的备份工具。"
            )
        return self.db.path.parent / "backups"

    def backups(self) -> list[BackupFile]:
        folder = self.folder()
        if not folder.exists():
            return []
        files = []
        for p in folder.glob(f"{self.db.path.stem}-*.sqlite3"):  # type: ignore[union-attr]
            stat = p.stat()
            label = p.stem[len(self.db.path.stem) + 1 :].rsplit("-", 3)[0]  # type: ignore[union-attr]
            files.append(BackupFile(p, datetime.fromtimestamp(stat.st_mtime), stat.st_size, label))
        return sorted(files, key=lambda b: b.created, reverse=True)

    def backup_now(self, dest_dir: Path | None = None) -> Path:
        """A manual backup, beside the database or into `dest_dir` (a USB drive, a share)."""
        self.folder()
        if dest_dir is not None and not dest_dir.is_dir():
            raise ServiceError(f"备份位置“{dest_dir}”不存在或不是文件夹。")
        try:
            return self.db.backup(dest_dir, label="manual")
        except OSError as exc:
            where = dest_dir or self.folder()
            raise ServiceError(
                f"无法备份到“{where}”：{exc.strerror or exc}（U 盘是否已拔出或写保护？）"
            ) from None

    def restore(self, backup: Path) -> Path:
        """Replace the data with a backup's; the current data is first saved as a backup.

        Returns the path of that safety copy, so nothing is ever lost by a restore.
        """
        if self.db.path is None:
            raise ServiceError("只有本地 SQLite 数据库可以在程序内恢复。")
        if not backup.is_file():
            raise ServiceError(f"备份文件不存在：{backup}")
        try:
            safety = restore_database(backup, self.db.path, self.db.engine)
        except UnreadableDatabase as exc:
            raise ServiceError(str(exc)) from None
        with self.db.transaction() as s:
            audit.record(
                s, "restore", "database", None, f"从备份 {backup.name} 恢复数据", reason=str(safety)
            )
        return safety
