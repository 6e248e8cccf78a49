"""Period locks: the one place that decides whether a date or period is writable."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db import Database
from desktop.errors import LockedError, ServiceError, ValidationError
from desktop.models import PeriodLock, Plan
from desktop.services import audit
from desktop.services.periods import Period, parse_period
from desktop.services.plans import plan_for


def active_locks(session: Session) -> list[PeriodLock]:
    return list(
        session.scalars(
            select(PeriodLock).where(PeriodLock.unlocked_at.is_(None)).order_by(PeriodLock.start)
        )
    )


def lock_covering(session: Session, start: date, end: date | None = None) -> PeriodLock | None:
    end = end or start
    return session.scalar(
        select(PeriodLock)
        .where(
            PeriodLock.unlocked_at.is_(None),
            PeriodLock.start <= end,
            PeriodLock.end >= start,
        )
        .limit(1)
    )


def ensure_writable(session: Session, start: date, end: date | None = None) -> None:
    """Refuse a write whose dates fall in a locked period."""
    lock = lock_covering(session, start, end)
    if lock is not None:
        label = parse_period(lock.period).label
        raise LockedError(f"{label}已报送并锁定，不能修改其数据；如确需修改，请先解锁该统计期。")


class LockService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def locks(self) -> list[PeriodLock]:
        with self.db.reading() as s:
            return active_locks(s)

    def history(self) -> list[PeriodLock]:
        """Every lock ever made, newest first, unlocked ones included."""
        with self.db.reading() as s:
            return list(
                s.scalars(
                    select(PeriodLock).order_by(PeriodLock.locked_at.desc(), PeriodLock.id.desc())
                )
            )

    def is_locked(self, period: Period) -> bool:
        with self.db.reading() as s:
            return lock_covering(s, period.start, period.end) is not None

    def lock(self, period_code: str) -> PeriodLock:
        period = parse_period(period_code)
        with self.db.transaction() as s:
            if s.scalar(select(Plan.id).limit(1)) is not None:
                plan_for(s, period)  # some plan must cover it
            existing = s.scalar(
                select(PeriodLock).where(
                    PeriodLock.period == period.code, PeriodLock.unlocked_at.is_(None)
                )
            )
            if existing is not None:
                raise ServiceError(f"{period.label}已经锁定。")
            lock = PeriodLock(
                period=period.code,
                start=period.start,
                end=period.end,
                locked_by=audit.current_user(),
            )
            s.add(lock)
            s.flush()
            audit.record(s, "lock", "period", lock.id, f"锁定统计期 {period.label}")
            return lock

    def unlock(self, period_code: str, reason: str) -> None:
        period = parse_period(period_code)
        if not reason.strip():
            raise ValidationError("解锁必须填写原因。", "reason")
        with self.db.transaction() as s:
            lock = s.scalar(
                select(PeriodLock).where(
                    PeriodLock.period == period.code, PeriodLock.unlocked_at.is_(None)
                )
            )
            if lock is None:
                raise ServiceError(f"{period.label}没有锁定。")
            lock.unlocked_at = datetime.now()
            lock.unlocked_by = audit.current_user()
            lock.unlock_reason = reason.strip()
            audit.record(
                s, "unlock", "period", lock.id, f"解锁统计期 {period.label}", reason=reason.strip()
            )
