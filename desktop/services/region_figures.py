"""What the lower regions' returns say, region by region: who has reported, and their figures.

Who has reported works as for member units' workbooks (desktop/services/
reporting.py), with every lower region expected for every period: a region
has reported when a return of it for the period counts; on time when its
first return (a later replacement does not make it late) arrived by the due
date. The per-region figures follow the aggregation rules of
desktop/services/progress.py over each indicator's own window, read in one
query per window and measure, not one per indicator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.models import Entry, ImportBatch, Indicator, Plan, RegionReturn, Unit
from desktop.services.periods import Period
from desktop.services.plans import plan_for
from desktop.services.progress import clamp_to_plan, indicator_window
from desktop.services.progress_values import latest_levels
from desktop.services.reporting import (
    LATE,
    MISSING,
    RECEIVED,
    REGION_KIND,
    RETURN_BATCH,
    STATUS_ORDER,
    PeriodReport,
    UnitReport,
    due_date,
)


def region_units(session: Session) -> list[Unit]:
    return list(
        session.scalars(
            select(Unit)
            .where(Unit.kind == REGION_KIND, Unit.active.is_(True))
            .order_by(Unit.sort_order, Unit.id)
        )
    )


def returns_report(session: Session, period: Period) -> PeriodReport:
    plan_for(session, period)  # some plan must cover it
    due, days = due_date(session, period)
    first: dict[int, datetime] = {}
    current: dict[int, ImportBatch] = {}
    for batch, replaced_at in session.execute(
        select(ImportBatch, RegionReturn.replaced_at)
        .join(RegionReturn, RegionReturn.batch_id == ImportBatch.id)
        .where(ImportBatch.period == period.code, ImportBatch.kind == RETURN_BATCH)
        .order_by(ImportBatch.imported_at, ImportBatch.id)
    ):
        assert batch.unit_id is not None
        if batch.undone_at is None:
            current[batch.unit_id] = batch
        if batch.undone_at is None or replaced_at is not None:
            first.setdefault(batch.unit_id, batch.imported_at)
    rows = []
    for unit in region_units(session):
        batch = current.get(unit.id)
        contact = unit.contact or ""
        if batch is None:
            rows.append(UnitReport(unit.id, unit.name, contact, MISSING))
            continue
        arrived = first[unit.id]
        status = LATE if arrived.date() > due else RECEIVED
        rows.append(
            UnitReport(unit.id, unit.name, contact, status, arrived, batch.id, batch.sha256)
        )
    rows.sort(key=lambda r: STATUS_ORDER[r.status])
    return PeriodReport(period, due, days, rows, document="报表", reporter="地区")


def region_status_json(report: PeriodReport) -> list[dict[str, str]]:
    """`kepu returns status --json`: when it arrived and which file, only where it did."""
    out = []
    for r in report.units:
        row = {"region": r.unit, "status": r.status}
        if r.received_at is not None:
            row["received_at"] = r.received_at.isoformat(timespec="seconds")
            row["sha256"] = r.sha256
        out.append(row)
    return out


@dataclass(frozen=True)
class RegionFigure:
    code: str
    name: str
    measure: str
    uom: str
    region: str
    actual: float

    def as_json(self) -> dict[str, str | float]:
        return {
            "code": self.code,
            "name": self.name,
            "measure": self.measure,
            "region": self.region,
            "actual": self.actual,
        }


@dataclass
class RegionColumn:
    """One indicator across the regions: each one's figure, and what the rules allow of them all.

    Counts and levels add up over regions (`total`); a percent is never
    added, so its range across the regions is shown instead.
    """

    code: str
    name: str
    uom: str
    measure: str
    values: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float | None:
        if self.measure == "percent" or not self.values:
            return None
        return sum(self.values.values())

    @property
    def range(self) -> tuple[float, float] | None:
        if self.measure != "percent" or not self.values:
            return None
        return min(self.values.values()), max(self.values.values())


@dataclass
class RegionTable:
    period: Period
    as_of: date
    report: PeriodReport
    columns: list[RegionColumn]
    order: list[int]  # region unit ids in the office's order

    def in_order(self) -> list[UnitReport]:
        """The regions as the office lists them (the report puts the missing first, to chase)."""
        return sorted(self.report.units, key=lambda u: self.order.index(u.unit_id))

    @property
    def figures(self) -> list[RegionFigure]:
        return [
            RegionFigure(c.code, c.name, c.measure, c.uom, region, value)
            for c in self.columns
            for region, value in c.values.items()
        ]


def _sums(
    s: Session, units: dict[int, str], start: date, end: date
) -> dict[tuple[int, int], float]:
    rows = s.execute(
        select(Entry.indicator_id, Entry.unit_id, func.sum(Entry.value))
        .where(Entry.unit_id.in_(units), Entry.period_start >= start, Entry.period_end <= end)
        .group_by(Entry.indicator_id, Entry.unit_id)
    )
    return {(i, u): float(v) for i, u, v in rows}


def _latest(
    s: Session, units: dict[int, str], latest_from: date | None, end: date
) -> dict[tuple[int, int], float]:
    """Each region's latest value of every stock and percent up to `end` (the one rule)."""
    ranked = latest_levels(None, latest_from, end, units)
    rows = s.execute(
        select(ranked.c.indicator_id, ranked.c.unit_id, func.sum(ranked.c.value))
        .where(ranked.c.rn == 1)
        .group_by(ranked.c.indicator_id, ranked.c.unit_id)
    )
    return {(i, u): float(v) for i, u, v in rows}


def region_table(session: Session, period: Period) -> RegionTable:
    """Each region's figure of every indicator at the end of `period`, by the rules."""
    report = returns_report(session, period)
    plan: Plan = plan_for(session, period)
    as_of = clamp_to_plan(plan, period.end)
    units = {u.id: u.name for u in region_units(session)}
    indicators = list(
        session.scalars(
            select(Indicator).where(Indicator.plan_id == plan.id).order_by(Indicator.sort_order)
        )
    )
    cache: dict[tuple[str, date, date | None], dict[tuple[int, int], float]] = {}
    columns: list[RegionColumn] = []
    for ind in indicators:
        start, _, latest_from = indicator_window(plan, ind, as_of)
        if ind.measure == "count":
            key = ("sum", start, None)
            if key not in cache:
                cache[key] = _sums(session, units, start, as_of)
        else:
            key = ("latest", as_of, latest_from)
            if key not in cache:
                cache[key] = _latest(session, units, latest_from, as_of)
        found = cache[key]
        column = RegionColumn(ind.code, ind.name, ind.uom, ind.measure)
        for unit_id, region in units.items():
            if (ind.id, unit_id) in found:
                column.values[region] = found[(ind.id, unit_id)]
        if column.values:
            columns.append(column)
    return RegionTable(period, as_of, report, columns, list(units))
