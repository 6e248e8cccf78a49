"""The progress engine: DESIGN.md's aggregation and status rules, in one place.

The values over each window are read by desktop/services/progress_values.py;
here they become completion, expected progress and status.

Aggregation:
- count (a flow) sums over time and over units;
- level (a stock) takes each unit's latest value in time, then sums over units;
- percent is never summed: it is computed from its parts when the indicator
  names a numerator and denominator (each aggregated by its own measure and
  source over the same window: a level's latest stock, a count's sum),
  otherwise the county-wide entry stands.

Windows (what the actual is measured over):
- period: the whole plan period up to the as-of date (cumulative);
- annual / per_year: the as-of date's calendar year, up to the as-of date;
- end: a level or percent to reach by the last year; a count with an end
  target is cumulative like `period`.

Expected progress is the elapsed share of the window: k/N at the end of year
k of an N-year plan, 100 % at the end of a target's year. For an `end` target
with a baseline, the expected value runs linearly from the baseline to the
target, so expected % is that value over the target.

Status: no data → 无数据; completion ≥ 100 % → 已完成; ≥ expected → 正常;
≥ half of expected → 滞后; below → 严重滞后. A ceiling (≤) is 正常 while the
actual stays under it (已完成 once its window has closed) and 滞后 above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.db import Database
from desktop.models import (
    Indicator,
    Plan,
    Section,
    Task,
    TaskUnit,
)
from desktop.services.periods import Period, year_period
from desktop.services.plans import plan_for, plan_tasks
from desktop.services.progress_values import WindowValues

STATUSES = ("done", "on_track", "behind", "far_behind", "no_data", "no_target")
STATUS_LABELS = {
    "done": "已完成",
    "on_track": "正常",
    "behind": "滞后",
    "far_behind": "严重滞后",
    "no_data": "无数据",
    "no_target": "未定目标",  # a target still to be set (a plan just rolled over): never 0 % or 滞后
}
# Lagging items first.
STATUS_ORDER = {
    "far_behind": 0,
    "behind": 1,
    "no_data": 2,
    "no_target": 3,
    "on_track": 4,
    "done": 5,
}


def status_for(completion_pct: float | None, expected_pct: float | None) -> str:
    """The status rule, shared by indicators and every rollup."""
    if completion_pct is None:
        return "no_data"
    if completion_pct >= 100:
        return "done"
    expected = expected_pct or 0.0
    if completion_pct >= expected:
        return "on_track"
    if completion_pct >= expected / 2:
        return "behind"
    return "far_behind"


def _year_fraction(day: date) -> float:
    """Share of `day`'s year elapsed at the end of `day`."""
    days_in_year = (date(day.year, 12, 31) - date(day.year, 1, 1)).days + 1
    return day.timetuple().tm_yday / days_in_year


def elapsed_share(first_year: int, last_year: int, as_of: date) -> float:
    """Share of the whole-year window first_year…last_year elapsed at the end of `as_of`.

    Counted in years, so the end of year k of an N-year window is exactly k/N.
    """
    if as_of.year < first_year:
        return 0.0
    if as_of.year > last_year:
        return 1.0
    years = last_year - first_year + 1
    return (as_of.year - first_year + _year_fraction(as_of)) / years


@dataclass
class IndicatorProgress:
    id: int
    code: str
    name: str
    unit: str
    measure: str
    target_mode: str
    comparator: str
    source: str
    section_code: str | None
    section_title: str | None
    task_code: str | None
    task_title: str | None
    lead_units: list[str]
    target: float | None
    period_value: float | None
    actual: float | None
    completion_pct: float | None
    expected_pct: float | None
    status: str
    baseline: float | None = None
    baseline_year: int | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("completion_pct", "expected_pct"):
            if data[key] is not None:
                data[key] = round(data[key], 1)
        return data


@dataclass
class Rollup:
    """Progress of a group of indicators: a task, a section or a unit."""

    key: str
    title: str
    indicators: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    completion_pct: float | None = None
    expected_pct: float | None = None
    status: str = "no_data"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def rollup(key: str, title: str, items: Iterable[IndicatorProgress]) -> Rollup:
    """Mean completion (capped at 100 %) against mean expected, of items with data."""
    r = Rollup(key, title)
    completions: list[float] = []
    expecteds: list[float] = []
    for p in items:
        r.indicators += 1
        r.counts[p.status] += 1
        if p.completion_pct is not None:
            completions.append(min(p.completion_pct, 100.0))
            expecteds.append(p.expected_pct or 0.0)
    if completions:
        r.completion_pct = sum(completions) / len(completions)
        r.expected_pct = sum(expecteds) / len(expecteds)
        r.status = status_for(r.completion_pct, r.expected_pct)
    return r


def clamp_to_plan(plan: Plan, day: date) -> date:
    """`day`, moved into the plan's years: progress is measured within them."""
    return min(max(day, date(plan.first_year, 1, 1)), date(plan.last_year, 12, 31))


def indicator_window(plan: Plan, ind: Indicator, as_of: date) -> tuple[date, date, date | None]:
    """The window `ind`'s actual is measured over at `as_of`: start, end, and where stocks start.

    An annual target is measured within the as-of year (a stock's latest
    value from that year only); every other target over the plan's years.
    """
    if ind.target_mode in ("annual", "per_year"):
        start = date(as_of.year, 1, 1)
        return start, date(as_of.year, 12, 31), start
    return date(plan.first_year, 1, 1), date(plan.last_year, 12, 31), None


def measure_indicator(
    session: Session,
    plan: Plan,
    ind: Indicator,
    as_of: date,
    period: Period,
    values: WindowValues | None = None,
) -> IndicatorProgress:
    """One indicator's progress; a report passes one `values` so windows are read once."""
    values = values or WindowValues(session, plan)
    as_of = clamp_to_plan(plan, as_of)
    target = ind.target_for(as_of.year)
    mode = ind.target_mode
    win_start, win_end, latest_from = indicator_window(plan, ind, as_of)
    actual = values.value(ind, win_start, as_of, latest_from)
    p_end = min(period.end, as_of) if period.start <= as_of else period.end
    period_value = values.value(
        ind, period.start, p_end, period.start if ind.measure == "count" else latest_from
    )
    expected = elapsed_share(win_start.year, win_end.year, as_of) * 100
    if mode == "end" and ind.measure != "count" and ind.baseline is not None and target:
        from_year = ind.baseline_year + 1 if ind.baseline_year else plan.first_year
        share = elapsed_share(from_year, win_end.year, as_of)
        expected = (ind.baseline + (target - ind.baseline) * share) / target * 100

    completion: float | None = None
    status = "no_data"
    if actual is not None and target is not None:
        if ind.comparator == "<=":
            completion = 100.0 if actual <= target else (target / actual * 100 if actual else 100.0)
            status = "behind" if actual > target else "done" if as_of >= win_end else "on_track"
        else:
            completion = actual / target * 100 if target else 100.0
            status = status_for(completion, expected)
    elif target is None:
        status = "no_target"
        expected = None  # no target, so no share of it is due yet

    task = ind.task
    section = task.section if task else None
    return IndicatorProgress(
        id=ind.id,
        code=ind.code,
        name=ind.name,
        unit=ind.uom,
        measure=ind.measure,
        target_mode=mode,
        comparator=ind.comparator,
        source=ind.source,
        section_code=section.code if section else None,
        section_title=section.title if section else None,
        task_code=task.code if task else None,
        task_title=task.title if task else None,
        lead_units=[link.unit.name for link in task.unit_links if link.role == "lead"]
        if task
        else [],
        target=target,
        period_value=period_value,
        actual=actual,
        completion_pct=completion,
        expected_pct=expected,
        status=status,
        baseline=ind.baseline,
        baseline_year=ind.baseline_year,
    )


def measure_all(
    session: Session, plan: Plan, as_of: date, period: Period
) -> list[IndicatorProgress]:
    """Every indicator of `plan` at `as_of`, each window read once (a year of an evaluation,
    the final values a rollover takes as baselines)."""
    values = WindowValues(session, plan)
    inds = session.scalars(
        select(Indicator)
        .where(Indicator.plan_id == plan.id)
        .order_by(Indicator.sort_order)
        .options(
            selectinload(Indicator.year_targets),
            selectinload(Indicator.task).selectinload(Task.section),
            selectinload(Indicator.task).selectinload(Task.unit_links).selectinload(TaskUnit.unit),
        )
    )
    return [measure_indicator(session, plan, ind, as_of, period, values) for ind in inds]


@dataclass
class ProgressReport:
    plan_name: str
    region: str
    as_of: date
    period: Period
    indicators: list[IndicatorProgress]
    sections: list[Rollup]
    tasks: list[Rollup]
    units: list[Rollup]

    def lagging(self) -> list[IndicatorProgress]:
        return sorted(
            (p for p in self.indicators if p.status in ("behind", "far_behind")),
            key=lambda p: (STATUS_ORDER[p.status], p.completion_pct or 0),
        )

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for p in self.indicators:
            counts[p.status] += 1
        return counts


class ProgressService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def report(
        self, as_of: date | None = None, period: Period | None = None, plan_code: str | None = None
    ) -> ProgressReport:
        """Progress of every indicator at `as_of` (default: the period's end, else today), under
        the plan named, else the plan covering the period or date asked (plans.plan_for).

        A period or date no plan covers is refused: figures "as of" a plan's last
        day are not figures of a year after it. Asked nothing, the active plan
        answers for today, or for its last day once it has ended.
        """
        with self.db.reading() as s:
            asked = period or (year_period(as_of.year) if as_of is not None else None)
            plan = plan_for(s, asked, plan_code)
            if as_of is None:
                as_of = period.end if period else date.today()
            as_of = clamp_to_plan(plan, as_of)
            period = period or year_period(as_of.year)
            inds = list(
                s.scalars(
                    select(Indicator)
                    .where(Indicator.plan_id == plan.id)
                    .order_by(Indicator.sort_order)
                    .options(
                        selectinload(Indicator.year_targets),
                        selectinload(Indicator.task).selectinload(Task.section),
                        selectinload(Indicator.task)
                        .selectinload(Task.unit_links)
                        .selectinload(TaskUnit.unit),
                    )
                )
            )
            values = WindowValues(s, plan)
            items = [measure_indicator(s, plan, ind, as_of, period, values) for ind in inds]
            sections = list(
                s.scalars(
                    select(Section).where(Section.plan_id == plan.id).order_by(Section.sort_order)
                )
            )
            tasks = plan_tasks(s, plan.id)
            by_section = [
                rollup(sec.code, sec.title, [p for p in items if p.section_code == sec.code])
                for sec in sections
            ]
            by_task = [
                rollup(t.code, t.title, [p for p in items if p.task_code == t.code]) for t in tasks
            ]
            unit_names: list[str] = list(dict.fromkeys(u for p in items for u in p.lead_units))
            by_unit = [rollup(u, u, [p for p in items if u in p.lead_units]) for u in unit_names]
            return ProgressReport(
                plan.name, plan.region, as_of, period, items, by_section, by_task, by_unit
            )
