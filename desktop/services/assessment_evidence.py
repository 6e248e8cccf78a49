"""What a unit's evidence book (台账资料汇编) holds: per rubric item, the activities that count.

The activities an item lists are the ones its score was counted from —
the same filter (desktop/services/assessment.py `activity_conditions`), so
a reviewer leafing through the book finds each counted activity and its
photos, sign-in sheets and files. Reporting and manual items list none;
a lead-task item lists the year's activities serving the unit's lead tasks.

Only names, sizes and where the files are stored are read here; the photos
themselves are opened one at a time by the PDF writer
(desktop/exporting/evidence_book.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.db import Database
from desktop.errors import NotFoundError
from desktop.models import Activity, Plan, Rubric, Section, Task, TaskUnit, Unit, activity_task
from desktop.services.assessment import ItemScore, assessed_units, results, rubric_for
from desktop.services.assessment_facts import activity_conditions
from desktop.services.assessment_rules import rule_text
from desktop.services.evidence import evidence_dir
from desktop.services.periods import year_period
from desktop.services.reporting import OFFICE_KIND

PHOTO, SHEET, PDF, OTHER = "photo", "sheet", "pdf", "other"
# Rule kinds whose score is counted from activities; the others list none.
COUNTED_KINDS = ("activities", "participants", "evidence", "media", "lead_tasks")


@dataclass(frozen=True)
class BookFile:
    """One evidence file: `role` says how the book shows it (embedded, appended or listed)."""

    name: str
    role: str
    sha256: str
    size: int
    path: Path


@dataclass(frozen=True)
class BookActivity:
    id: int
    day: date
    title: str
    place: str
    unit: str
    participants: int
    files: list[BookFile]


@dataclass(frozen=True)
class BookItem:
    code: str
    group: str
    content: str
    standard: str
    basis: str
    rule: str
    score: ItemScore
    counted: bool
    activities: list[BookActivity]


@dataclass(frozen=True)
class Book:
    unit: str
    year: int
    rubric: str
    region: str
    total: float
    scale: float
    rank: int
    grade: str
    items: list[BookItem]


def file_role(name: str, kind: str) -> str:
    """Photos and scanned sheets are embedded, PDFs appended, anything else listed by name."""
    if kind == "image":
        return SHEET if "签到" in name else PHOTO
    return PDF if name.lower().endswith(".pdf") else OTHER


def _lead_conditions(s: Session, rubric: Rubric, unit: Unit, year: int) -> list[Any]:
    """The year's activities (of any unit) serving a task the unit leads, as the score counts
    (the office itself: any task of the plan)."""
    period = year_period(year)
    leads = (
        select(TaskUnit.task_id)
        .join(Task, Task.id == TaskUnit.task_id)
        .join(Section, Section.id == Task.section_id)
        .where(
            Section.plan_id == rubric.plan_id, TaskUnit.role == "lead", TaskUnit.unit_id == unit.id
        )
    )
    if unit.kind == OFFICE_KIND:
        leads = select(Task.id).join(Section).where(Section.plan_id == rubric.plan_id)
    serving = select(activity_task.c.activity_id).where(activity_task.c.task_id.in_(leads))
    return [Activity.id.in_(serving), Activity.start_date.between(period.start, period.end)]


def _row(a: Activity, folder: Path) -> BookActivity:
    return BookActivity(
        a.id,
        a.start_date,
        a.title,
        a.place.name if a.place else "",
        a.unit.name,
        a.participants,
        [
            BookFile(
                e.original_name,
                file_role(e.original_name, e.kind),
                e.sha256,
                e.size,
                folder / e.stored_name,
            )
            for e in a.evidence
        ],
    )


def item_activities(
    s: Session, rubric: Rubric, unit: Unit, year: int
) -> dict[str, list[BookActivity]]:
    """Item code → the activities that count for it, by date; items scored otherwise are absent."""
    folder = evidence_dir()
    out: dict[str, list[BookActivity]] = {}
    for item in rubric.items:
        rule = item.rule or {}
        kind = rule.get("kind")
        if kind not in COUNTED_KINDS:
            continue
        conds = (
            _lead_conditions(s, rubric, unit, year)
            if kind == "lead_tasks"
            else activity_conditions(rule, year, None if unit.kind == OFFICE_KIND else [unit.id])
        )
        rows = s.scalars(
            select(Activity)
            .where(*conds)
            .order_by(Activity.start_date, Activity.id)
            .options(
                selectinload(Activity.evidence),
                selectinload(Activity.place),
                selectinload(Activity.unit),
            )
        )
        out[item.code] = [_row(a, folder) for a in rows]
    return out


def book(db: Database, year: int, unit_name: str) -> Book:
    """Everything the evidence book of one unit and year prints, read in one go."""
    with db.reading() as s:
        rubric = rubric_for(s, year)
        unit = next((u for u in assessed_units(s, rubric) if u.name == unit_name), None)
        if unit is None:
            raise NotFoundError(f"“{unit_name}”不在《{rubric.name}》的考核对象中。")
        result = results(s, year, unit_name)[0]
        ranked = {r.unit: r.rank for r in results(s, year)}
        counted = item_activities(s, rubric, unit, year)
        plan = s.get(Plan, rubric.plan_id)
        scores = {i.code: i for i in result.items}
        items = [
            BookItem(
                item.code,
                item.group,
                item.content,
                item.standard,
                item.basis,
                rule_text(item.rule),
                scores[item.code],
                item.code in counted,
                counted.get(item.code, []),
            )
            for item in rubric.items
        ]
        return Book(
            unit_name,
            year,
            rubric.name,
            plan.region if plan else "",
            result.total,
            sum(i.max_points for i in rubric.items),
            ranked[unit_name],
            result.grade,
            items,
        )


def book_units(db: Database, year: int) -> list[str]:
    """The units the year's rubric assesses, in the ledger's order: one book each."""
    with db.reading() as s:
        return [u.name for u in assessed_units(s, rubric_for(s, year))]
