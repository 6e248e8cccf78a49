"""The ledger's monthly totals: recounted before each commit, read by progress and the ledger.

Triggers (migration 0004) mark the month of every changed activity, task
link or group link in `tally_stale`. Before a transaction commits, `settle`
recounts those months from the ledger into `activity_tally`, so the totals
move with the write that changed them, in the same transaction. A reader
asks `window(session, start, end)`: whole months come from the totals,
while the days of a partial month at either edge and any month still
marked stale (written by a program that does not settle) are counted from
the ledger itself, so the answer always equals a recount. The recount and
the reader's direct count are the same query (`_profile_sums`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Text,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.orm import Session

from desktop.models import (
    Activity,
    ActivityTally,
    TallyStale,
    activity_group,
    activity_task,
)

MEASURES = (
    "activities",
    "sessions",
    "participants",
    "volunteers",
    "volunteer_hours",
    "funding_fen",
)


DirectCount = Callable[[date, date], "Sums"]


@dataclass(frozen=True)
class Profile:
    """What a derived indicator's rule can ask of an activity."""

    type_id: int
    unit_id: int
    groups: frozenset[int]
    tasks: frozenset[int]


@dataclass
class Sums:
    activities: int = 0
    sessions: int = 0
    participants: int = 0
    volunteers: int = 0
    volunteer_hours: float = 0.0
    funding_fen: int = 0

    def add(self, other: Sums) -> None:
        for name in MEASURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def ledger_sums() -> list[ColumnElement]:
    """The count and sums a total holds, as SQL over `activity` rows, in MEASURES' order."""
    return [
        func.count(Activity.id),
        func.coalesce(func.sum(Activity.sessions), 0),
        func.coalesce(func.sum(Activity.participants), 0),
        func.coalesce(func.sum(Activity.volunteers), 0),
        func.coalesce(func.sum(Activity.volunteer_hours), 0.0),
        func.coalesce(func.sum(Activity.funding_fen), 0),
    ]


def summed(row: Sequence) -> Sums:
    """A row of `ledger_sums()` as Sums."""
    return Sums(*(int(v) for v in row[:4]), float(row[4]), int(row[5]))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def id_list(session: Session, link_column: ColumnElement, owner: ColumnElement) -> ColumnElement:
    """The sorted ids an activity links to, as text ("3,7"; "" for none): the profile key."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import aggregate_order_by

        joined = func.string_agg(cast(link_column, Text), aggregate_order_by(",", link_column))
    else:  # SQLite walks the link table's primary key (activity_id, other_id), so ids come sorted
        joined = func.group_concat(cast(link_column, String), ",")
    table = link_column.table
    return func.coalesce(select(joined).where(table.c.activity_id == owner).scalar_subquery(), "")


def _profile_sums(session: Session, start: date, end_exclusive: date) -> Select:
    """Per profile, the count and sums of the activities starting in [start, end_exclusive)."""
    groups = id_list(session, activity_group.c.group_id, Activity.id).label("groups")
    tasks = id_list(session, activity_task.c.task_id, Activity.id).label("tasks")
    return (
        select(
            Activity.type_id,
            Activity.unit_id,
            groups,
            tasks,
            *ledger_sums(),
        )
        .where(Activity.start_date >= start, Activity.start_date < end_exclusive)
        .group_by(Activity.type_id, Activity.unit_id, groups, tasks)
    )


def recount(session: Session, months: Iterable[date]) -> None:
    """Replace the totals of these months with a count of the ledger."""
    for month in sorted(set(months)):
        session.execute(delete(ActivityTally).where(ActivityTally.month == month))
        counted = _profile_sums(session, month, _next_month(month)).subquery()
        session.execute(
            insert(ActivityTally).from_select(
                ["month", "type_id", "unit_id", "groups", "tasks", *MEASURES],
                select(literal(month, ActivityTally.month.type), *counted.c),
            )
        )


def settle(session: Session) -> None:
    """Recount every month marked stale, and clear the marks, inside the caller's transaction."""
    session.flush()
    months = list(session.scalars(select(TallyStale.month)))
    if not months:
        return
    recount(session, months)
    session.execute(delete(TallyStale).where(TallyStale.month.in_(months)))


def rebuild(session: Session) -> int:
    """Recount every month of the ledger from nothing (kepu check --repair); returns the months."""
    session.flush()
    session.execute(delete(ActivityTally))
    months = _ledger_months(session)
    recount(session, months)
    session.execute(delete(TallyStale))
    return len(months)


def differences(session: Session) -> list[date]:
    """Months whose stored totals differ from a recount of the ledger (kepu check)."""
    stored: dict[date, dict[Profile, Sums]] = {}
    for row in session.scalars(select(ActivityTally)):
        key = _profile(row.type_id, row.unit_id, row.groups, row.tasks)
        stored.setdefault(row.month, {})[key] = Sums(*(getattr(row, name) for name in MEASURES))
    months = set(stored) | set(_ledger_months(session))
    stale = set(session.scalars(select(TallyStale.month)))
    return sorted(
        month
        for month in months - stale
        if _direct(session, month, _next_month(month)) != stored.get(month, {})
    )


def _ledger_months(session: Session) -> list[date]:
    first, last = session.execute(
        select(func.min(Activity.start_date), func.max(Activity.start_date))
    ).one()
    months: list[date] = []
    if first is not None:
        month = _month_start(first)
        while month <= last:
            months.append(month)
            month = _next_month(month)
    return months


def _profile(type_id: int, unit_id: int, groups: str, tasks: str) -> Profile:
    def ids(text: str) -> frozenset[int]:
        return frozenset(int(part) for part in text.split(",") if part)

    return Profile(type_id, unit_id, ids(groups), ids(tasks))


def _merge(into: dict[Profile, Sums], rows: Iterable) -> None:
    for type_id, unit_id, groups, tasks, *values in rows:
        key = _profile(type_id, unit_id, groups, tasks)
        into.setdefault(key, Sums()).add(summed(values))


def _direct(session: Session, start: date, end_exclusive: date) -> dict[Profile, Sums]:
    found: dict[Profile, Sums] = {}
    _merge(found, session.execute(_profile_sums(session, start, end_exclusive)))
    return found


def window(session: Session, start: date, end: date) -> dict[Profile, Sums]:
    """Count and sums per profile of the activities starting in [start, end], days inclusive.

    Whole months that are not stale are read from the totals in one query;
    the partial months at the edges and the stale months are counted from
    the ledger.
    """
    found: dict[Profile, Sums] = {}
    if end < start:
        return found
    first_full, last_full_end, after = _whole_months(start, end)
    if first_full >= last_full_end:
        _merge(found, session.execute(_profile_sums(session, start, after)))
        return found
    stale = _stale_between(session, first_full, last_full_end)
    _merge(
        found,
        session.execute(
            select(
                ActivityTally.type_id,
                ActivityTally.unit_id,
                ActivityTally.groups,
                ActivityTally.tasks,
                *(func.sum(getattr(ActivityTally, name)) for name in MEASURES),
            )
            .where(
                ActivityTally.month >= first_full,
                ActivityTally.month < last_full_end,
                ActivityTally.month.not_in(stale),
            )
            .group_by(
                ActivityTally.type_id,
                ActivityTally.unit_id,
                ActivityTally.groups,
                ActivityTally.tasks,
            )
        ),
    )
    for lo, hi in _edges(start, first_full, last_full_end, after, stale):
        _merge(found, session.execute(_profile_sums(session, lo, hi)))
    return found


def _whole_months(start: date, end: date) -> tuple[date, date, date]:
    """The first whole month of [start, end], the day its whole months end (exclusive), end + 1."""
    first_full = start if start.day == 1 else _next_month(start)
    after = end + timedelta(days=1)
    return first_full, _month_start(after), after


def _stale_between(session: Session, first: date, end_exclusive: date) -> list[date]:
    return list(
        session.scalars(
            select(TallyStale.month).where(
                TallyStale.month >= first, TallyStale.month < end_exclusive
            )
        )
    )


def _edges(
    start: date, first_full: date, last_full_end: date, after: date, stale: list[date]
) -> list[tuple[date, date]]:
    """The [lo, hi) ranges a reader counts from the ledger: partial edge months and stale months."""
    ranges = [(start, first_full), (last_full_end, after)]
    ranges += [(month, _next_month(month)) for month in stale]
    return [(lo, hi) for lo, hi in ranges if lo < hi]


def _key_holds(column: ColumnElement[str], ident: int) -> ColumnElement[bool]:
    """Whether an id list such as "3,7" holds `ident`."""
    return (literal(",") + column + literal(",")).like(f"%,{int(ident)},%")


def sums(
    session: Session,
    start: date,
    end: date,
    direct: DirectCount,
    type_id: int | None = None,
    unit_id: int | None = None,
    group_id: int | None = None,
    task_id: int | None = None,
) -> Sums:
    """Count and sums of the activities in [start, end] matching the given ids, summed in SQL.

    Whole months come from the totals; `direct(lo, hi)` counts the ledger's
    matching activities in [lo, hi) for the edges and stale months, with the
    caller's own filter, so a filter keeps one definition.
    """
    total = Sums()
    if end < start:
        return total
    first_full, last_full_end, after = _whole_months(start, end)
    if first_full >= last_full_end:
        total.add(direct(start, after))
        return total
    stale = _stale_between(session, first_full, last_full_end)
    conds = [
        ActivityTally.month >= first_full,
        ActivityTally.month < last_full_end,
        ActivityTally.month.not_in(stale),
    ]
    if type_id is not None:
        conds.append(ActivityTally.type_id == type_id)
    if unit_id is not None:
        conds.append(ActivityTally.unit_id == unit_id)
    if group_id is not None:
        conds.append(_key_holds(ActivityTally.groups, group_id))
    if task_id is not None:
        conds.append(_key_holds(ActivityTally.tasks, task_id))
    row = session.execute(
        select(*(func.coalesce(func.sum(getattr(ActivityTally, n)), 0) for n in MEASURES)).where(
            *conds
        )
    ).one()
    total.add(summed(row))
    for lo, hi in _edges(start, first_full, last_full_end, after, stale):
        total.add(direct(lo, hi))
    return total
