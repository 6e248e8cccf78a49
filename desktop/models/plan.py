"""The plan (实施方案) and its structure: sections, tasks, responsible units."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, Timestamps
from desktop.models.reference import TargetGroup, Unit

ROLES = ("lead", "cooperating")


class Plan(Timestamps, Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(50))
    level: Mapped[str] = mapped_column(String(20), default="county")
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[str | None] = mapped_column(String(60))
    issue_date: Mapped[date | None] = mapped_column(Date)
    literacy_baseline: Mapped[float | None] = mapped_column(Float)
    literacy_baseline_year: Mapped[int | None] = mapped_column(Integer)
    literacy_target: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="active")
    is_active: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(60))
    # An ended plan (a later one follows it) is read-only until unlocked with a reason.
    edit_unlocked_at: Mapped[datetime | None] = mapped_column(DateTime)
    edit_unlock_reason: Mapped[str | None] = mapped_column(Text)

    sections: Mapped[list[Section]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Section.sort_order"
    )

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1


class Section(Base):
    """A 提升行动 (kind action, with a target group) or 重点工程 (kind project)."""

    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    target_group_id: Mapped[int | None] = mapped_column(ForeignKey("target_group.id"))

    plan: Mapped[Plan] = relationship(back_populates="sections")
    target_group: Mapped[TargetGroup | None] = relationship()
    tasks: Mapped[list[Task]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="Task.sort_order"
    )
    unit_links: Mapped[list[SectionUnit]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="SectionUnit.sort_order"
    )


class SectionUnit(Base):
    """Section-level 牵头部门 / 配合部门 lines, kept as printed."""

    __tablename__ = "section_unit"
    __table_args__ = (UniqueConstraint("section_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    section: Mapped[Section] = relationship(back_populates="unit_links")
    unit: Mapped[Unit] = relationship()


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("section_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(20), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")

    section: Mapped[Section] = relationship(back_populates="tasks")
    unit_links: Mapped[list[TaskUnit]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskUnit.sort_order"
    )

    @property
    def lead_units(self) -> list[Unit]:
        return [link.unit for link in self.unit_links if link.role == "lead"]


class TaskUnit(Base):
    """A unit responsible for a task, as lead (牵头) or cooperating (配合/责任)."""

    __tablename__ = "task_unit"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    task: Mapped[Task] = relationship(back_populates="unit_links")
    unit: Mapped[Unit] = relationship()
