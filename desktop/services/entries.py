"""Entries (填报数据): one value per indicator, period, unit and place."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.cleaning import clean_text
from desktop.db import Database
from desktop.errors import NotFoundError, ValidationError
from desktop.limits import checked
from desktop.models import Entry, Indicator, Plan, Unit
from desktop.services import audit, locks
from desktop.services.periods import parse_period
from desktop.services.plans import check_period_in_plan


def set_entry(
    session: Session,
    indicator: Indicator,
    period_code: str,
    value: float,
    unit_id: int | None = None,
    place_id: int | None = None,
    note: str = "",
    batch_id: int | None = None,
) -> Entry:
    """Insert or replace the value for (indicator, period, unit, place)."""
    period = parse_period(period_code)
    if indicator.source == "derived":
        raise ValidationError(
            f"指标“{indicator.name}”由活动台账自动统计，不能手工填报。", "indicator"
        )
    if indicator.numerator_id is not None:
        raise ValidationError(
            f"指标“{indicator.name}”由分子、分母两项指标计算得出，请填报这两项指标。", "indicator"
        )
    value = checked("value", value, "填报数值")
    note = clean_text(note)
    if len(note) > 2000:
        raise ValidationError("备注不能超过 2000 字。", "note")
    if indicator.measure == "percent" and value > 100:
        raise ValidationError("百分比不能超过 100。", "value")
    plan = session.get(Plan, indicator.plan_id)
    assert plan is not None
    check_period_in_plan(plan, period)
    locks.ensure_writable(session, period.start, period.end)
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    who = f"（{unit.name}）" if unit is not None else ""
    entry = session.scalar(
        select(Entry).where(
            Entry.indicator_id == indicator.id,
            Entry.period == period.code,
            Entry.unit_id.is_(None) if unit_id is None else Entry.unit_id == unit_id,
            Entry.place_id.is_(None) if place_id is None else Entry.place_id == place_id,
        )
    )
    if entry is None:
        entry = Entry(
            indicator_id=indicator.id,
            period=period.code,
            period_start=period.start,
            period_end=period.end,
            unit_id=unit_id,
            place_id=place_id,
            value=value,
            note=note,
            batch_id=batch_id,
        )
        session.add(entry)
        session.flush()
        audit.record(
            session,
            "create",
            "entry",
            entry.id,
            f"填报 {indicator.name} {period.label}{who}：{value:g}",
            {"value": [None, value]},
        )
    else:
        old = entry.value
        entry.value = value
        entry.note = note or entry.note
        audit.record(
            session,
            "update",
            "entry",
            entry.id,
            f"修改 {indicator.name} {period.label}{who}：{old:g} → {value:g}",
            {"value": [old, value]},
        )
    return entry


def indicator_by_code(session: Session, code: str) -> Indicator:
    ind = session.scalar(
        select(Indicator).join(Plan).where(Plan.is_active.is_(True), Indicator.code == code)
    )
    if ind is None:
        raise NotFoundError(f"当前方案中没有编号为“{code}”的指标。")
    return ind


class EntryService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def set(
        self,
        indicator_id: int,
        period_code: str,
        value: float,
        unit_id: int | None = None,
        place_id: int | None = None,
        note: str = "",
    ) -> int:
        with self.db.transaction() as s:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise NotFoundError("指标不存在。")
            return set_entry(s, ind, period_code, value, unit_id, place_id, note).id

    def delete(self, entry_id: int) -> None:
        with self.db.transaction() as s:
            entry = s.get(Entry, entry_id)
            if entry is None:
                raise NotFoundError("填报数据不存在。")
            locks.ensure_writable(s, entry.period_start, entry.period_end)
            audit.record(
                s,
                "delete",
                "entry",
                entry.id,
                f"删除填报数据 {entry.period}",
                {"value": [entry.value, None]},
            )
            s.delete(entry)

    def entries(self, indicator_id: int) -> list[Entry]:
        with self.db.reading() as s:
            return list(
                s.scalars(
                    select(Entry)
                    .where(Entry.indicator_id == indicator_id)
                    .order_by(Entry.period_end, Entry.unit_id)
                )
            )
