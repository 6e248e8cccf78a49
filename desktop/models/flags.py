"""Confirmations of 疑似异常 flags: a figure the office has checked and explained."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base


class FlagConfirmation(Base):
    """One checked flag, by its key (desktop/services/flags.py) and the value that was checked.

    The value is kept because a corrected figure is a new figure: if it is
    still out of range it is flagged afresh, not covered by the old comment.
    """

    __tablename__ = "flag_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    value: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text)
    confirmed_by: Mapped[str] = mapped_column(String(60), default="")
    confirmed_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp()
    )
