"""Reference lists the ledger points at: units, places, target groups, activity types."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base


class Unit(Base):
    """A responsible unit (责任单位): department, mass organisation, township, school."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="department")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    contact: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    aliases: Mapped[list[UnitAlias]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="UnitAlias.alias"
    )


class UnitAlias(Base):
    """Another spelling of a unit's name (市教育局 / 市教体局), so imports can match it."""

    __tablename__ = "unit_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(100), unique=True)

    unit: Mapped[Unit] = relationship(back_populates="aliases")


class Place(Base):
    """County → township/street (镇/街道) → village."""

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="township")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Place | None] = relationship(remote_side=[id])


class TargetGroup(Base):
    """重点人群: 青少年, 农民, 产业工人 …; editable."""

    __tablename__ = "target_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ActivityType(Base):
    """A 科普统计 category; `counts` names the figures that apply to it."""

    __tablename__ = "activity_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[list[str]] = mapped_column(JSON, default=list)
