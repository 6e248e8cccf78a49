"""The figures the outputs need beyond the progress engine, aggregated in SQL.

Per responsible unit, by activity type (the national 科普统计 categories),
volunteer teams and service, the largest activities of a year, and the
ledger rows of a period streamed in chunks so a year of 50,000 activities
never sits in memory as ORM objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from desktop.db import Database
from desktop.models import (
    Activity,
    ActivityType,
    Evidence,
    Place,
    Section,
    TargetGroup,
    Task,
    TaskUnit,
    TeamHeadcount,
    Unit,
    VolunteerTeam,
    activity_cooperator,
    activity_group,
    activity_task,
)
from desktop.services.periods import Period, year_period
from desktop.services.plans import active_plan


@dataclass(frozen=True)
class UnitStats:
    unit_id: int
    name: str
    tasks_led: int
    tasks_cooperating: int
    activities: int
    sessions: int
    participants: int
    volunteers: int
    volunteer_hours: float


@dataclass(frozen=True)
class TypeStats:
    code: str
    name: str
    counts: tuple[str, ...]
    activities: int
    sessions: int
    participants: int
    female: int
    rural: int
    volunteers: int
    volunteer_hours: float
    funding_yuan: float

    def applies(self, count: str) -> bool:
        """Whether the national form asks for this figure for this category."""
        return count in self.counts


@dataclass(frozen=True)
class TeamStats:
    name: str
    unit_name: str
    place_name: str
    founded: date | None
    headcount_start: int | None
    headcount_end: int | None

    @property
    def change(self) -> int | None:
        if self.headcount_end is None:
            return None
        return self.headcount_end - (self.headcount_start or 0)


@dataclass(frozen=True)
class PlaceVolunteering:
    place_name: str
    activities: int
    volunteers: int
    volunteer_hours: float


@dataclass(frozen=True)
class Highlight:
    id: int
    start_date: date
    title: str
    type_name: str
    unit_name: str
    place_name: str
    participants: int
    volunteers: int
    summary: str
    image: Evidence | None


@dataclass(frozen=True)
class LedgerRow:
    id: int
    start_date: date
    end_date: date | None
    title: str
    type_name: str
    place_name: str
    unit_name: str
    cooperators: str
    tasks: str
    groups: str
    participants: int
    female: int | None
    rural: int | None
    sessions: int
    volunteers: int
    volunteer_hours: float
    funding_yuan: float
    media: str
    summary: str
    evidence_count: int


def _in_period(period: Period) -> list:
    return [Activity.start_date >= period.start, Activity.start_date <= period.end]


def _sums() -> tuple:
    return (
        func.count(Activity.id),
        func.coalesce(func.sum(Activity.sessions), 0),
        func.coalesce(func.sum(Activity.participants), 0),
        func.coalesce(func.sum(Activity.volunteers), 0),
        func.coalesce(func.sum(Activity.volunteer_hours), 0.0),
    )


class ReportService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def unit_stats(self, period: Period) -> list[UnitStats]:
        """Every unit that leads or shares a task of the active plan or organised an activity."""
        with self.db.reading() as s:
            plan = active_plan(s)
            roles = {
                (unit_id, role): n
                for unit_id, role, n in s.execute(
                    select(TaskUnit.unit_id, TaskUnit.role, func.count(TaskUnit.task_id))
                    .join(Task, Task.id == TaskUnit.task_id)
                    .join(Section, Section.id == Task.section_id)
                    .where(Section.plan_id == plan.id)
                    .group_by(TaskUnit.unit_id, TaskUnit.role)
                )
            }
            ledger = {
                r[0]: r[1:]
                for r in s.execute(
                    select(Activity.unit_id, *_sums())
                    .where(*_in_period(period))
                    .group_by(Activity.unit_id)
                )
            }
            wanted = {unit_id for unit_id, _ in roles} | set(ledger)
            units = s.execute(
                select(Unit.id, Unit.name)
                .where(Unit.id.in_(wanted))
                .order_by(Unit.sort_order, Unit.id)
            ).all()
        out = []
        for unit_id, name in units:
            n, sessions, participants, volunteers, hours = ledger.get(unit_id, (0, 0, 0, 0, 0.0))
            out.append(
                UnitStats(
                    unit_id,
                    name,
                    roles.get((unit_id, "lead"), 0),
                    roles.get((unit_id, "cooperating"), 0),
                    int(n),
                    int(sessions),
                    int(participants),
                    int(volunteers),
                    float(hours),
                )
            )
        return out

    def task_stats(self, period: Period) -> dict[str, tuple[int, int]]:
        """Activities and 人次 of the period per task code of the active plan.

        An activity serving two tasks counts for each of them, as the office
        reports it; these figures are never added across tasks.
        """
        with self.db.reading() as s:
            plan = active_plan(s)
            rows = s.execute(
                select(
                    Task.code,
                    func.count(Activity.id),
                    func.coalesce(func.sum(Activity.participants), 0),
                )
                .join(activity_task, activity_task.c.task_id == Task.id)
                .join(Activity, Activity.id == activity_task.c.activity_id)
                .join(Section, Section.id == Task.section_id)
                .where(Section.plan_id == plan.id, *_in_period(period))
                .group_by(Task.code)
            ).all()
        return {code: (int(n), int(people)) for code, n, people in rows}

    def type_stats(self, period: Period) -> list[TypeStats]:
        """One row per activity type, zero rows included, in the form's order."""
        stmt = (
            select(
                Activity.type_id,
                *_sums(),
                func.coalesce(func.sum(Activity.female), 0),
                func.coalesce(func.sum(Activity.rural), 0),
                func.coalesce(func.sum(Activity.funding_fen), 0),
            )
            .where(*_in_period(period))
            .group_by(Activity.type_id)
        )
        with self.db.reading() as s:
            sums = {r[0]: r[1:] for r in s.execute(stmt)}
            types = list(
                s.scalars(select(ActivityType).order_by(ActivityType.sort_order, ActivityType.id))
            )
        out = []
        for t in types:
            n, sessions, participants, volunteers, hours, female, rural, fen = sums.get(
                t.id, (0, 0, 0, 0, 0.0, 0, 0, 0)
            )
            out.append(
                TypeStats(
                    t.code,
                    t.name,
                    tuple(t.counts or ()),
                    int(n),
                    int(sessions),
                    int(participants),
                    int(female),
                    int(rural),
                    int(volunteers),
                    float(hours),
                    fen / 100,
                )
            )
        return out

    def volunteer_teams(self, period: Period) -> list[TeamStats]:
        """Each team's registered headcount at the start and at the end of the period."""

        def latest(before: date, strict: bool):
            cond = TeamHeadcount.as_of < before if strict else TeamHeadcount.as_of <= before
            return (
                select(TeamHeadcount.headcount)
                .where(TeamHeadcount.team_id == VolunteerTeam.id, cond)
                .order_by(TeamHeadcount.as_of.desc(), TeamHeadcount.id.desc())
                .limit(1)
                .correlate(VolunteerTeam)
                .scalar_subquery()
            )

        stmt = (
            select(
                VolunteerTeam.name,
                func.coalesce(Unit.name, literal("")),
                func.coalesce(Place.name, literal("")),
                VolunteerTeam.founded,
                latest(period.start, True),
                latest(period.end, False),
            )
            .outerjoin(Unit, Unit.id == VolunteerTeam.unit_id)
            .outerjoin(Place, Place.id == VolunteerTeam.place_id)
            .where((VolunteerTeam.founded.is_(None)) | (VolunteerTeam.founded <= period.end))
            .order_by(Place.sort_order, VolunteerTeam.name)
        )
        with self.db.reading() as s:
            return [TeamStats(*r) for r in s.execute(stmt)]

    def volunteer_service(self, period: Period) -> list[PlaceVolunteering]:
        """Volunteers taking part in activities (人次) and their hours, by township."""
        stmt = (
            select(
                func.coalesce(Place.name, literal("")),
                func.count(Activity.id),
                func.coalesce(func.sum(Activity.volunteers), 0),
                func.coalesce(func.sum(Activity.volunteer_hours), 0.0),
            )
            .outerjoin(Place, Place.id == Activity.place_id)
            .where(*_in_period(period), Activity.volunteers > 0)
            .group_by(Place.id, Place.name, Place.sort_order)
            .order_by(case((Place.id.is_(None), 1), else_=0), Place.sort_order)
        )
        with self.db.reading() as s:
            return [
                PlaceVolunteering(r[0] or "未填地点", int(r[1]), int(r[2]), float(r[3]))
                for r in s.execute(stmt)
            ]

    def largest_activities(self, year: int, limit: int = 6) -> list[Highlight]:
        """The year's activities with the most 人次, each with its first photo if any."""
        period = year_period(year)
        stmt = (
            select(
                Activity.id,
                Activity.start_date,
                Activity.title,
                ActivityType.name,
                Unit.name,
                func.coalesce(Place.name, literal("")),
                Activity.participants,
                Activity.volunteers,
                Activity.summary,
            )
            .join(ActivityType, ActivityType.id == Activity.type_id)
            .join(Unit, Unit.id == Activity.unit_id)
            .outerjoin(Place, Place.id == Activity.place_id)
            .where(*_in_period(period))
            .order_by(Activity.participants.desc(), Activity.start_date, Activity.id)
            .limit(limit)
        )
        with self.db.reading() as s:
            rows = s.execute(stmt).all()
            images: dict[int, Evidence] = {}
            for ev in s.scalars(
                select(Evidence)
                .where(Evidence.activity_id.in_([r[0] for r in rows]), Evidence.kind == "image")
                .order_by(Evidence.id)
            ):
                images.setdefault(ev.activity_id, ev)
        return [Highlight(*r, image=images.get(r[0])) for r in rows]

    def ledger_count(self, period: Period) -> int:
        with self.db.reading() as s:
            return s.scalar(select(func.count(Activity.id)).where(*_in_period(period))) or 0

    def ledger_chunks(self, period: Period, chunk: int = 2000) -> Iterator[list[LedgerRow]]:
        """The period's activities in date order, every field, `chunk` rows at a time.

        Keyset pagination on (start_date, id) keeps each query as fast as the
        first, however deep into a large ledger.
        """
        after: tuple[date, int] | None = None
        while True:
            with self.db.reading() as s:
                rows = _ledger_page(s, period, after, chunk)
            if not rows:
                return
            yield rows
            after = (rows[-1].start_date, rows[-1].id)
            if len(rows) < chunk:
                return


def _joined(s: Session, stmt: Select) -> dict[int, str]:
    out: dict[int, list[str]] = defaultdict(list)
    for activity_id, text in s.execute(stmt):
        out[activity_id].append(text)
    return {k: "；".join(v) for k, v in out.items()}


def _ledger_page(
    s: Session, period: Period, after: tuple[date, int] | None, limit: int
) -> list[LedgerRow]:
    evidence = (
        select(func.count(Evidence.id))
        .where(Evidence.activity_id == Activity.id)
        .correlate(Activity)
        .scalar_subquery()
    )
    stmt = (
        select(
            Activity.id,
            Activity.start_date,
            Activity.end_date,
            Activity.title,
            ActivityType.name,
            func.coalesce(Place.name, literal("")),
            Unit.name,
            Activity.participants,
            Activity.female,
            Activity.rural,
            Activity.sessions,
            Activity.volunteers,
            Activity.volunteer_hours,
            Activity.funding_fen,
            Activity.media,
            Activity.summary,
            evidence,
        )
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .join(Unit, Unit.id == Activity.unit_id)
        .outerjoin(Place, Place.id == Activity.place_id)
        .where(*_in_period(period))
        .order_by(Activity.start_date, Activity.id)
        .limit(limit)
    )
    if after is not None:
        day, last_id = after
        stmt = stmt.where(
            (Activity.start_date > day) | and_(Activity.start_date == day, Activity.id > last_id)
        )
    rows = s.execute(stmt).all()
    ids = [r[0] for r in rows]
    if not ids:
        return []
    cooperators = _joined(
        s,
        select(activity_cooperator.c.activity_id, Unit.name)
        .join(Unit, Unit.id == activity_cooperator.c.unit_id)
        .where(activity_cooperator.c.activity_id.in_(ids))
        .order_by(activity_cooperator.c.activity_id, Unit.sort_order, Unit.id),
    )
    tasks = _joined(
        s,
        select(activity_task.c.activity_id, Task.title)
        .join(Task, Task.id == activity_task.c.task_id)
        .join(Section, Section.id == Task.section_id)
        .where(activity_task.c.activity_id.in_(ids))
        .order_by(activity_task.c.activity_id, Section.sort_order, Task.sort_order),
    )
    groups = _joined(
        s,
        select(activity_group.c.activity_id, TargetGroup.name)
        .join(TargetGroup, TargetGroup.id == activity_group.c.group_id)
        .where(activity_group.c.activity_id.in_(ids))
        .order_by(activity_group.c.activity_id, TargetGroup.sort_order),
    )
    return [
        LedgerRow(
            id=r[0],
            start_date=r[1],
            end_date=r[2],
            title=r[3],
            type_name=r[4],
            place_name=r[5],
            unit_name=r[6],
            cooperators=cooperators.get(r[0], ""),
            tasks=tasks.get(r[0], ""),
            groups=groups.get(r[0], ""),
            participants=r[7],
            female=r[8],
            rural=r[9],
            sessions=r[10],
            volunteers=r[11],
            volunteer_hours=float(r[12] or 0),
            funding_yuan=(r[13] or 0) / 100,
            media=r[14] or "",
            summary=r[15] or "",
            evidence_count=int(r[16] or 0),
        )
        for r in rows
    ]
