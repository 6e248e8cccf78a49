"""The activity ledger (活动台账), its evidence files and volunteer teams."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, Timestamps
from desktop.models.plan import Task
from desktop.models.reference import ActivityType, Place, TargetGroup, Unit

activity_task = Table(
    "activity_task",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("task_id", ForeignKey("task.id", ondelete="CASCADE"), primary_key=True, index=True),
)

activity_group = Table(
    "activity_group",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("target_group.id"), primary_key=True, index=True),
)

activity_cooperator = Table(
    "activity_cooperator",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id"), primary_key=True, index=True),
)


class ImportBatch(Base):
    """One import of one file: what it added can be undone as a whole."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    file_name: Mapped[str] = mapped_column(String(260))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    # The collection period the file was made for (2024, 2024Q3, 202407): who has reported.
    period: Mapped[str | None] = mapped_column(String(10), index=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    operator: Mapped[str] = mapped_column(String(60), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class Activity(Timestamps, Base):
    """One science-popularisation activity; its start date decides its period."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_start_type", "start_date", "type_id"),
        Index("ix_activity_unit_start", "unit_id", "start_date"),
        Index("ix_activity_place_start", "place_id", "start_date"),
        Index("ix_activity_type_start", "type_id", "start_date"),
        # 疑似异常's range rule (desktop/services/flags.py): a unit's values in order, for
        # its median and for those above a bound, read from the index alone.
        Index(
            "ix_activity_unit_funding",
            "unit_id",
            "funding_fen",
            "start_date",
            sqlite_where=text("funding_fen > 0"),
            postgresql_where=text("funding_fen > 0"),
        ),
        Index(
            "ix_activity_unit_hours",
            "unit_id",
            "volunteer_hours",
            "start_date",
            sqlite_where=text("volunteer_hours > 0"),
            postgresql_where=text("volunteer_hours > 0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    type_id: Mapped[int] = mapped_column(ForeignKey("activity_type.id"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    participants: Mapped[int] = mapped_column(Integer, default=0)
    female: Mapped[int | None] = mapped_column(Integer)
    rural: Mapped[int | None] = mapped_column(Integer)
    sessions: Mapped[int] = mapped_column(Integer, default=1)
    volunteers: Mapped[int] = mapped_column(Integer, default=0)
    volunteer_hours: Mapped[float] = mapped_column(Float, default=0.0)
    funding_fen: Mapped[int] = mapped_column(Integer, default=0)
    media: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    type: Mapped[ActivityType] = relationship()
    place: Mapped[Place | None] = relationship()
    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    cooperators: Mapped[list[Unit]] = relationship(secondary=activity_cooperator)
    tasks: Mapped[list[Task]] = relationship(secondary=activity_task)
    groups: Mapped[list[TargetGroup]] = relationship(secondary=activity_group)
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="Evidence.id"
    )

    @property
    def funding_yuan(self) -> float:
        return self.funding_fen / 100


class Evidence(Base):
    """A 佐证材料 file copied into the data folder under a content-derived name."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(260))
    stored_name: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), default="file")
    added_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    activity: Mapped[Activity] = relationship(back_populates="evidence")


class VolunteerTeam(Base):
    """科技志愿服务队; its registered headcount is tracked over time."""

    __tablename__ = "volunteer_team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    founded: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit | None] = relationship()
    place: Mapped[Place | None] = relationship()
    headcounts: Mapped[list[TeamHeadcount]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="TeamHeadcount.as_of"
    )


class TeamHeadcount(Base):
    __tablename__ = "team_headcount"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer_team.id", ondelete="CASCADE"), index=True
    )
    as_of: Mapped[date] = mapped_column(Date)
    headcount: Mapped[int] = mapped_column(Integer)

    team: Mapped[VolunteerTeam] = relationship(back_populates="headcounts")
