"""What the ledger knows for a rubric rule: the facts an automatic score is made from.

For member units each rule's facts are read in one query for all of them
(grouped by unit), never one per unit; for the office itself assessed (the
city assessing the county) the whole ledger is its work. Scoring
(desktop/services/assessment.py) and the evidence book
(desktop/services/assessment_evidence.py) read the same conditions, so the
book lists exactly the activities a score was counted from.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from desktop.models import (
    Activity,
    ActivityType,
    Evidence,
    Plan,
    Section,
    Submission,
    Task,
    TaskUnit,
    activity_task,
)
from desktop.services.periods import parse_period, year_period
from desktop.services.plans import plan_tasks
from desktop.services.reporting import LATE, RECEIVED, collected_kind, due_date, period_report


def evidence_kind(kind: str) -> Any:
    """SQL for "this activity has evidence of `kind`": by how it was stored and what it is called."""
    name = Evidence.original_name
    conds = {
        "照片": Evidence.kind == "image",
        "签到表": name.contains("签到"),
        "会议记录": or_(name.contains("会议"), name.contains("纪要")),
        "文件": Evidence.kind == "file",
    }
    return exists().where(Evidence.activity_id == Activity.id, conds[kind])


def activity_facts(
    s: Session, rule: dict[str, Any], year: int, unit_ids: list[int]
) -> dict[int, float]:
    """Per unit: the count (or 人次) the rule asks of its activities in the year."""
    value = (
        func.coalesce(func.sum(Activity.participants), 0)
        if rule.get("kind") == "participants"
        else (func.count(Activity.id))
    )
    conds = activity_conditions(rule, year, unit_ids)
    rows = s.execute(select(Activity.unit_id, value).where(*conds).group_by(Activity.unit_id))
    return {unit_id: float(v) for unit_id, v in rows}


def office_facts(s: Session, rule: dict[str, Any], year: int) -> float:
    """The count (or 人次) the rule asks of the whole ledger: the office's own work."""
    value = (
        func.coalesce(func.sum(Activity.participants), 0)
        if rule.get("kind") == "participants"
        else func.count(Activity.id)
    )
    return float(s.scalar(select(value).where(*activity_conditions(rule, year, None))) or 0)


def activity_conditions(rule: dict[str, Any], year: int, unit_ids: list[int] | None) -> list[Any]:
    """SQL conditions for "this activity counts for the rule": scoring and the evidence book
    (desktop/services/assessment_evidence.py) read the same ones, so the book lists exactly
    the activities the score was counted from. No unit ids: every unit's (the office itself
    assessed, where the whole ledger is its work)."""
    period = year_period(year)
    kind = rule.get("kind")
    conds = [Activity.start_date.between(period.start, period.end)]
    if unit_ids is not None:
        conds.append(Activity.unit_id.in_(unit_ids))
    if rule.get("types"):
        conds.append(
            Activity.type_id.in_(
                select(ActivityType.id).where(ActivityType.code.in_(rule["types"]))
            )
        )
    if kind == "media":
        conds.append(Activity.media != "")
    if rule.get("evidence"):
        conds.append(evidence_kind(rule["evidence"]))
    return conds


def reporting_facts(s: Session, year: int, unit_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per unit: (periods received by the due date, periods expected) of the year's collection."""
    kind = collected_kind(s)
    codes = (
        [str(year)]
        if kind == "year"
        else [f"{year}Q{q}" for q in range(1, 5)]
        if kind == "quarter"
        else [f"{year}{m:02d}" for m in range(1, 13)]
    )
    out = {u: (0, 0) for u in unit_ids}
    for code in codes:
        period = parse_period(code)
        if period.end >= date.today():
            continue  # not over yet: neither on time nor late
        for r in period_report(s, period).units:
            if r.unit_id not in out or r.status not in (RECEIVED, LATE, "missing"):
                continue
            on_time, expected = out[r.unit_id]
            out[r.unit_id] = (on_time + (r.status == RECEIVED), expected + 1)
    return out


def lead_facts(
    s: Session, plan: Plan, year: int, unit_ids: list[int]
) -> dict[int, tuple[int, int]]:
    """Per unit: (its lead tasks served by at least one activity in the year, its lead tasks)."""
    period = year_period(year)
    served = set(
        s.scalars(
            select(activity_task.c.task_id)
            .join(Activity, Activity.id == activity_task.c.activity_id)
            .where(Activity.start_date.between(period.start, period.end))
            .distinct()
        )
    )
    leads = s.execute(
        select(TaskUnit.unit_id, TaskUnit.task_id)
        .join(Task, Task.id == TaskUnit.task_id)
        .join(Section, Section.id == Task.section_id)
        .where(Section.plan_id == plan.id, TaskUnit.role == "lead", TaskUnit.unit_id.in_(unit_ids))
    )
    out: dict[int, tuple[int, int]] = {}
    for unit_id, task_id in leads:
        done, n = out.get(unit_id, (0, 0))
        out[unit_id] = (done + (task_id in served), n + 1)
    return out


def office_reporting(s: Session, year: int) -> tuple[int, int]:
    """The office's own final returns of the year's periods, sent by the due date: (on time,
    periods ended). The kind of period is that of its latest final return, else the year."""
    latest = s.scalar(
        select(Submission.period)
        .where(Submission.kind == "return", Submission.final.is_(True))
        .order_by(Submission.created_at.desc())
        .limit(1)
    )
    kind = parse_period(latest).kind if latest and latest[:4].isdigit() else "year"
    codes = {
        "year": [str(year)],
        "quarter": [f"{year}Q{q}" for q in range(1, 5)],
        "month": [f"{year}{m:02d}" for m in range(1, 13)],
    }[kind]
    on_time = expected = 0
    for code in codes:
        period = parse_period(code)
        if period.end >= date.today():
            continue
        expected += 1
        due, _ = due_date(s, period)
        sent = s.scalar(
            select(func.min(Submission.created_at)).where(
                Submission.kind == "return", Submission.final.is_(True), Submission.period == code
            )
        )
        on_time += sent is not None and sent.date() <= due
    return on_time, expected


def office_leads(s: Session, plan: Plan, year: int) -> tuple[int, int]:
    """The plan's tasks served by at least one activity in the year, of all its tasks."""
    period = year_period(year)
    served = set(
        s.scalars(
            select(activity_task.c.task_id)
            .join(Activity, Activity.id == activity_task.c.activity_id)
            .where(Activity.start_date.between(period.start, period.end))
        )
    )
    tasks = [t.id for t in plan_tasks(s, plan.id)]
    return sum(t in served for t in tasks), len(tasks)
