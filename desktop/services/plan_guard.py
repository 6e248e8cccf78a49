"""An ended plan is read-only: one rule, checked wherever a plan's structure is written.

A plan is ended once a later plan follows it (desktop/services/plan_periods.py
starts one); the structure its filed returns and its evaluation were made
from must not change under them. Every editing transaction carries the
guard (a before-flush check of what the session is about to write), so no
route — editor, plan file update, target entry — can skip it. An unlock
with a reason, kept on the plan, lifts it.
"""

from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from desktop.errors import ServiceError
from desktop.models import (
    Indicator,
    IndicatorYearTarget,
    Plan,
    Section,
    SectionUnit,
    Task,
    TaskUnit,
)


def is_ended(session: Session, plan: Plan) -> bool:
    """Whether a later plan follows this one."""
    return (
        session.scalar(select(Plan.id).where(Plan.first_year > plan.last_year).limit(1)) is not None
    )


def is_read_only(session: Session, plan: Plan) -> bool:
    return plan.edit_unlocked_at is None and is_ended(session, plan)


def _get(session: Session, cls: type, ident: int | None) -> object | None:
    """The row, or None for an object not yet flushed (its key still unset)."""
    return session.get(cls, ident) if ident is not None else None


def _plan_of(session: Session, obj: object) -> int | None:
    """The plan an object of a plan's structure belongs to; None for a plan not yet stored."""
    if isinstance(obj, Plan):
        return obj.id
    if isinstance(obj, Section | Indicator):
        return obj.plan_id if obj.plan_id is not None else (obj.plan.id if obj.plan else None)
    if isinstance(obj, Task):
        section = obj.section or _get(session, Section, obj.section_id)
        return _plan_of(session, section) if section else None
    if isinstance(obj, TaskUnit):
        task = obj.task or _get(session, Task, obj.task_id)
        return _plan_of(session, task) if task else None
    if isinstance(obj, SectionUnit):
        section = obj.section or _get(session, Section, obj.section_id)
        return _plan_of(session, section) if section else None
    if isinstance(obj, IndicatorYearTarget):
        ind = obj.indicator or _get(session, Indicator, obj.indicator_id)
        return _plan_of(session, ind) if ind else None
    return None


# What may change on an ended plan: whether it is the active one, and its unlock.
_ALWAYS = {"is_active", "edit_unlocked_at", "edit_unlock_reason", "updated_at"}


def _refuse_ended_edits(session: Session, _context: object, _instances: object) -> None:
    touched: set[int] = set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, Plan) and obj in session.dirty:
            changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
            if not changed - _ALWAYS:
                continue
        plan_id = _plan_of(session, obj)
        if plan_id is not None:
            touched.add(plan_id)
    for plan_id in touched:
        plan = session.get(Plan, plan_id)
        if plan is not None and is_read_only(session, plan):
            raise ServiceError(
                f"方案“{plan.name}”（{plan.first_year}—{plan.last_year}年）已结束，结构只读："
                "它的报表和评估都以此为准。确需修改，请先解锁并写明理由"
                f"（kepu plan unlock --plan {plan.code} --reason …）。"
            )


def guard_ended_plans(session: Session) -> None:
    """Refuse, in this session, any change to an ended plan's structure (see the module)."""
    event.listen(session, "before_flush", _refuse_ended_edits)
