"""Monthly totals of the ledger, so progress and counts do not grow with the number of activities.

One row per month and activity profile: the type, the organising unit, and
the exact sets of target groups and tasks an activity carries (as sorted id
lists such as "3,7"), so a rule such as "any of these groups" is answered
exactly from the totals. Database triggers mark the month of every changed
activity or link in `tally_stale`; the totals of stale months are recounted
from the ledger before the writing transaction commits
(desktop/services/tally.py), and readers count a month that is still stale
from the ledger itself, so the figures are right whoever wrote the row.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base


class ActivityTally(Base):
    __tablename__ = "activity_tally"
    __table_args__ = (Index("ix_activity_tally_month", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    type_id: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(Integer)
    groups: Mapped[str] = mapped_column(String(200))
    tasks: Mapped[str] = mapped_column(String(400))
    activities: Mapped[int] = mapped_column(Integer)
    sessions: Mapped[int] = mapped_column(Integer)
    participants: Mapped[int] = mapped_column(Integer)
    volunteers: Mapped[int] = mapped_column(Integer)
    volunteer_hours: Mapped[float] = mapped_column(Float)
    funding_fen: Mapped[int] = mapped_column(Integer)


class TallyStale(Base):
    """A month whose totals no longer match the ledger; recounted before commit."""

    __tablename__ = "tally_stale"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
