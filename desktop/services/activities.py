"""The activity ledger: validated writes, filtered reads and totals, all in SQL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from difflib import SequenceMatcher

from sqlalchemy import Select, delete, exists, func, select
from sqlalchemy.orm import Session, selectinload

from desktop.db import Database
from desktop.errors import NotFoundError
from desktop.models import (
    Activity,
    ActivityType,
    Evidence,
    Place,
    TargetGroup,
    Task,
    Unit,
    activity_group,
    activity_task,
)
from desktop.services import audit, locks, tally
from desktop.services.activity_rules import ActivityInput, validate
from desktop.services.search import match_count, page_in_date_order, text_condition


@dataclass(frozen=True)
class DeletedActivity:
    """What `delete` removed: enough to put it back."""

    data: ActivityInput
    evidence: list[tuple[str, str, int, str, str]]


@dataclass
class ActivityFilter:
    start: date | None = None
    end: date | None = None
    unit_id: int | None = None
    type_id: int | None = None
    task_id: int | None = None
    group_id: int | None = None
    place_id: int | None = None
    has_evidence: bool | None = None
    text: str = ""


@dataclass(frozen=True)
class ActivityRow:
    id: int
    start_date: date
    title: str
    type_name: str
    unit_name: str
    place_name: str
    participants: int
    sessions: int
    volunteers: int
    funding_yuan: float
    evidence: int


@dataclass(frozen=True)
class Totals:
    activities: int
    sessions: int
    participants: int
    volunteers: int
    volunteer_hours: float
    funding_yuan: float


EVIDENCE_COUNT = (
    select(func.count(Evidence.id))
    .where(Evidence.activity_id == Activity.id)
    .correlate(Activity)
    .scalar_subquery()
)
SORT_COLUMNS = {
    "start_date": Activity.start_date,
    "title": Activity.title,
    "type": ActivityType.sort_order,
    "unit": Unit.sort_order,
    "place": Place.sort_order,
    "participants": Activity.participants,
    "sessions": Activity.sessions,
    "volunteers": Activity.volunteers,
    "funding": Activity.funding_fen,
    "evidence": EVIDENCE_COUNT,
}


def apply_filter(stmt: Select, flt: ActivityFilter) -> Select:
    if flt.start:
        stmt = stmt.where(Activity.start_date >= flt.start)
    if flt.end:
        stmt = stmt.where(Activity.start_date <= flt.end)
    if flt.unit_id:
        stmt = stmt.where(Activity.unit_id == flt.unit_id)
    if flt.type_id:
        stmt = stmt.where(Activity.type_id == flt.type_id)
    if flt.place_id:
        stmt = stmt.where(Activity.place_id == flt.place_id)
    if flt.task_id:
        stmt = stmt.where(
            exists().where(
                activity_task.c.activity_id == Activity.id, activity_task.c.task_id == flt.task_id
            )
        )
    if flt.group_id:
        stmt = stmt.where(
            exists().where(
                activity_group.c.activity_id == Activity.id,
                activity_group.c.group_id == flt.group_id,
            )
        )
    if flt.has_evidence is not None:
        has = exists().where(Evidence.activity_id == Activity.id)
        stmt = stmt.where(has if flt.has_evidence else ~has)
    matches_text = text_condition(flt.text)
    if matches_text is not None:
        stmt = stmt.where(matches_text)
    return stmt


# The open end of a filter with no end date (a day after which `date` can still add one).
LAST_DAY = date(9998, 12, 31)


def _text_only(flt: ActivityFilter) -> bool:
    """A text search and nothing else: the text index alone can count it."""
    others = (flt.unit_id, flt.type_id, flt.task_id, flt.group_id, flt.place_id, flt.start, flt.end)
    return bool(flt.text.strip()) and not any(others) and flt.has_evidence is None


def _text_matches(session: Session, text: str) -> int:
    """How many activities hold `text`: from the text index alone where it can say."""
    matched = match_count(session, text)
    if matched is None:
        matched = session.scalar(
            apply_filter(select(func.count(Activity.id)), ActivityFilter(text=text))
        )
    return matched or 0


def _counts_rows(flt: ActivityFilter) -> bool:
    """Whether the filter asks what the monthly totals do not hold (place, evidence, text)."""
    return bool(flt.place_id or flt.has_evidence is not None or flt.text.strip())


def _sums(session: Session, flt: ActivityFilter) -> tally.Sums:
    """Count and sums of the filtered rows, counted from the ledger itself."""
    return tally.summed(session.execute(apply_filter(select(*tally.ledger_sums()), flt)).one())


def _normalise_title(title: str) -> str:
    return "".join(ch for ch in title if ch.isalnum())


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return SequenceMatcher(None, a, b).ratio() >= 0.8


def _apply(session: Session, activity: Activity, data: ActivityInput) -> None:
    activity.start_date = data.start_date
    activity.end_date = data.end_date
    activity.title = data.title
    activity.type_id = data.type_id
    activity.unit_id = data.unit_id
    activity.place_id = data.place_id
    activity.participants = int(data.participants)
    activity.female = data.female
    activity.rural = data.rural
    activity.sessions = int(data.sessions)
    activity.volunteers = int(data.volunteers)
    activity.volunteer_hours = float(data.volunteer_hours)
    activity.funding_fen = round(data.funding_yuan * 100)
    activity.media = data.media
    activity.summary = data.summary
    activity.tasks = list(session.scalars(select(Task).where(Task.id.in_(data.task_ids))))
    activity.groups = list(
        session.scalars(select(TargetGroup).where(TargetGroup.id.in_(data.group_ids)))
    )
    activity.cooperators = list(
        session.scalars(select(Unit).where(Unit.id.in_(data.cooperator_ids)))
    )


def add_activity(session: Session, data: ActivityInput, batch_id: int | None = None) -> Activity:
    """Validate, check the lock and insert, inside the caller's transaction."""
    validate(session, data)
    locks.ensure_writable(session, data.start_date)
    activity = Activity(batch_id=batch_id)
    _apply(session, activity, data)
    session.add(activity)
    session.flush()
    audit.record(
        session,
        "create",
        "activity",
        activity.id,
        f"新增活动 {activity.title}",
        {k: [None, v] for k, v in data.as_dict().items()},
    )
    return activity


class ActivityService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, data: ActivityInput) -> int:
        with self.db.transaction() as s:
            return add_activity(s, data).id

    def check(self, data: ActivityInput) -> None:
        """Raise what saving `data` would raise, without saving, so the user fixes
        mistakes before being asked about a likely duplicate."""
        with self.db.reading() as s:
            validate(s, data)
            locks.ensure_writable(s, data.start_date)

    def get(self, activity_id: int) -> Activity:
        with self.db.reading() as s:
            a = s.scalar(
                select(Activity)
                .where(Activity.id == activity_id)
                .options(
                    selectinload(Activity.tasks),
                    selectinload(Activity.groups),
                    selectinload(Activity.cooperators),
                    selectinload(Activity.evidence),
                    selectinload(Activity.type),
                    selectinload(Activity.unit),
                    selectinload(Activity.place),
                )
            )
            if a is None:
                raise NotFoundError("活动不存在或已被删除。")
            return a

    def update(self, activity_id: int, data: ActivityInput) -> None:
        with self.db.transaction() as s:
            activity = s.get(Activity, activity_id)
            if activity is None:
                raise NotFoundError("活动不存在或已被删除。")
            before = ActivityInput.from_activity(activity)
            locks.ensure_writable(s, activity.start_date)
            validate(s, data)
            locks.ensure_writable(s, data.start_date)
            _apply(s, activity, data)
            changes = audit.diff(before.as_dict(), data.as_dict())
            if changes:
                audit.record(
                    s, "update", "activity", activity.id, f"修改活动 {activity.title}", changes
                )

    def delete(self, activity_id: int) -> DeletedActivity:
        """Delete and return what was deleted, so the caller can offer undo.

        Evidence files stay in the data folder (they are content-addressed),
        so an undo brings the activity back with its evidence.
        """
        with self.db.transaction() as s:
            activity = s.get(Activity, activity_id)
            if activity is None:
                raise NotFoundError("活动不存在或已被删除。")
            locks.ensure_writable(s, activity.start_date)
            before = ActivityInput.from_activity(activity)
            audit.record(
                s,
                "delete",
                "activity",
                activity.id,
                f"删除活动 {activity.title}",
                {k: [v, None] for k, v in before.as_dict().items()},
            )
            evidence = [
                (e.original_name, e.stored_name, e.size, e.sha256, e.kind)
                for e in activity.evidence
            ]
            s.delete(activity)
            return DeletedActivity(before, evidence)

    def count(self, flt: ActivityFilter) -> int:
        if _text_only(flt):
            with self.db.reading() as s:
                return _text_matches(s, flt.text)
        if _counts_rows(flt):  # a bare count walks an index; the sums would read every row
            with self.db.reading() as s:
                return s.scalar(apply_filter(select(func.count(Activity.id)), flt)) or 0
        return self.totals(flt).activities

    def rows(
        self,
        flt: ActivityFilter,
        offset: int,
        limit: int,
        sort: str = "start_date",
        descending: bool = True,
        from_end: bool = False,
    ) -> list[ActivityRow]:
        """One page of the filtered ledger in the asked order.

        With `from_end` the offset counts back from the last row: SQL walks
        the order backwards, so the last page of a million rows costs what
        the first does (an OFFSET costs as many rows as it skips), and the
        rows still come back in the asked order. The order ends on the id,
        so walking it backwards meets exactly the same rows.
        """
        sql_descending = descending != from_end
        column = SORT_COLUMNS.get(sort, Activity.start_date)
        order = [
            column.desc() if sql_descending else column.asc(),
            Activity.id.desc() if sql_descending else Activity.id,
        ]
        stmt = (
            select(
                Activity.id,
                Activity.start_date,
                Activity.title,
                ActivityType.name,
                Unit.name,
                Place.name,
                Activity.participants,
                Activity.sessions,
                Activity.volunteers,
                Activity.funding_fen,
                EVIDENCE_COUNT,
            )
            .join(ActivityType, ActivityType.id == Activity.type_id)
            .join(Unit, Unit.id == Activity.unit_id)
            .outerjoin(Place, Place.id == Activity.place_id)
        )
        with self.db.reading() as s:
            ids = (
                page_in_date_order(s, flt.text, offset, limit, sql_descending)
                if sort == "start_date" and _text_only(flt)
                else None
            )
            if ids is None:
                stmt = apply_filter(stmt, flt).order_by(*order).offset(offset).limit(limit)
            else:
                stmt = stmt.where(Activity.id.in_(ids)).order_by(*order)
            found = [
                ActivityRow(
                    r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6], r[7], r[8], r[9] / 100, r[10]
                )
                for r in s.execute(stmt)
            ]
        if from_end:
            found.reverse()
        return found

    def totals(self, flt: ActivityFilter) -> Totals:
        """Count and sums of the filtered ledger.

        A filter by dates, unit, type, task or group is answered from the
        monthly totals, so it takes as long at a million activities as at a
        hundred; a place, evidence or text filter counts the rows.
        """
        with self.db.reading() as s:
            if _counts_rows(flt):
                counted = _sums(s, flt)
            else:

                def direct(lo: date, hi: date) -> tally.Sums:
                    return _sums(s, replace(flt, start=lo, end=hi - timedelta(days=1)))

                counted = tally.sums(
                    s,
                    flt.start or date.min,
                    flt.end or LAST_DAY,
                    direct,
                    type_id=flt.type_id,
                    unit_id=flt.unit_id,
                    group_id=flt.group_id,
                    task_id=flt.task_id,
                )
        return Totals(
            counted.activities,
            counted.sessions,
            counted.participants,
            counted.volunteers,
            counted.volunteer_hours,
            counted.funding_fen / 100,
        )

    def find_duplicates(
        self, data: ActivityInput, exclude_id: int | None = None
    ) -> list[ActivityRow]:
        """Activities of the same unit on the same day with a similar title."""
        flt = ActivityFilter(start=data.start_date, end=data.start_date, unit_id=data.unit_id)
        candidates = self.rows(flt, 0, 200)
        title = _normalise_title(data.title)
        return [
            row
            for row in candidates
            if row.id != exclude_id and _similar(title, _normalise_title(row.title))
        ]

    def restore(self, deleted: DeletedActivity) -> int:
        """Undo a delete: add the deleted activity back as it was, with its evidence."""
        with self.db.transaction() as s:
            activity = add_activity(s, deleted.data)
            for original, stored, size, sha256, kind in deleted.evidence:
                activity.evidence.append(
                    Evidence(
                        original_name=original,
                        stored_name=stored,
                        size=size,
                        sha256=sha256,
                        kind=kind,
                    )
                )
            audit.record(s, "restore", "activity", activity.id, f"撤销删除活动 {activity.title}")
            return activity.id

    def delete_many(self, ids: list[int]) -> int:
        """Delete several activities in one transaction; all or none."""
        with self.db.transaction() as s:
            for a in s.scalars(select(Activity).where(Activity.id.in_(ids))):
                locks.ensure_writable(s, a.start_date)
                audit.record(s, "delete", "activity", a.id, f"删除活动 {a.title}")
            result = s.execute(delete(Activity).where(Activity.id.in_(ids)))
            return result.rowcount or 0
