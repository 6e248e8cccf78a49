"""Indicators (指标), their yearly targets, and entries (填报数据)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, Timestamps
from desktop.models.ledger import ImportBatch
from desktop.models.plan import Plan, Task
from desktop.models.reference import Place, Unit

MEASURES = ("count", "level", "percent")
TARGET_MODES = ("period", "annual", "per_year", "end")
COMPARATORS = (">=", "<=")
SOURCES = ("manual", "derived")


class Indicator(Base):
    """A quantified target of the plan.

    `measure` decides aggregation (count sums, level takes the latest,
    percent is never summed); `target_mode` decides the window the actual is
    measured in; `source` says whether entries or the ledger supply it.
    """

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    uom: Mapped[str] = mapped_column(String(20), default="")
    measure: Mapped[str] = mapped_column(String(10))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="SET NULL"))
    target_mode: Mapped[str] = mapped_column(String(10))
    target: Mapped[float | None] = mapped_column(Float)
    comparator: Mapped[str] = mapped_column(String(2), default=">=")
    baseline: Mapped[float | None] = mapped_column(Float)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10), default="manual")
    rule: Mapped[dict | None] = mapped_column(JSON)
    numerator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"))
    denominator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    quote: Mapped[str] = mapped_column(Text, default="")
    # The previous plan's indicator this one carries on (a rollover, or the office's match).
    # A plain id, not a foreign key: adding one to SQLite means copying `indicator`, and the
    # copy's drop would cascade to every entry. A link to a removed indicator reads as none;
    # 0 says the office reviewed it and it is new (desktop/services/plan_periods.py).
    continues_id: Mapped[int | None] = mapped_column(Integer, index=True)

    plan: Mapped[Plan] = relationship()
    task: Mapped[Task | None] = relationship()
    year_targets: Mapped[list[IndicatorYearTarget]] = relationship(
        back_populates="indicator",
        cascade="all, delete-orphan",
        order_by="IndicatorYearTarget.year",
    )

    def target_for(self, year: int) -> float | None:
        if self.target_mode == "per_year":
            return next((t.value for t in self.year_targets if t.year == year), None)
        return self.target


class IndicatorYearTarget(Base):
    __tablename__ = "indicator_year_target"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)

    indicator: Mapped[Indicator] = relationship(back_populates="year_targets")


class Entry(Timestamps, Base):
    """One value for one indicator and period, optionally per unit and place."""

    __tablename__ = "entry"
    __table_args__ = (Index("ix_entry_indicator_end", "indicator_id", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )

    indicator: Mapped[Indicator] = relationship()
    unit: Mapped[Unit | None] = relationship()
    place: Mapped[Place | None] = relationship()
    batch: Mapped[ImportBatch | None] = relationship()
