"""Who has reported (报送情况): each member unit's collection workbook for one period.

A unit is expected to report for a period when its collection workbook has
something to fill in: a task of the active plan it is responsible for, or an
indicator it reports (the very lists `template_spec` writes into the
workbook). It has reported when a workbook of that unit and period was
imported and the batch not undone; on time when that first happened by the
due date, a setting counted in days after the period ends. The window, the
command line and 总览 all read the status from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db import Database
from desktop.models import ImportBatch, Plan, Task, Unit
from desktop.services.entry_grid import unit_indicators
from desktop.services.periods import Period, parse_period
from desktop.services.plans import active_plan, plan_for, plan_tasks, unit_tasks
from desktop.services.settings import day_count

RECEIVED, LATE, MISSING, NOT_REQUIRED = "received", "late", "missing", "not_required"
STATUS_LABELS = {
    RECEIVED: "已报送",
    LATE: "逾期报送",
    MISSING: "未报送",
    NOT_REQUIRED: "无需填报",
}
STATUS_ORDER = {MISSING: 0, LATE: 1, RECEIVED: 2, NOT_REQUIRED: 3}
# A lower region (a county under a city) is a unit of this kind; its returns are batches of this kind.
REGION_KIND, RETURN_BATCH = "region", "return"
# The office itself, as a unit, when its own work is assessed (the city assessing the county).
OFFICE_KIND = "office"
# The setting (desktop/services/settings.py) of the days allowed after a period of each kind.
DUE_KEYS = {"month": "due_days", "quarter": "due_days", "year": "due_days_year"}


@dataclass(frozen=True)
class UnitReport:
    unit_id: int
    unit: str
    contact: str
    status: str
    received_at: datetime | None = None
    batch: int | None = None
    sha256: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_json(self) -> dict[str, str | int]:
        """`kepu collection status --json`: when and which batch only where it arrived."""
        out: dict[str, str | int] = {"unit": self.unit, "status": self.status}
        if self.received_at is not None and self.batch is not None:
            out["received_at"] = self.received_at.isoformat(timespec="seconds")
            out["batch"] = self.batch
        return out


@dataclass(frozen=True)
class PeriodReport:
    period: Period
    due: date
    due_days: int
    units: list[UnitReport]
    # What is chased, and from whom: 采集表 from 单位 here, 报表 from 地区 one level up.
    document: str = "采集表"
    reporter: str = "单位"

    @property
    def expected(self) -> int:
        return sum(u.status != NOT_REQUIRED for u in self.units)

    @property
    def reported(self) -> int:
        return sum(u.status in (RECEIVED, LATE) for u in self.units)

    @property
    def missing(self) -> list[UnitReport]:
        return [u for u in self.units if u.status == MISSING]

    def count(self, status: str) -> int:
        return sum(u.status == status for u in self.units)

    @property
    def rate(self) -> float | None:
        """已报/应报 in percent, late counted as reported; None when no unit is expected."""
        return 100 * self.reported / self.expected if self.expected else None

    @property
    def rate_text(self) -> str:
        if self.rate is None:
            return f"报送率 —（本期没有应报{self.reporter}）"
        return f"报送率 {self.reported}/{self.expected}（{self.rate:.1f}%）"

    @property
    def due_text(self) -> str:
        return f"报送截止 {self.due.isoformat()}（期末后 {self.due_days} 天）"

    def chase_text(self) -> str:
        """The 催报 list as plain text, to paste into a message or a document."""
        lines = [
            f"{self.period.label}{self.document}未报送{self.reporter}"
            f"（报送截止 {self.due.isoformat()}）："
        ]
        for i, u in enumerate(self.missing, start=1):
            who = f"联系人：{u.contact}" if u.contact else "未登记联系人"
            lines.append(f"{i}. {u.unit}（{who}）")
        if not self.missing:
            lines.append("（无）")
        return "\n".join(lines)


def is_expected(session: Session, unit_id: int, plan: Plan, tasks: list[Task]) -> bool:
    """Whether a unit's workbook has anything to fill in: tasks (`tasks`, the plan's, read
    once for all units) or indicators of the plan."""
    return bool(unit_tasks(session, unit_id, tasks)) or bool(
        unit_indicators(session, unit_id, plan)
    )


def due_date(session: Session, period: Period) -> tuple[date, int]:
    """When reports for `period` are due, and the setting's days after its end."""
    days = day_count(session, DUE_KEYS[period.kind])
    return period.end + timedelta(days=days), days


def period_report(session: Session, period: Period) -> PeriodReport:
    """Member units' collection workbooks; lower regions' returns are desktop/services/returns."""
    plan = plan_for(session, period)
    tasks = plan_tasks(session, plan.id)
    due, days = due_date(session, period)
    first: dict[int, ImportBatch] = {}
    for batch in session.scalars(
        select(ImportBatch)
        .where(
            ImportBatch.period == period.code,
            ImportBatch.undone_at.is_(None),
            ImportBatch.unit_id.is_not(None),
            ImportBatch.kind != RETURN_BATCH,
        )
        .order_by(ImportBatch.imported_at, ImportBatch.id)
    ):
        first.setdefault(batch.unit_id, batch)
    rows = []
    units = session.scalars(
        select(Unit)
        .where(Unit.active.is_(True), Unit.kind.not_in((REGION_KIND, OFFICE_KIND)))
        .order_by(Unit.sort_order, Unit.id)
    )
    for unit in units:
        contact = unit.contact or ""
        batch = first.get(unit.id)
        if batch is not None:
            status = LATE if batch.imported_at.date() > due else RECEIVED
            rows.append(
                UnitReport(unit.id, unit.name, contact, status, batch.imported_at, batch.id)
            )
        else:
            status = MISSING if is_expected(session, unit.id, plan, tasks) else NOT_REQUIRED
            rows.append(UnitReport(unit.id, unit.name, contact, status))
    rows.sort(key=lambda r: STATUS_ORDER[r.status])
    return PeriodReport(period, due, days, rows)


def last_ended(today: date, kind: str) -> Period:
    """The latest period of `kind` ended by the end of `today`: the one being collected and chased."""
    day = today + timedelta(days=1)  # a period ending today has ended by tonight
    if kind == "year":
        return parse_period(str(day.year - 1))
    if kind == "month":
        last = day.replace(day=1) - timedelta(days=1)
        return parse_period(f"{last.year}{last.month:02d}")
    quarter = (day.month - 1) // 3
    return parse_period(f"{day.year}Q{quarter}" if quarter else f"{day.year - 1}Q4")


def collected_kind(session: Session) -> str:
    """How often the office collects: the kind of period of its latest import, else quarterly."""
    code = session.scalar(
        select(ImportBatch.period)
        .where(
            ImportBatch.period.is_not(None),
            ImportBatch.undone_at.is_(None),
            ImportBatch.kind != RETURN_BATCH,
        )
        .order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc())
        .limit(1)
    )
    return parse_period(code).kind if code else "quarter"


class ReportingService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def status(self, period_code: str) -> PeriodReport:
        with self.db.reading() as s:
            return period_report(s, parse_period(period_code))

    def current(self, today: date) -> PeriodReport | None:
        """The last period ended by `today` (or by the plan's end, once it is over), of the
        kind the office collects; None before the plan's first period has ended."""
        with self.db.reading() as s:
            plan = active_plan(s)
            period = last_ended(min(today, date(plan.last_year, 12, 31)), collected_kind(s))
            if period.year < plan.first_year:
                return None
            return period_report(s, period)
