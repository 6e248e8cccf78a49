"""What a unit's self-assessment workbook needs from the ledger, and what it gives back.

The template (`kepu assessment template`) carries the rubric's items with
their automatic scores and the unit's activities of the year, the ledger
query for which lives here; the filled workbook (`kepu assessment import`)
comes back as one set of 自评 scores, checked whole before any is written,
so a file with one bad score changes nothing. The results table
(`kepu assessment export`) reads every unit's result with each item's group.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db import Database
from desktop.errors import NotFoundError, ValidationError
from desktop.models import Activity, ActivityType, Place, Rubric, Unit
from desktop.services import locks
from desktop.services.assessment import (
    UnitResult,
    assessed_units,
    results,
    rubric_for,
    set_score,
)
from desktop.services.periods import year_period
from desktop.services.plans import plan_for


@dataclass(frozen=True)
class ActivityLine:
    day: date
    title: str
    type_name: str
    place: str
    participants: int


@dataclass(frozen=True)
class TemplateItem:
    group: str
    code: str
    content: str
    standard: str
    max: float
    auto: float | None
    reason: str
    self_score: float | None
    note: str


@dataclass(frozen=True)
class SelfAssessment:
    """Everything one unit's 自评表 shows: the rubric's items as scored so far and the activities."""

    unit: str
    year: int
    region: str
    rubric_id: int
    rubric_name: str
    items: list[TemplateItem]
    activities: list[ActivityLine]


@dataclass(frozen=True)
class ResultsTable:
    """The 考核结果汇总表's content: every unit's result, and each item's group and content."""

    region: str
    year: int
    rubric_name: str
    groups: list[str]  # in the rubric's order
    group_of: dict[str, str]  # item code → its group
    content_of: dict[str, str]  # item code → its 考核内容
    max_of: dict[str, float]  # item code → its 分值
    results: list[UnitResult]


def unit_activities(s: Session, year: int, unit_id: int) -> list[ActivityLine]:
    """The activities the unit organised in the year, in date order: what its scores rest on."""
    period = year_period(year)
    rows = s.execute(
        select(
            Activity.start_date,
            Activity.title,
            ActivityType.name,
            Place.name,
            Activity.participants,
        )
        .join(ActivityType, ActivityType.id == Activity.type_id)
        .outerjoin(Place, Place.id == Activity.place_id)
        .where(Activity.unit_id == unit_id, Activity.start_date.between(period.start, period.end))
        .order_by(Activity.start_date, Activity.id)
    )
    return [ActivityLine(d, t, ty, p or "", n or 0) for d, t, ty, p, n in rows]


def _assessed(s: Session, rubric: Rubric, unit_name: str) -> Unit:
    unit = next((u for u in assessed_units(s, rubric) if u.name == unit_name), None)
    if unit is None:
        raise NotFoundError(f"“{unit_name}”不在《{rubric.name}》的考核对象中。")
    return unit


def _current_rubric(s: Session, year: int, rubric_id: int | None) -> Rubric:
    """The year's rubric, refused when a workbook made from another one names it."""
    rubric = rubric_for(s, year)
    if rubric_id is not None and rubric.id != rubric_id:
        raise ValidationError(
            f"这份自评表是按另一份评分细则生成的，{year} 年现行的是《{rubric.name}》；"
            "请重新生成自评表（kepu assessment template）后填写。"
        )
    return rubric


class AssessmentFiles:
    """The self-assessment workbook's round trip through the database, and the results table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def self_assessment(self, year: int, unit_name: str) -> SelfAssessment:
        with self.db.reading() as s:
            rubric = rubric_for(s, year)
            unit = _assessed(s, rubric, unit_name)
            (result,) = results(s, year, unit_name)
            scored = {i.code: i for i in result.items}
            items = [
                TemplateItem(
                    i.group,
                    i.code,
                    i.content,
                    i.standard,
                    i.max_points,
                    scored[i.code].auto,
                    scored[i.code].reason,
                    scored[i.code].self_score,
                    scored[i.code].note,
                )
                for i in rubric.items
            ]
            region = plan_for(s, year_period(year)).region
            return SelfAssessment(
                unit.name,
                year,
                region,
                rubric.id,
                rubric.name,
                items,
                unit_activities(s, year, unit.id),
            )

    def maxima(self, year: int, rubric_id: int | None = None) -> dict[str, float]:
        """Each item code's 分值 in the year's rubric (the one `rubric_id` names, when given)."""
        with self.db.reading() as s:
            return {i.code: i.max_points for i in _current_rubric(s, year, rubric_id).items}

    def set_self_scores(
        self,
        year: int,
        unit_name: str,
        scores: dict[str, tuple[float | None, str]],
        rubric_id: int | None = None,
        dry_run: bool = False,
    ) -> int:
        """Record a unit's 自评 (and 说明) for many items at once: all, or none.

        Everything is checked before the first write — each code is an item
        of the year's rubric (the one the workbook was made from, when
        `rubric_id` names it), each score within 0..分值, the unit assessed,
        the year not locked — and the writes share one transaction (each
        audited), so a refusal anywhere leaves every score as it was.
        Returns how many items were (or, with `dry_run`, would be) recorded.
        """
        with self.db.transaction() as s:
            rubric = _current_rubric(s, year, rubric_id)
            _assessed(s, rubric, unit_name)
            period = year_period(year)
            locks.ensure_writable(s, period.start, period.end)
            items = {i.code: i for i in rubric.items}
            for code, (value, _note) in scores.items():
                item = items.get(code)
                if item is None:
                    raise NotFoundError(f"《{rubric.name}》中没有编号为“{code}”的考核项目。")
                if value is not None and not 0 <= value <= item.max_points:
                    raise ValidationError(
                        f"{code} 的自评分 {value:g} 不在 0—{item.max_points:g} 分之内。", "score"
                    )
            if dry_run:
                return len(scores)
            for code, (value, note) in scores.items():
                set_score(s, year, unit_name, code, value, None, note)
            return len(scores)

    def results_table(self, year: int) -> ResultsTable:
        with self.db.reading() as s:
            rubric = rubric_for(s, year)
            region = plan_for(s, year_period(year)).region
            group_of = {i.code: i.group or "其他" for i in rubric.items}
            return ResultsTable(
                region,
                year,
                rubric.name,
                list(dict.fromkeys(group_of.values())),
                group_of,
                {i.code: i.content for i in rubric.items},
                {i.code: i.max_points for i in rubric.items},
                results(s, year),
            )
