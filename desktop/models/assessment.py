"""The annual assessment (年度考核): a rubric of scored items, and each unit's scores per year.

A rubric belongs to a plan and a range of years and names whom it
assesses. Each item may carry a rule (desktop/services/assessment_rules.py)
by which the ledger scores it; the unit's own 自评 and the office's 审核
are kept beside, per unit and year.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base


class Rubric(Base):
    __tablename__ = "rubric"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    # Whom it assesses: "all" member units, a unit "kind", a "list" of names, or the "office".
    audience: Mapped[str] = mapped_column(String(20), default="all")
    audience_value: Mapped[list | None] = mapped_column(JSON)
    # 等次 thresholds as [[label, points], …] on the rubric's own scale, highest first.
    grades: Mapped[list | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    items: Mapped[list[RubricItem]] = relationship(
        back_populates="rubric", cascade="all, delete-orphan", order_by="RubricItem.sort_order"
    )


class RubricItem(Base):
    __tablename__ = "rubric_item"
    __table_args__ = (UniqueConstraint("rubric_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    group: Mapped[str] = mapped_column(String(100), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    standard: Mapped[str] = mapped_column(Text, default="")
    max_points: Mapped[float] = mapped_column(Float)
    basis: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    rule: Mapped[dict | None] = mapped_column(JSON)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    rubric: Mapped[Rubric] = relationship(back_populates="items")


class AssessmentScore(Base):
    """A unit's 自评 and the office's 审核 of one item in one year (the automatic score is
    computed each time from the ledger, never stored)."""

    __tablename__ = "assessment_score"
    __table_args__ = (UniqueConstraint("item_id", "unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_item.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    self_score: Mapped[float | None] = mapped_column(Float)
    review_score: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )
