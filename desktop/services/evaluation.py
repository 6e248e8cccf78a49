"""The final evaluation (终期评估) of a whole plan period: every figure it reports, no Qt, no PDF.

At a period's end the office reports on the plan as a whole: each
indicator from its baseline through every year's value to the final value
against the target, the ledger year by year, what each 提升行动 and 重点工程
did, and which member units never reported at all. Each year is measured
once (progress.measure_all at its Dec 31, every window read in one pass);
the ledger by year comes from the monthly totals; the tasks' activities
over the whole period are one grouped query. Nothing here depends on which
plan is active, so the evaluation of 2021–2025 is the same before and after
the office rolls over to 2026–2030.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from desktop.db import Database
from desktop.models import Activity, ImportBatch, Plan, Unit
from desktop.services.activities import ActivityFilter, ActivityService, Totals
from desktop.services.entry_grid import unit_indicators
from desktop.services.periods import year_period
from desktop.services.plans import active_plan, plan_by_code, plan_tasks, unit_tasks
from desktop.services.progress import IndicatorProgress, measure_all
from desktop.services.reporting import REGION_KIND, RETURN_BATCH
from desktop.services.reports import ReportService

# The verdict on each indicator at the period's end.
DONE, NOT_DONE, NO_TARGET, NO_DATA = "done", "not_done", "no_target", "no_data"
OUTCOME_LABELS = {DONE: "完成", NOT_DONE: "未完成", NO_TARGET: "未定目标", NO_DATA: "无数据"}


@dataclass(frozen=True)
class IndicatorEvaluation:
    final: IndicatorProgress  # measured at the plan's last day
    yearly: tuple[float | None, ...]  # the value at each year's end, first year first

    @property
    def outcome(self) -> str:
        """完成 when the final value meets the target by the indicator's own rule."""
        if self.final.target is None:
            return NO_TARGET
        if self.final.actual is None:
            return NO_DATA
        return DONE if self.final.status == "done" else NOT_DONE

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass(frozen=True)
class TaskEvaluation:
    code: str
    title: str
    lead_units: tuple[str, ...]
    activities: int
    participants: int


@dataclass(frozen=True)
class SectionEvaluation:
    code: str
    kind: str  # action (提升行动) or project (重点工程)
    title: str
    tasks: tuple[TaskEvaluation, ...]


@dataclass(frozen=True)
class Evaluation:
    plan_code: str
    plan_name: str
    region: str
    first_year: int
    last_year: int
    literacy_baseline: float | None
    literacy_baseline_year: int | None
    literacy_target: float | None
    indicators: tuple[IndicatorEvaluation, ...]
    years: tuple[tuple[int, Totals], ...]
    sections: tuple[SectionEvaluation, ...]
    silent_units: tuple[str, ...]
    as_of: date  # the day the evaluation was made: a plan still running is reported as it stands

    @property
    def ended(self) -> bool:
        return self.as_of.year > self.last_year

    @property
    def period_code(self) -> str:
        """How the submission names the period: 2021-2025."""
        return f"{self.first_year}-{self.last_year}"

    @property
    def period_label(self) -> str:
        return f"{self.first_year}—{self.last_year}年"

    @property
    def total(self) -> Totals:
        sums = [t for _, t in self.years]
        return Totals(
            sum(t.activities for t in sums),
            sum(t.sessions for t in sums),
            sum(t.participants for t in sums),
            sum(t.volunteers for t in sums),
            sum(t.volunteer_hours for t in sums),
            sum(t.funding_yuan for t in sums),
        )

    def outcome_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOME_LABELS, 0)
        for ind in self.indicators:
            counts[ind.outcome] += 1
        return counts


def evaluated_plan(session: Session, today: date, code: str | None = None) -> Plan:
    """The plan named, else the most recent plan whose last year has passed, else the active one.

    In the month an office starts 2026–2030 it still owes the evaluation of
    2021–2025, whichever of the two is active.
    """
    if code is not None:
        return plan_by_code(session, code)
    ended = session.scalar(
        select(Plan)
        .where(Plan.last_year < today.year)
        .order_by(Plan.last_year.desc(), Plan.id.desc())
        .limit(1)
    )
    return ended if ended is not None else active_plan(session)


def silent_units(session: Session, plan: Plan) -> list[str]:
    """Member units expected to report under `plan` (reporting.is_expected) that in the whole
    period neither sent a collection workbook nor organised an activity."""
    years = [str(y) for y in range(plan.first_year, plan.last_year + 1)]
    reported = exists().where(
        ImportBatch.unit_id == Unit.id,
        ImportBatch.undone_at.is_(None),
        ImportBatch.kind != RETURN_BATCH,
        func.substr(ImportBatch.period, 1, 4).in_(years),  # 2024, 2024Q3 and 202407 alike
    )
    organised = exists().where(
        Activity.unit_id == Unit.id,
        Activity.start_date >= date(plan.first_year, 1, 1),
        Activity.start_date <= date(plan.last_year, 12, 31),
    )
    candidates = session.scalars(
        select(Unit)
        .where(Unit.active.is_(True), Unit.kind != REGION_KIND, ~reported, ~organised)
        .order_by(Unit.sort_order, Unit.id)
    ).all()
    tasks = plan_tasks(session, plan.id)
    return [
        u.name
        for u in candidates
        if unit_tasks(session, u.id, tasks) or unit_indicators(session, u.id, plan)
    ]


def sections_of(
    session: Session, plan_id: int, stats: dict[str, tuple[int, int]]
) -> list[SectionEvaluation]:
    """Each section with its tasks, their lead units and the activities that served them."""
    out: list[SectionEvaluation] = []
    tasks: dict[str, list[TaskEvaluation]] = {}
    heads: dict[str, tuple[str, str]] = {}
    for t in plan_tasks(session, plan_id):
        heads.setdefault(t.section.code, (t.section.kind, t.section.title))
        n, people = stats.get(t.code, (0, 0))
        leads = tuple(link.unit.name for link in t.unit_links if link.role == "lead")
        tasks.setdefault(t.section.code, []).append(
            TaskEvaluation(t.code, t.title, leads, n, people)
        )
    for code, (kind, title) in heads.items():
        out.append(SectionEvaluation(code, kind, title, tuple(tasks[code])))
    return out


class EvaluationService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def plan_code(self, code: str | None = None, today: date | None = None) -> str:
        """Which plan `evaluate` would report on (see evaluated_plan)."""
        with self.db.reading() as s:
            return evaluated_plan(s, today or date.today(), code).code

    def evaluate(self, code: str | None = None, today: date | None = None) -> Evaluation:
        """The plan's figures as of `today` (default: now); the plan as evaluated_plan picks it."""
        today = today or date.today()
        with self.db.reading() as s:
            plan = evaluated_plan(s, today, code)
            years = range(plan.first_year, plan.last_year + 1)
            measured = [measure_all(s, plan, date(y, 12, 31), year_period(y)) for y in years]
            # A year still to come has no value yet, whatever a level carried into it would say.
            indicators = tuple(
                IndicatorEvaluation(
                    p,
                    tuple(
                        m[i].actual if y <= today.year else None
                        for y, m in zip(years, measured, strict=True)
                    ),
                )
                for i, p in enumerate(measured[-1])
            )
            start, end = date(plan.first_year, 1, 1), date(plan.last_year, 12, 31)
            silent = tuple(silent_units(s, plan))
            head = (
                plan.code,
                plan.name,
                plan.region,
                plan.first_year,
                plan.last_year,
                plan.literacy_baseline,
                plan.literacy_baseline_year,
                plan.literacy_target,
            )
            plan_id = plan.id
        stats = ReportService(self.db).task_stats_between(start, end, head[0])
        with self.db.reading() as s:
            sections = tuple(sections_of(s, plan_id, stats))
        ledger = ActivityService(self.db)
        by_year = tuple(
            (y, ledger.totals(ActivityFilter(start=date(y, 1, 1), end=date(y, 12, 31))))
            for y in years
        )
        return Evaluation(*head, indicators, by_year, sections, silent, today)
