"""Checking a collection workbook's rows, with everything looked up loaded once.

A file of 100,000 rows is checked in memory: the activity types, places,
groups, tasks and indicators of the active plan are read into dictionaries
before the first row, a cooperating unit's name is looked up once however
often it recurs, a day's lock is asked once, and the activities already in
the ledger under the file's import keys come back in a few set-wise
queries. No row costs a statement of its own.

Each activity is held to the form's own rules (`activities.problems`),
against the types, units, places and plan read once into an
`activities.Known`, so the window and the workbook share one set of rules
and a row still costs no query.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.collection_layout import HEADER_OF
from desktop.collection_rows import RowRecord
from desktop.errors import LockedError
from desktop.models import (
    Activity,
    ActivityType,
    Indicator,
    Place,
    Plan,
    Section,
    TargetGroup,
    Task,
    Unit,
    activity_cooperator,
    activity_group,
    activity_task,
)
from desktop.services import locks
from desktop.services.activities import ActivityInput
from desktop.services.activity_rules import Known, plan_years
from desktop.services.reference import find_unit, normalise_name

# ValidationError.field of an activity → the workbook column that holds it.
FIELD_COLUMN = {
    **HEADER_OF,
    "type_id": HEADER_OF["type"],
    "place_id": HEADER_OF["place"],
    "task_ids": HEADER_OF["tasks"],
    "group_ids": HEADER_OF["groups"],
    "cooperator_ids": HEADER_OF["cooperators"],
    "unit_id": "",
}
_KEYS_PER_QUERY = 500


class Lookups:
    """Names in a workbook → ids for the active plan, and the per-day and per-name answers."""

    def __init__(self, s: Session, plan: Plan) -> None:
        self.s = s
        self.plan = plan
        self.types: dict[str, int] = {}
        for t in s.scalars(select(ActivityType)):
            self.types[t.name] = t.id
            self.types[t.code] = t.id
        self.type_ids = set(self.types.values())
        self.places = {normalise_name(p.name): p.id for p in s.scalars(select(Place))}
        self.place_ids = set(self.places.values())
        self.groups = {g.name: g.id for g in s.scalars(select(TargetGroup))}
        self.tasks = {
            t.code: t.id
            for t in s.scalars(select(Task).join(Section).where(Section.plan_id == plan.id))
        }
        self.indicators = {
            i.code: i for i in s.scalars(select(Indicator).where(Indicator.plan_id == plan.id))
        }
        self.unit_ids = set(s.scalars(select(Unit.id)))
        self.known = Known(
            frozenset(self.type_ids),
            frozenset(self.unit_ids),
            frozenset(self.place_ids),
            plan_years(s),
        )
        self._units: dict[str, int | None] = {}
        self._locks: dict[date, str | None] = {}

    def unit(self, name: str) -> int | None:
        """The unit a name or alias means, asked of the database once per name."""
        if name not in self._units:
            unit = find_unit(self.s, name)
            self._units[name] = unit.id if unit is not None else None
        return self._units[name]

    def locked(self, day: date) -> str | None:
        """Why a day cannot be written (its period is locked), asked once per day."""
        if day not in self._locks:
            try:
                locks.ensure_writable(self.s, day)
                self._locks[day] = None
            except LockedError as exc:
                self._locks[day] = str(exc)
        return self._locks[day]


def import_key(unit_id: int, data: ActivityInput) -> str:
    """Same unit, same day, same title (ignoring spaces and punctuation): the same activity."""
    title = "".join(ch for ch in data.title if ch.isalnum())
    return hashlib.sha256(f"{unit_id}|{data.start_date.isoformat()}|{title}".encode()).hexdigest()


def split_names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r"[、,，;；\s]+", text or "") if n.strip()]


def activity_input(
    lookups: Lookups, unit_id: int, record: RowRecord, problem: Callable[[str, str], None]
) -> ActivityInput | None:
    """The activity a row describes, or None when a value cannot be matched (each a problem)."""
    v = record.values
    unreadable = {p.column for p in record.problems}
    for key in ("start_date", "title", "type"):
        if not v.get(key) and HEADER_OF[key] not in unreadable:
            problem(HEADER_OF[key], "必填项为空。")
    type_id = None
    if v.get("type"):
        type_id = lookups.types.get(v["type"])
        if type_id is None:
            problem(HEADER_OF["type"], f"没有“{v['type']}”这种活动类型，请从下拉列表中选择。")
    place_id = None
    if v.get("place"):
        names = v["place"]
        if len(names) > 1:
            problem(HEADER_OF["place"], "只能填写一个地点。")
        place_id = lookups.places.get(normalise_name(names[0]))
        if place_id is None:
            problem(HEADER_OF["place"], f"没有“{names[0]}”这个地点，请从下拉列表中选择。")
    task_ids = []
    for item in v.get("tasks", []):
        code = item.split()[0]
        if code not in lookups.tasks:
            problem(HEADER_OF["tasks"], f"方案中没有编号为“{code}”的任务。")
        else:
            task_ids.append(lookups.tasks[code])
    group_ids = []
    for name in v.get("groups", []):
        if name not in lookups.groups:
            problem(HEADER_OF["groups"], f"没有“{name}”这个重点人群。")
        else:
            group_ids.append(lookups.groups[name])
    cooperator_ids = []
    for name in split_names(v.get("cooperators", "")):
        cooperator = lookups.unit(name)
        if cooperator is None:
            problem(HEADER_OF["cooperators"], f"找不到单位“{name}”，请填写单位全称。")
        else:
            cooperator_ids.append(cooperator)
    if record.problems or type_id is None or not v.get("start_date") or not v.get("title"):
        return None
    return ActivityInput(
        start_date=v["start_date"],
        end_date=v.get("end_date"),
        title=v["title"],
        type_id=type_id,
        unit_id=unit_id,
        place_id=place_id,
        participants=v.get("participants", 0),
        female=v.get("female"),
        rural=v.get("rural"),
        sessions=v.get("sessions", 1),
        volunteers=v.get("volunteers", 0),
        volunteer_hours=v.get("volunteer_hours", 0.0),
        funding_yuan=v.get("funding_yuan", 0.0),
        media=v.get("media", ""),
        summary=v.get("summary", ""),
        task_ids=sorted(set(task_ids)),
        group_ids=sorted(set(group_ids)),
        cooperator_ids=sorted(set(cooperator_ids) - {unit_id}),
    )


def changed_columns(stored: ActivityInput, sent: ActivityInput) -> list[str]:
    """Workbook columns whose value differs from the activity already in the ledger."""
    before, after = stored.as_dict(), sent.as_dict()
    changed: list[str] = []
    for name, value in after.items():
        old = before[name]
        if isinstance(value, list):
            old, value = sorted(old), sorted(value)
        elif isinstance(value, float):
            old, value = round(old, 2), round(value, 2)
        elif isinstance(value, str):
            old, value = old.strip(), value.strip()
        column = FIELD_COLUMN.get(name, "")
        if old != value and column and column not in changed:
            changed.append(column)
    return changed


def stored_activities(s: Session, keys: Iterable[str]) -> dict[str, tuple[int, ActivityInput]]:
    """The activities in the ledger under these import keys, as (id, what was entered)."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, tuple[int, ActivityInput]] = {}
    for start in range(0, len(wanted), _KEYS_PER_QUERY):
        chunk = wanted[start : start + _KEYS_PER_QUERY]
        rows = s.execute(select(Activity.__table__).where(Activity.import_key.in_(chunk))).all()
        if not rows:
            continue
        ids = [r.id for r in rows]
        links: dict[str, dict[int, list[int]]] = {}
        for name, link, other in (
            ("task_ids", activity_task, activity_task.c.task_id),
            ("group_ids", activity_group, activity_group.c.group_id),
            ("cooperator_ids", activity_cooperator, activity_cooperator.c.unit_id),
        ):
            by_activity: dict[int, list[int]] = {}
            for activity_id, target in s.execute(
                select(link.c.activity_id, other).where(link.c.activity_id.in_(ids))
            ):
                by_activity.setdefault(activity_id, []).append(target)
            links[name] = by_activity
        for r in rows:
            found[r.import_key] = (
                r.id,
                ActivityInput.from_row(
                    r,
                    links["task_ids"].get(r.id, []),
                    links["group_ids"].get(r.id, []),
                    links["cooperator_ids"].get(r.id, []),
                ),
            )
    return found


def activity_row(data: ActivityInput, batch_id: int | None, key: str | None) -> dict[str, object]:
    """A checked activity as a row for bulk.ActivityWriter (figures as stored)."""
    return {
        "start_date": data.start_date,
        "end_date": data.end_date,
        "title": data.title,
        "type_id": data.type_id,
        "place_id": data.place_id,
        "unit_id": data.unit_id,
        "participants": int(data.participants),
        "female": data.female,
        "rural": data.rural,
        "sessions": int(data.sessions),
        "volunteers": int(data.volunteers),
        "volunteer_hours": float(data.volunteer_hours),
        "funding_fen": round(data.funding_yuan * 100),
        "media": data.media,
        "summary": data.summary,
        "batch_id": batch_id,
        "import_key": key,
    }
