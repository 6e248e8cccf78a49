"""Plans: created from a plan document (template, parsed text or plan file), listed, activated.

The rows a document becomes, and the document read back from them, are
desktop/services/plan_store.py's; this service holds the transactions, the
active plan and the checks on deleting one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from desktop.db import Database
from desktop.errors import NotFoundError, ServiceError, ValidationError
from desktop.models import (
    Entry,
    Indicator,
    Plan,
    Section,
    Task,
    TaskUnit,
    activity_task,
)
from desktop.plan.document import PlanDocument
from desktop.services import audit
from desktop.services.periods import Period
from desktop.services.plan_store import (
    checked_document,
    plan_document,
    plan_from_document,
    plan_tree_options,
)


def unit_tasks(
    session: Session, unit_id: int, all_tasks: list[Task] | None = None
) -> list[tuple[Task, str]]:
    """The active plan's tasks a unit is responsible for, in plan order, with its role
    (lead / cooperating): what its collection workbook lists, and why it is expected to report."""
    if all_tasks is None:
        all_tasks = plan_tasks(session, active_plan(session).id)
    roles = {
        link.task_id: link.role
        for link in session.scalars(select(TaskUnit).where(TaskUnit.unit_id == unit_id))
    }
    return [(t, roles[t.id]) for t in all_tasks if t.id in roles]


def check_period_in_plan(plan: Plan, period: Period) -> None:
    """A period outside the plan's years has no targets: nothing may be recorded,
    locked or reported for it."""
    if not plan.first_year <= period.year <= plan.last_year:
        raise ValidationError(
            f"统计期 {period.label} 不在实施方案期限（{plan.first_year}—{plan.last_year}年）内。",
            "period",
        )


def plan_by_code(session: Session, code: str) -> Plan:
    plan = session.scalar(select(Plan).where(Plan.code == code))
    if plan is None:
        known = "、".join(session.scalars(select(Plan.code).order_by(Plan.first_year)))
        raise NotFoundError(f"没有编号为“{code}”的实施方案（已有：{known or '无'}）。")
    return plan


def plan_for(session: Session, period: Period | None = None, code: str | None = None) -> Plan:
    """The plan a period is reported under: the one named, else the one whose years cover it
    (the active one when two do), else the active plan.

    At a plan period's turn the office files the old period's last return
    and starts recording under the new plan in the same month, so a 2025
    figure goes to 2021–2025 and a 2026 one to 2026–2030 whichever is
    active. A period no plan covers is refused with the sentence every
    command uses (check_period_in_plan, against the active plan).
    """
    if code is not None:
        plan = plan_by_code(session, code)
        if period is not None:
            check_period_in_plan(plan, period)
        return plan
    active = active_plan(session)
    if period is None or active.first_year <= period.year <= active.last_year:
        return active
    covering = session.scalar(
        select(Plan)
        .where(Plan.first_year <= period.year, Plan.last_year >= period.year)
        .order_by(Plan.first_year.desc(), Plan.id.desc())
        .limit(1)
    )
    if covering is None:
        check_period_in_plan(active, period)  # raises, naming the active plan's years
    assert covering is not None
    return covering


def active_plan(session: Session) -> Plan:
    plan = session.scalar(select(Plan).where(Plan.is_active.is_(True)))
    if plan is None:
        raise NotFoundError("还没有启用的实施方案，请先新建或导入方案。")
    return plan


def plan_tasks(session: Session, plan_id: int, *options: ORMOption) -> list[Task]:
    """The plan's tasks as the plan prints them: section by section, each in its section's order."""
    return list(
        session.scalars(
            select(Task)
            .join(Section)
            .where(Section.plan_id == plan_id)
            .order_by(Section.sort_order, Task.sort_order)
            .options(*options)
        )
    )


_UNREAD: Any = object()  # the remembered active plan before it is read


class PlanService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._remembering = 0
        self._remembered: Plan | None = _UNREAD
        event.listen(db.engine, "commit", self._forget)

    @contextmanager
    def remembering(self) -> Iterator[None]:
        """Within it the active plan is read at most once.

        One refresh of the window asks for it from many places (the status
        bar, the page, its year list); a commit of this program's in between
        forgets it, and a change by another program is read at the next
        refresh, as before. Scopes nest.
        """
        self._remembering += 1
        try:
            yield
        finally:
            self._remembering -= 1
            if not self._remembering:
                self._remembered = _UNREAD

    def _forget(self, _conn: object) -> None:
        self._remembered = _UNREAD

    def _active_or_none(self) -> Plan | None:
        remembered = self._remembered
        if self._remembering and remembered is not _UNREAD:
            return remembered
        with self.db.reading() as s:
            plan = s.scalar(
                select(Plan).where(Plan.is_active.is_(True)).options(*plan_tree_options())
            )
        if self._remembering:
            self._remembered = plan
        return plan

    def create(self, doc: PlanDocument, activate: bool = True) -> int:
        """Store a checked copy of `doc` as a new plan; PlanFileError lists every fault."""
        doc = checked_document(doc)
        with self.db.transaction() as s:
            plan = plan_from_document(s, doc)
            if activate or s.scalar(select(func.count()).select_from(Plan)) == 1:
                self._activate(s, plan)
            return plan.id

    def plans(self) -> list[Plan]:
        with self.db.reading() as s:
            return list(s.scalars(select(Plan).order_by(Plan.first_year.desc(), Plan.id)))

    def active(self) -> Plan:
        """The active plan with its sections, tasks and units loaded."""
        plan = self._active_or_none()
        if plan is None:
            raise NotFoundError("还没有启用的实施方案，请先新建或导入方案。")
        return plan

    def for_period(self, period: Period | None = None, code: str | None = None) -> Plan:
        """The plan `period` is reported under (see plan_for), with its tree loaded."""
        with self.db.reading() as s:
            found = plan_for(s, period, code)
            return s.scalars(
                select(Plan).where(Plan.id == found.id).options(*plan_tree_options())
            ).one()

    def has_active(self) -> bool:
        if self._remembering:  # the plan itself is asked for next: read it once, now
            return self._active_or_none() is not None
        with self.db.reading() as s:
            return s.scalar(select(Plan.id).where(Plan.is_active.is_(True))) is not None

    def activate(self, plan_id: int) -> None:
        with self.db.transaction() as s:
            plan = s.get(Plan, plan_id)
            if plan is None:
                raise NotFoundError("方案不存在。")
            self._activate(s, plan)

    @staticmethod
    def _activate(s: Session, plan: Plan) -> None:
        for other in s.scalars(select(Plan).where(Plan.is_active.is_(True))):
            other.is_active = False
        plan.is_active = True
        s.flush()
        audit.record(s, "activate", "plan", plan.id, f"启用方案 {plan.name}")

    def tasks(self, plan_id: int | None = None) -> list[Task]:
        with self.db.reading() as s:
            return plan_tasks(
                s,
                plan_id or active_plan(s).id,
                selectinload(Task.section),
                selectinload(Task.unit_links).selectinload(TaskUnit.unit),
            )

    def indicators(self, plan_id: int | None = None) -> list[Indicator]:
        with self.db.reading() as s:
            pid = plan_id or active_plan(s).id
            return list(
                s.scalars(
                    select(Indicator)
                    .where(Indicator.plan_id == pid)
                    .order_by(Indicator.sort_order)
                    .options(selectinload(Indicator.year_targets), selectinload(Indicator.task))
                )
            )

    def document(self, plan_id: int | None = None) -> PlanDocument:
        """The plan as a document (the active one by default), for files, dialogs and JSON."""
        with self.db.reading() as s:
            plan = s.get(Plan, plan_id) if plan_id else active_plan(s)
            if plan is None:
                raise NotFoundError("方案不存在。")
            return plan_document(s, plan)

    def delete(self, plan_id: int) -> None:
        """Delete a plan only when no activity or entry refers to it."""
        with self.db.transaction() as s:
            plan = s.get(Plan, plan_id)
            if plan is None:
                raise NotFoundError("方案不存在。")
            linked = s.scalar(
                select(func.count(func.distinct(activity_task.c.activity_id)))
                .select_from(activity_task)
                .join(Task, Task.id == activity_task.c.task_id)
                .join(Section)
                .where(Section.plan_id == plan_id)
            )
            entries = s.scalar(
                select(func.count(Entry.id)).join(Indicator).where(Indicator.plan_id == plan_id)
            )
            if linked or entries:
                raise ServiceError(
                    f"方案“{plan.name}”已有 {linked} 条活动关联其任务、{entries} 条填报数据，不能删除。"
                )
            audit.record(s, "delete", "plan", plan.id, f"删除方案 {plan.name}")
            s.delete(plan)
