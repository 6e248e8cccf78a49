"""The entry grid (数据填报): a unit's manual indicators × periods, and which cells are writable.

One unit at a time, because aggregate figures are reported per unit (人社局:
本季度农民工培训 1.2 万人次). A cell is read-only when its period is locked,
or when the same figure was already entered at another granularity: a year
value beside quarter values would be counted twice by the progress engine,
so the year column shows the quarters' sum and points the user to them.
Writes go through EntryService; this module only reads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.db import Database
from desktop.errors import NotFoundError
from desktop.models import Entry, Indicator, Plan, TaskUnit, Unit
from desktop.services import locks
from desktop.services.flags import entry_marks
from desktop.services.periods import Period, parse_period, year_period
from desktop.services.plans import active_plan, plan_by_code
from desktop.services.progress_values import entries_by_unit

Granularity = Literal["quarter", "year"]
MEASURE_LABELS = {"count": "累计量", "level": "存量", "percent": "比例"}


@dataclass(frozen=True)
class GridCell:
    value: float | None
    entry_id: int | None
    editable: bool
    locked: bool
    reason: str = ""
    flag: str = ""  # why the figure looks wrong (desktop/services/flags.py), while unresolved


@dataclass(frozen=True)
class GridRow:
    indicator_id: int
    code: str
    name: str
    uom: str
    measure: str
    target: float | None
    cells: list[GridCell]


@dataclass(frozen=True)
class EntryGrid:
    unit_id: int | None
    unit_name: str
    periods: list[Period]
    rows: list[GridRow]


def grid_periods(
    first_year: int, last_year: int, granularity: Granularity, year: int
) -> list[Period]:
    """The columns: the plan's years, or the four quarters of one year."""
    if granularity == "year":
        return [year_period(y) for y in range(first_year, last_year + 1)]
    return [parse_period(f"{year}Q{q}") for q in range(1, 5)]


def unit_indicators(
    session: Session, unit_id: int | None, plan: Plan | None = None
) -> list[Indicator]:
    """Manual indicators a unit reports: those of tasks it is responsible for, or has entries for.

    With no unit (the county as a whole) every manual indicator is listed.
    Percentages are county-wide figures, never summed over units, so they
    are only offered without a unit; a percent computed from a numerator and
    a denominator is not offered at all.
    """
    plan = plan or active_plan(session)
    stmt = select(Indicator).where(
        Indicator.plan_id == plan.id,
        Indicator.source == "manual",
        Indicator.numerator_id.is_(None),  # computed from its parts, never entered
    )
    if unit_id is None:
        return list(session.scalars(stmt.order_by(Indicator.sort_order, Indicator.id)))
    responsible = select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id)
    has_entries = select(Entry.indicator_id).where(Entry.unit_id == unit_id)
    stmt = stmt.where(
        Indicator.measure != "percent",
        or_(Indicator.task_id.in_(responsible), Indicator.id.in_(has_entries)),
    )
    return list(session.scalars(stmt.order_by(Indicator.sort_order, Indicator.id)))


def _confirm(c: EntryContext) -> str:
    """Why a figure deserves a second look: past 150 % of target, or a jump of over half."""
    if c.after is None:
        return ""
    pct_after, pct_before = c.pct(c.after), c.pct(c.before)
    if (
        pct_after is not None
        and pct_after > CONFIRM_ABOVE_PCT
        and (pct_before or 0) <= CONFIRM_ABOVE_PCT
    ):
        return f"这一数值会使“{c.indicator}”达到目标的 {pct_after:.1f}%。"
    if c.before and abs(c.after - c.before) > CONFIRM_CHANGE * c.before:
        return (
            f"这一数值会使“{c.indicator}”{c.period_label}的合计从 {c.before:g} 变为 {c.after:g}。"
        )
    return ""


def _cell(session: Session, entries: list[Entry], ind: Indicator, period: Period) -> GridCell:
    locked = locks.lock_covering(session, period.start, period.end) is not None
    exact = next((e for e in entries if e.period == period.code), None)
    inside = [
        e
        for e in entries
        if e.period != period.code and period.start <= e.period_start and e.period_end <= period.end
    ]
    around = [
        e
        for e in entries
        if e.period != period.code and e.period_start <= period.start and period.end <= e.period_end
    ]
    if exact is not None:
        return GridCell(
            exact.value, exact.id, not locked, locked, "该统计期已锁定" if locked else ""
        )
    if inside:
        inside.sort(key=lambda e: e.period_end)
        value = sum(e.value for e in inside) if ind.measure == "count" else inside[-1].value
        return GridCell(value, None, False, locked, "已按更细的统计期填报，请在季度视图中修改")
    if around:
        return GridCell(
            None, None, False, locked, f"已按 {parse_period(around[0].period).label} 整体填报"
        )
    return GridCell(None, None, not locked, locked, "该统计期已锁定" if locked else "")


LEVEL_NOTE = "存量指标：每个单位取截至本期末最新的一个数值，各单位相加。"
COUNT_NOTE = "累计量指标：各单位本期填报的数值相加。"
CONFIRM_ABOVE_PCT = 150.0  # a figure that carries an indicator past this is asked about
CONFIRM_CHANGE = 0.5  # as is one that moves the indicator's figure by more than half


@dataclass(frozen=True)
class EntryContext:
    """What a figure typed into one cell does to its indicator, shown beside the cell."""

    indicator: str
    period_label: str
    measure: str
    note: str
    others: list[tuple[str, float]]  # the other units' figures for this period, by the rule
    before: float | None  # the indicator's figure for the period now
    after: float | None  # and with the typed figure
    target: float | None
    confirm: str  # why the figure needs a word of confirmation; "" when it does not

    def pct(self, value: float | None) -> float | None:
        return None if value is None or not self.target else value / self.target * 100


class EntryGridService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def first_unit_to_fill(self, unit_ids: list[int]) -> int | None:
        """The first of `unit_ids` that has any manual indicator to report (None if none has)."""
        with self.db.reading() as s:
            return next((u for u in unit_ids if unit_indicators(s, u)), None)

    def context(
        self, indicator_id: int, period_code: str, unit_id: int | None, typed: float | None
    ) -> EntryContext:
        """The other units' figures, the indicator's total now and with `typed` for this unit."""
        period = parse_period(period_code)
        with self.db.reading() as s:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise NotFoundError("指标不存在。")
            per_unit = entries_by_unit(s, ind, period.start, period.end)
            names = {uid: name for uid, name in s.execute(select(Unit.id, Unit.name))}
            others = sorted(
                (
                    (names.get(u, "全县（不分单位）"), v)
                    for u, v in per_unit.items()
                    if u != unit_id
                ),
                key=lambda item: -item[1],
            )
            target = ind.target_for(period.year)
            measure = ind.measure
            name = ind.name
        before = sum(per_unit.values()) if per_unit else None
        rest = sum(v for _, v in others)
        after = rest + typed if typed is not None else (rest if others else None)
        context = EntryContext(
            name,
            period.label,
            measure,
            LEVEL_NOTE if measure == "level" else COUNT_NOTE,
            others,
            before,
            after,
            target,
            "",
        )
        return replace(context, confirm=_confirm(context))

    def grid(
        self,
        unit_id: int | None,
        granularity: Granularity = "year",
        year: int | None = None,
        plan_code: str | None = None,
    ) -> EntryGrid:
        """The unit's manual indicators × periods, of the plan named (default: the active one)."""
        with self.db.reading() as s:
            plan = plan_by_code(s, plan_code) if plan_code else active_plan(s)
            unit_name = "全县（不分单位）"
            if unit_id is not None:
                unit = s.get(Unit, unit_id)
                if unit is None:
                    raise NotFoundError("单位不存在。")
                unit_name = unit.name
            periods = grid_periods(
                plan.first_year, plan.last_year, granularity, year or plan.first_year
            )
            rows: list[GridRow] = []
            marks = entry_marks(s, unit_id)
            for ind in unit_indicators(s, unit_id, plan):
                entries = list(
                    s.scalars(
                        select(Entry).where(
                            Entry.indicator_id == ind.id,
                            Entry.unit_id.is_(None)
                            if unit_id is None
                            else Entry.unit_id == unit_id,
                            Entry.place_id.is_(None),
                        )
                    )
                )
                target = ind.target_for(year or plan.first_year)
                rows.append(
                    GridRow(
                        ind.id,
                        ind.code,
                        ind.name,
                        ind.uom,
                        ind.measure,
                        target,
                        [
                            replace(cell, flag=marks.get((ind.id, p.code), ""))
                            for p, cell in ((p, _cell(s, entries, ind, p)) for p in periods)
                        ],
                    )
                )
            return EntryGrid(unit_id, unit_name, periods, rows)
