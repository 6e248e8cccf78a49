"""What an activity must satisfy before it is saved: one set of rules for every path.

The form, the command line and a collection workbook of 100,000 rows all
check an activity here, against what the database knows read once
(`Known`), so the rules ask no query per row and every path stores the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.cleaning import clean_line, clean_text, required
from desktop.errors import Problem, ValidationError
from desktop.limits import checked
from desktop.models import Activity, ActivityType, Place, Plan, Unit


@dataclass
class ActivityInput:
    """What a user fills in for one activity; ids refer to reference rows."""

    start_date: date
    title: str
    type_id: int
    unit_id: int
    end_date: date | None = None
    place_id: int | None = None
    participants: int = 0
    female: int | None = None
    rural: int | None = None
    sessions: int = 1
    volunteers: int = 0
    volunteer_hours: float = 0.0
    funding_yuan: float = 0.0
    media: str = ""
    summary: str = ""
    task_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)
    cooperator_ids: list[int] = field(default_factory=list)

    @classmethod
    def from_activity(cls, a: Activity) -> ActivityInput:
        return cls.from_row(
            a,
            [t.id for t in a.tasks],
            [g.id for g in a.groups],
            [u.id for u in a.cooperators],
        )

    @classmethod
    def from_row(
        cls,
        a: Any,
        task_ids: Iterable[int],
        group_ids: Iterable[int],
        cooperator_ids: Iterable[int],
    ) -> ActivityInput:
        """From anything with the activity table's columns (an ORM object or a Core row)."""
        return cls(
            start_date=a.start_date,
            end_date=a.end_date,
            title=a.title,
            type_id=a.type_id,
            unit_id=a.unit_id,
            place_id=a.place_id,
            participants=a.participants,
            female=a.female,
            rural=a.rural,
            sessions=a.sessions,
            volunteers=a.volunteers,
            volunteer_hours=a.volunteer_hours,
            funding_yuan=a.funding_fen / 100,
            media=a.media,
            summary=a.summary,
            task_ids=sorted(task_ids),
            group_ids=sorted(group_ids),
            cooperator_ids=sorted(cooperator_ids),
        )

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def validate(session: Session, data: ActivityInput) -> None:
    """Every rule an activity must satisfy before it is saved; all problems at once.

    Text fields are cleaned in place first (desktop/cleaning.py) and numbers are
    checked against the one table of ranges (desktop/limits.py), so every path —
    window, command line, collection workbook — stores the same.
    """
    found = problems(Known.read(session), data)
    if found:
        raise ValidationError.of(found)


@dataclass(frozen=True)
class Known:
    """What the activity rules ask of the database, read once: for one form, or one workbook.

    A collection import checks 100,000 rows against one `Known`, so the
    rules ask no query per row, and the form and the import share them.
    """

    type_ids: frozenset[int]
    unit_ids: frozenset[int]
    place_ids: frozenset[int]
    plan_years: tuple[tuple[int, int], ...]  # every plan's first and last year, earliest first

    @classmethod
    def read(cls, session: Session) -> Known:
        return cls(
            frozenset(session.scalars(select(ActivityType.id))),
            frozenset(session.scalars(select(Unit.id))),
            frozenset(session.scalars(select(Place.id))),
            plan_years(session),
        )


def plan_years(session: Session) -> tuple[tuple[int, int], ...]:
    """The years of every plan: an activity belongs to whichever covers its date, so at a
    period's turn the old plan's last year and the new plan's first both take activities."""
    rows = session.execute(select(Plan.first_year, Plan.last_year).order_by(Plan.first_year))
    return tuple((first, last) for first, last in rows)


def problems(known: Known, data: ActivityInput) -> list[Problem]:
    """Each (field, message) that stops `data` from being saved, in the form's order."""
    found: list[Problem] = []

    def check(rule: Callable[[], None]) -> None:
        try:
            rule()
        except ValidationError as exc:
            found.extend(exc.per_field)

    def title() -> None:
        data.title = required(data.title, clean_line(data.title), "活动名称", "title")
        if len(data.title) > 300:
            raise ValidationError("活动名称不能超过 300 字。", "title")

    data.media = clean_line(data.media)
    data.summary = clean_text(data.summary)
    check(title)
    if data.type_id not in known.type_ids:
        found.append(("type_id", "请选择活动类型。"))
    if data.unit_id not in known.unit_ids:
        found.append(("unit_id", "请选择组织单位。"))
    if data.place_id is not None and data.place_id not in known.place_ids:
        found.append(("place_id", "地点不存在。"))
    check(lambda: _dates(known.plan_years, data))
    for name in ("participants", "sessions", "volunteers", "volunteer_hours", "funding_yuan"):
        check(lambda name=name: setattr(data, name, checked(name, getattr(data, name))))
    for name, label in (("female", "女性人次"), ("rural", "农村人次")):
        check(lambda name=name, label=label: _part(data, name, label))
    if len(data.media) > 500:
        found.append(("media", "媒体报道不能超过 500 字。"))
    if len(data.summary) > 20_000:
        found.append(("summary", "活动简介不能超过 20000 字。"))
    return found


def _part(data: ActivityInput, name: str, label: str) -> None:
    """女性/农村人次: optional, in range, and no more than the participants."""
    value = getattr(data, name)
    if value is None:
        return
    value = checked(name, value)
    setattr(data, name, value)
    if isinstance(data.participants, int) and value > data.participants:
        raise ValidationError(f"{label}（{value}）不能超过参加人次（{data.participants}）。", name)


def _dates(years: tuple[tuple[int, int], ...], data: ActivityInput) -> None:
    if data.end_date and data.end_date < data.start_date:
        raise ValidationError("结束日期不能早于开始日期。", "end_date")
    if not years:
        return
    covering = [(first, last) for first, last in years if first <= data.start_date.year <= last]
    if not covering:
        spans = "、".join(f"{first}—{last}年" for first, last in years)
        raise ValidationError(
            f"活动日期 {data.start_date.isoformat()} 不在实施方案期限（{spans}）内。",
            "start_date",
        )
    last_year = max(last for _, last in years)
    if data.end_date and data.end_date.year > last_year:
        raise ValidationError(
            f"结束日期 {data.end_date.isoformat()} 晚于实施方案期限（{last_year}年底）。",
            "end_date",
        )
