"""What every edit of a plan shares: finding the row, the text limits, reordering,
and the guards on removing what recorded data depends on.

A removal that activities or entries depend on is refused with a
DependentsError saying what depends on it, so the caller may ask the user
and repeat the call with confirm=True; data in a locked (submitted) period
is never touched, confirmed or not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from desktop.cleaning import clean_line, required
from desktop.db import Database
from desktop.errors import NotFoundError, ServiceError, ValidationError
from desktop.models import Activity, Entry, Indicator, Plan, activity_task
from desktop.models.plan import ROLES
from desktop.services.locks import active_locks
from desktop.services.periods import parse_period
from desktop.services.plan_guard import guard_ended_plans


class DependentsError(ServiceError):
    """A removal refused because records depend on the item; `confirm=True` overrides."""

    def __init__(self, message: str, counts: dict[str, int]) -> None:
        super().__init__(message)
        self.counts = counts


@dataclass(frozen=True)
class Dependents:
    activities: int = 0
    indicators: int = 0
    entries: int = 0

    @property
    def any(self) -> bool:
        return bool(self.activities or self.indicators or self.entries)

    def words(self) -> str:
        parts = []
        if self.activities:
            parts.append(f"{self.activities} 条活动关联")
        if self.indicators:
            parts.append(f"{self.indicators} 个指标属于它")
        if self.entries:
            parts.append(f"{self.entries} 条填报数据")
        return "、".join(parts)


class _GuardedDatabase:
    """The database, its transactions refusing edits of an ended plan (plan_guard)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._db.transaction() as s:
            guard_ended_plans(s)
            yield s


class Editor:
    """One database; each public method of an editor is one transaction with its audit record."""

    def __init__(self, db: Database) -> None:
        self.db = cast(Database, _GuardedDatabase(db))


def found(s: Session, cls: type, ident: int, what: str) -> Any:
    obj = s.get(cls, ident)
    if obj is None:
        raise NotFoundError(f"{what}不存在（可能已被删除）。")
    return obj


def checked_title(text: str | None, what: str, limit: int) -> str:
    text = required(text, clean_line(text), what, "title")
    if len(text) > limit:
        raise ValidationError(f"{what}太长（{len(text)} 字，最多 {limit} 字）。", "title")
    return text


def checked_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"角色“{role}”无效，应为牵头或配合。", "role")
    return role


def move(siblings: list[Any], item: Any, step: int) -> bool:
    """Swap `item` with its neighbour `step` places away; False at either end."""
    order = sorted(siblings, key=lambda x: (x.sort_order, x.id))
    index = order.index(item)
    target = index + step
    if step == 0 or not 0 <= target < len(order):
        return False
    order.insert(target, order.pop(index))
    for position, sibling in enumerate(order):
        sibling.sort_order = position
    return True


def task_dependents(s: Session, task_ids: Select) -> Dependents:
    """The activities linked to, and the indicators belonging to, the tasks selected."""
    activities = s.scalar(
        select(func.count(func.distinct(activity_task.c.activity_id))).where(
            activity_task.c.task_id.in_(task_ids)
        )
    )
    indicators = s.scalar(select(func.count(Indicator.id)).where(Indicator.task_id.in_(task_ids)))
    return Dependents(activities=activities or 0, indicators=indicators or 0)


def refuse(what: str, deps: Dependents, consequence: str) -> None:
    raise DependentsError(
        f"{what}已有 {deps.words()}。{consequence}如确定要删除，请确认后再删除。",
        {"activities": deps.activities, "indicators": deps.indicators, "entries": deps.entries},
    )


def ensure_no_locked_activities(s: Session, ids: Select, what: str) -> None:
    """Refuse when any of the activities selected by `ids` falls in a locked period."""
    locked = 0
    for lock in active_locks(s):
        locked += (
            s.scalar(
                select(func.count(Activity.id)).where(
                    Activity.id.in_(ids),
                    Activity.start_date >= lock.start,
                    Activity.start_date <= lock.end,
                )
            )
            or 0
        )
    if locked:
        raise ServiceError(
            f"{what}关联的活动中有 {locked} 条属于已报送并锁定的统计期，不能删除；"
            "如确需删除，请先解锁相应统计期。"
        )


def ensure_no_locked_entries(s: Session, entries: list[Entry], what: str) -> None:
    """Refuse when any of `entries` falls in a locked period."""
    for lock in active_locks(s):
        if any(e.period_start <= lock.end and e.period_end >= lock.start for e in entries):
            raise ServiceError(
                f"{what}在已锁定的{parse_period(lock.period).label}有填报数据，"
                "不能删除；如确需删除，请先解锁该统计期。"
            )


def check_records_within_years(s: Session, plan: Plan) -> None:
    """Refuse new plan years that would leave recorded data outside the plan.

    Activities belong to whichever plan is active, so they count only for the
    active plan; entries always belong to this plan's indicators.
    """
    start, end = date(plan.first_year, 1, 1), date(plan.last_year, 12, 31)
    activities = 0
    if plan.is_active:
        activities = s.scalar(
            select(func.count(Activity.id)).where(
                (Activity.start_date < start) | (Activity.start_date > end)
            )
        )
    entries = s.scalar(
        select(func.count(Entry.id))
        .join(Indicator, Indicator.id == Entry.indicator_id)
        .where(
            Indicator.plan_id == plan.id,
            (Entry.period_start < start) | (Entry.period_end > end),
        )
    )
    outside = "、".join(
        text
        for n, text in ((activities, f"{activities} 条活动"), (entries, f"{entries} 条填报数据"))
        if n
    )
    if outside:
        raise ValidationError(
            f"改为 {plan.first_year}—{plan.last_year} 年后，已有{outside}落在方案期限之外；"
            "请先修改或删除这些记录，或保留原来的年份。",
            "last_year",
        )
