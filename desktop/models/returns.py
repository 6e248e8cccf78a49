"""Returns of lower regions (下级报表): what a county's exported return held, as received.

The upper office keeps every figure of an accepted return, matched or not,
so a mapping set later (an unmatched indicator assigned to one of its own)
consolidates returns already received without importing them again. The
figures that count are copied into entries of the region's unit
(desktop/services/returns.py), where the one set of aggregation rules
applies to them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base


class RegionReturn(Base):
    """One accepted return: its import batch, and what its data sheet says of itself."""

    __tablename__ = "region_return"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), primary_key=True
    )
    region: Mapped[str] = mapped_column(String(100))
    plan_code: Mapped[str] = mapped_column(String(80))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    as_of: Mapped[date] = mapped_column(Date)
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime)


class ReturnFigure(Base):
    """One record of a return's data sheet (an indicator, or a ledger total)."""

    __tablename__ = "return_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("region_return.batch_id", ondelete="CASCADE"), index=True
    )
    record: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    uom: Mapped[str] = mapped_column(String(20), default="")
    measure: Mapped[str] = mapped_column(String(10))
    target: Mapped[float | None] = mapped_column(Float)
    period_value: Mapped[float | None] = mapped_column(Float)
    cumulative: Mapped[float | None] = mapped_column(Float)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ReturnMapping(Base):
    """The office's own answer for a lower indicator: which of its indicators it feeds, or none.

    Keyed by the lower indicator's code and name, so one county's 1.1 and
    another's differently named 1.1 can be told apart. An `indicator_id` of
    None means "not consolidated" (a figure the upper plan has no place for).
    """

    __tablename__ = "return_mapping"
    __table_args__ = (UniqueConstraint("plan_id", "source_code", "source_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    source_code: Mapped[str] = mapped_column(String(80))
    source_name: Mapped[str] = mapped_column(String(200))
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
