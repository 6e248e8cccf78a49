"""Records about the records: locks, submissions, audit trail, settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base


class PeriodLock(Base):
    """A submitted period; rows stay after unlocking so the history is kept."""

    __tablename__ = "period_lock"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    locked_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    locked_by: Mapped[str] = mapped_column(String(60), default="")
    unlocked_at: Mapped[datetime | None] = mapped_column(DateTime)
    unlocked_by: Mapped[str | None] = mapped_column(String(60))
    unlock_reason: Mapped[str | None] = mapped_column(Text)


class Submission(Base):
    """A file that left the office: what, for which period, and its SHA-256."""

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(260))
    sha256: Mapped[str] = mapped_column(String(64))
    operator: Mapped[str] = mapped_column(String(60), default="")
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class AuditRecord(Base):
    """Who changed what and when; `changes` maps field → [old, new]."""

    __tablename__ = "audit_record"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), index=True
    )
    user: Mapped[str] = mapped_column(String(60), default="")
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(300), default="")
    changes: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)


class Setting(Base):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
