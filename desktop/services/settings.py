"""Office settings kept in the database: 表号, 制表机关, 填报人, 联系电话 …"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.cleaning import clean_line
from desktop.db import Database
from desktop.errors import ValidationError
from desktop.models import Setting
from desktop.services import audit

DEFAULTS: dict[str, str] = {
    "office_name": "",
    "region": "",
    "contact_person": "",
    "contact_phone": "",
    "unit_head": "",
    "form_number": "科素表1号",
    "form_authority": "",
    "summary_title": "",
    "due_days": "10",
    "due_days_year": "15",
}

LABELS: dict[str, str] = {
    "office_name": "填报单位",
    "region": "地区",
    "contact_person": "填报人",
    "contact_phone": "联系电话",
    "unit_head": "单位负责人",
    "form_number": "表号",
    "form_authority": "制表机关",
    "summary_title": "年度总结标题",
    "due_days": "报送期限（月、季度结束后天数）",
    "due_days_year": "报送期限（年度结束后天数）",
}
# Settings that count days: a collection period's due date (desktop/services/reporting.py).
DAY_COUNTS = ("due_days", "due_days_year")
MAX_DAYS = 366


def checked_days(key: str, text: str) -> str:
    """A day-count setting as stored: a whole number from 0 to MAX_DAYS."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_DAYS:
        raise ValidationError(f"{LABELS[key]}应是 0—{MAX_DAYS} 之间的整数，而不是“{text}”。", key)
    return str(int(text))


def day_count(session: Session, key: str) -> int:
    row = session.get(Setting, key)
    return (
        int(row.value)
        if row is not None and row.value.isascii() and row.value.isdigit()
        else int(DEFAULTS[key])
    )


class SettingsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> dict[str, str]:
        with self.db.reading() as s:
            stored = {row.key: row.value for row in s.scalars(select(Setting))}
        return {**DEFAULTS, **stored}

    def get(self, key: str) -> str:
        return self.all().get(key, "")

    def update(self, values: dict[str, str]) -> None:
        with self.db.transaction() as s:
            for key, raw in values.items():
                value = checked_days(key, raw) if key in DAY_COUNTS else clean_line(raw)
                row = s.get(Setting, key)
                old = row.value if row else DEFAULTS.get(key, "")
                if old == value:
                    continue
                if row is None:
                    s.add(Setting(key=key, value=value))
                else:
                    row.value = value
                audit.record(
                    s,
                    "update",
                    "setting",
                    None,
                    f"修改设置 {LABELS.get(key, key)}",
                    {key: [old, value]},
                )
