"""`kepu check`: is the database file sound, and do its derived tables match the ledger?

The file's own checks (SQLite's integrity and foreign keys) and the
monthly totals against a recount. `repair` rebuilds what is derived from
the ledger, after a backup, and never touches what a user entered.
"""

from __future__ import annotations

from sqlalchemy import text

from desktop.db import Database
from desktop.services import tally


class HealthService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def problems(self) -> list[str]:
        """Every problem found, in words for the office; empty when all is well."""
        found: list[str] = []
        if self.db.engine.dialect.name == "sqlite":
            with self.db.engine.connect() as conn:
                result = conn.execute(text("PRAGMA integrity_check")).scalar()
                if result != "ok":
                    found.append(f"完整性检查未通过：{result}")
                bad = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                if bad:
                    found.append(f"有 {len(bad)} 处外键引用失效（首个在表 {bad[0][0]}）")
        with self.db.reading() as s:
            months = tally.differences(s)
        if months:
            shown = "、".join(f"{m.year}年{m.month}月" for m in months[:6])
            more = f"等 {len(months)} 个月" if len(months) > 6 else ""
            found.append(
                f"活动月度汇总与台账不一致：{shown}{more}（可用 kepu check --repair 按台账重新汇总）"
            )
        return found

    def repair(self) -> str:
        """Recount the monthly totals from the ledger, in one transaction, after a backup."""
        if self.db.path is not None:
            self.db.backup(label="pre-repair")
        with self.db.transaction() as s:
            months = tally.rebuild(s)
        return f"已按台账重新汇总 {months} 个月的活动数据。"
