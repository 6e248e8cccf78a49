"""The figures the outputs need beyond the progress engine, aggregated in SQL.

Per responsible unit, by activity type (the national 科普统计 categories),
volunteer teams and service, the largest activities of a year, and the
ledger rows of a period streamed as plain rows, so a year of 240,000
activities never sits in memory, as ORM objects or otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import case, func, literal, or_, select
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
from desktop.services.plans import plan_by_code, plan_for
from desktop.services.tally import id_list


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


class LedgerRow(NamedTuple):
    """One activity of the ledger with its names joined; a tuple, cheap to make by the million."""

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


def _task_rows(s: Session, plan_id: int, start: date, end: date) -> dict[str, tuple[int, int]]:
    rows = s.execute(
        select(
            Task.code,
            func.count(Activity.id),
            func.coalesce(func.sum(Activity.participants), 0),
        )
        .join(activity_task, activity_task.c.task_id == Task.id)
        .join(Activity, Activity.id == activity_task.c.activity_id)
        .join(Section, Section.id == Task.section_id)
        .where(Section.plan_id == plan_id, Activity.start_date >= start, Activity.start_date <= end)
        .group_by(Task.code)
    ).all()
    return {code: (int(n), int(people)) for code, n, people in rows}


class ReportService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def unit_stats(self, period: Period, plan_code: str | None = None) -> list[UnitStats]:
        """Every unit that leads or shares a task of the period's plan or organised an activity."""
        with self.db.reading() as s:
            plan = plan_for(s, period, plan_code)
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

    def task_stats(
        self, period: Period, plan_code: str | None = None
    ) -> dict[str, tuple[int, int]]:
        """Activities and 人次 of the period per task code of the period's plan.

        An activity serving two tasks counts for each of them, as the office
        reports it; these figures are never added across tasks.
        """
        with self.db.reading() as s:
            return _task_rows(s, plan_for(s, period, plan_code).id, period.start, period.end)

    def task_stats_between(
        self, start: date, end: date, plan_code: str
    ) -> dict[str, tuple[int, int]]:
        """As task_stats, over any span of the plan's years: the final evaluation's whole period."""
        with self.db.reading() as s:
            return _task_rows(s, plan_by_code(s, plan_code).id, start, end)

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

    def ledger_rows(self, period: Period, chunk: int = 2000) -> Iterator[LedgerRow]:
        """The period's activities in date order, every field, streamed one at a time.

        Plain Core rows, `chunk` at a time by keyset on (start_date, id), each
        chunk in its own short read, so no reader stays open while a workbook
        is written. Each row brings its task, group and cooperator ids as
        text (the same id lists the tally keys its profiles by); names come
        from small dictionaries read once, never from a query per row.
        """
        with self.db.reading() as s:
            names = _LedgerNames.read(s)
        after: tuple[date, int] | None = None
        while True:
            with self.db.reading() as s:
                rows = _ledger_page(s, period, after, chunk, names)
            yield from rows
            if len(rows) < chunk:
                return
            after = (rows[-1].start_date, rows[-1].id)

    def ledger_chunks(self, period: Period, chunk: int = 2000) -> Iterator[list[LedgerRow]]:
        """`ledger_rows` in lists of `chunk`, for writers that lay out a page at a time."""
        batch: list[LedgerRow] = []
        for row in self.ledger_rows(period, max(chunk, 1000)):
            batch.append(row)
            if len(batch) == chunk:
                yield batch
                batch = []
        if batch:
            yield batch


class _Joined:
    """Names for an id list ("3,7"), in reference order, joined with "；"; remembered per list.

    An office's activities use few distinct lists, so nearly every row is
    one dictionary look-up; the memory is bounded all the same.
    """

    LIMIT = 20_000

    def __init__(self, names: dict[int, tuple[tuple, str]]) -> None:
        self.names = names
        self.known: dict[str, str] = {"": ""}

    def __call__(self, ids: str | None) -> str:
        if not ids:
            return ""
        text = self.known.get(ids)
        if text is None:
            found = sorted(self.names[i] for i in map(int, ids.split(",")) if i in self.names)
            text = "；".join(name for _, name in found)
            if len(self.known) >= self.LIMIT:
                self.known.clear()
            self.known[ids] = text
        return text


@dataclass
class _LedgerNames:
    """Names of the small reference tables, and each list's order (sort order, then id)."""

    types: dict[int, str]
    units: dict[int, str]
    places: dict[int, str]
    cooperators: _Joined
    tasks: _Joined
    groups: _Joined

    @classmethod
    def read(cls, s: Session) -> _LedgerNames:
        units = s.execute(select(Unit.id, Unit.name, Unit.sort_order)).all()
        tasks = s.execute(
            select(Task.id, Task.title, Section.sort_order, Task.sort_order).join(
                Section, Section.id == Task.section_id
            )
        ).all()
        groups = s.execute(select(TargetGroup.id, TargetGroup.name, TargetGroup.sort_order)).all()
        return cls(
            types=dict(s.execute(select(ActivityType.id, ActivityType.name)).all()),
            units={i: name for i, name, _ in units},
            places=dict(s.execute(select(Place.id, Place.name)).all()),
            cooperators=_Joined({i: ((order, i), name) for i, name, order in units}),
            tasks=_Joined({i: ((sec, order, i), title) for i, title, sec, order in tasks}),
            groups=_Joined({i: ((order, i), name) for i, name, order in groups}),
        )


def _after(after: tuple[date, int] | None) -> list:
    """Rows past the keyset `after`: a range seek on start_date, then the id within its day."""
    if after is None:
        return []
    day, last_id = after
    return [Activity.start_date >= day, or_(Activity.start_date > day, Activity.id > last_id)]


def _ledger_page(
    s: Session,
    period: Period,
    after: tuple[date, int] | None,
    limit: int,
    names: _LedgerNames,
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
            Activity.type_id,
            Activity.place_id,
            Activity.unit_id,
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
            id_list(s, activity_cooperator.c.unit_id, Activity.id),
            id_list(s, activity_task.c.task_id, Activity.id),
            id_list(s, activity_group.c.group_id, Activity.id),
        )
        .where(*_in_period(period), *_after(after))
        .order_by(Activity.start_date, Activity.id)
        .limit(limit)
    )
    types, units, places = names.types, names.units, names.places
    cooperators, tasks, groups = names.cooperators, names.tasks, names.groups
    return [
        LedgerRow(
            r[0],
            r[1],
            r[2],
            r[3],
            types.get(r[4], ""),
            places.get(r[5], "") if r[5] is not None else "",
            units.get(r[6], ""),
            cooperators(r[17]),
            tasks(r[18]),
            groups(r[19]),
            r[7],
            r[8],
            r[9],
            r[10],
            r[11],
            float(r[12] or 0),
            (r[13] or 0) / 100,
            r[14] or "",
            r[15] or "",
            int(r[16] or 0),
        )
        for r in s.connection().execute(stmt).all()
    ]
