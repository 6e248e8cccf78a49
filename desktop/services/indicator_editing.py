"""A plan's indicators: adding, changing, reordering and removing one.

An indicator is held to the plan file's rules (desktop/plan/validation.py)
among the plan's other indicators. A percent computed from two others
guards them: a part may not stop being a level or count indicator, nor be
removed, while a percent names it. Entries decide how an indicator sums,
so its measure is fixed once it has any.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.errors import ServiceError, ValidationError
from desktop.models import Entry, Indicator, Plan, Section, Task
from desktop.plan.document import IndicatorDoc
from desktop.plan.ratios import PART_MEASURES
from desktop.plan.validation import indicator_problems
from desktop.plan.vocabulary import FIELD_LABELS
from desktop.services import audit
from desktop.services.editing_rules import (
    Dependents,
    Editor,
    ensure_no_locked_entries,
    found,
    move,
    refuse,
)
from desktop.services.plan_store import apply_indicator, indicator_document, link_parts


class IndicatorEditing(Editor):
    def add_indicator(self, plan_id: int, doc: IndicatorDoc) -> int:
        """Add an indicator (its code may be blank: the next free one is given)."""
        with self.db.transaction() as s:
            plan = found(s, Plan, plan_id, "方案")
            rows = indicator_rows(s, plan.id)
            doc = checked_indicator(s, plan, replace(doc, code=doc.code or _free_code(rows)), rows)
            if doc.code in rows:
                raise ValidationError(f"指标编号“{doc.code}”已被使用。", "code")
            ind = Indicator(plan_id=plan.id, sort_order=len(rows))
            apply_indicator(ind, doc, _task(s, plan, doc.task))
            link_parts(ind, doc, rows)
            s.add(ind)
            s.flush()
            audit.record(
                s,
                "create",
                "indicator",
                ind.id,
                f"新增指标 {ind.code} {ind.name}",
                audit_values(ind, rows),
            )
            return ind.id

    def update_indicator(self, indicator_id: int, doc: IndicatorDoc) -> None:
        with self.db.transaction() as s:
            ind = found(s, Indicator, indicator_id, "指标")
            plan = ind.plan
            rows = indicator_rows(s, plan.id)
            doc = checked_indicator(s, plan, replace(doc, code=doc.code or ind.code), rows, ind)
            if rows.get(doc.code, ind) is not ind:
                raise ValidationError(f"指标编号“{doc.code}”已被使用。", "code")
            entries = check_measure_kept(s, ind, doc.measure)
            if entries and doc.source == "derived":
                raise ValidationError(
                    f"指标“{ind.name}”已有 {entries} 条填报数据，不能改为由台账统计。", "source"
                )
            before = audit_values(ind, rows)
            apply_indicator(ind, doc, _task(s, plan, doc.task))
            link_parts(ind, doc, rows)
            s.flush()
            changes = audit.diff(before, audit_values(ind, rows))
            if changes:
                audit.record(s, "update", "indicator", ind.id, f"修改指标 {ind.code}", changes)

    def move_indicator(self, indicator_id: int, step: int) -> bool:
        with self.db.transaction() as s:
            ind = found(s, Indicator, indicator_id, "指标")
            moved = move(list(indicator_rows(s, ind.plan_id).values()), ind, step)
            if moved:
                audit.record(
                    s, "reorder", "indicator", ind.id, f"调整顺序 {ind.code}", {"step": step}
                )
            return moved

    def indicator_dependents(self, indicator_id: int) -> Dependents:
        with self.db.reading() as s:
            return Dependents(entries=_entry_count(s, indicator_id))

    def remove_indicator(self, indicator_id: int, confirm: bool = False) -> None:
        """Remove an indicator; with entries only when confirmed, never in a locked period."""
        with self.db.transaction() as s:
            ind = found(s, Indicator, indicator_id, "指标")
            users = ratio_users(s, ind)
            if users:
                named = "、".join(f"{user.code}“{user.name}”的{role}" for role, user in users)
                raise ServiceError(
                    f"指标 {ind.code}“{ind.name}”是比率指标 {named}，不能删除；"
                    "请先在那个指标中取消或更换分子、分母。"
                )
            entries = list(s.scalars(select(Entry).where(Entry.indicator_id == ind.id)))
            if entries and not confirm:
                refuse(
                    f"指标 {ind.code}“{ind.name}”",
                    Dependents(entries=len(entries)),
                    "删除指标会同时删除这些填报数据。",
                )
            ensure_no_locked_entries(s, entries, f"指标“{ind.name}”")
            audit.record(
                s,
                "delete",
                "indicator",
                ind.id,
                f"删除指标 {ind.code} {ind.name}（含 {len(entries)} 条填报数据）",
                {
                    **audit_values(ind, indicator_rows(s, ind.plan_id)),
                    "entries": [[e.period, e.unit_id, e.value] for e in entries],
                },
            )
            for entry in entries:
                s.delete(entry)
            s.delete(ind)


def indicator_rows(s: Session, plan_id: int) -> dict[str, Indicator]:
    """The plan's indicators by code, in their order."""
    return {
        ind.code: ind
        for ind in s.scalars(
            select(Indicator)
            .where(Indicator.plan_id == plan_id)
            .order_by(Indicator.sort_order, Indicator.id)
        )
    }


def audit_values(ind: Indicator, rows: dict[str, Indicator]) -> dict[str, Any]:
    """What the audit trail keeps of an indicator: its document, parts named by code."""
    return indicator_document(ind, {row.id: code for code, row in rows.items()}).to_dict()


def checked_indicator(
    s: Session,
    plan: Plan,
    doc: IndicatorDoc,
    rows: dict[str, Indicator],
    ind: Indicator | None = None,
) -> IndicatorDoc:
    """The document with its text cleaned, checked among the plan's other indicators.

    `ind` is the row being changed, if any: a part of a percent must stay a
    level or count indicator.
    """
    data = doc.to_dict()
    task_codes = set(s.scalars(select(Task.code).join(Section).where(Section.plan_id == plan.id)))
    others = {code: row.measure for code, row in rows.items() if row is not ind}
    problems = indicator_problems(data, task_codes, plan.first_year, plan.last_year, others)
    if problems:
        raise ValidationError.of(
            [
                (field, message.replace("“rule”", FIELD_LABELS["rule"]))
                for field, message in problems
            ]
        )
    if ind is not None and data["measure"] not in PART_MEASURES:
        users = ratio_users(s, ind)
        if users:
            role, user = users[0]
            raise ValidationError(
                f"指标“{ind.name}”是比率指标 {user.code}“{user.name}”的{role}，"
                "计量方式只能是存量或累计数；如需改为比率，请先修改那个指标。",
                "measure",
            )
    return IndicatorDoc.from_dict(data)


def check_measure_kept(s: Session, ind: Indicator, measure: str) -> int:
    """Refuse a new measure once the indicator has entries; their count otherwise."""
    entries = _entry_count(s, ind.id)
    if entries and measure != ind.measure:
        raise ValidationError(
            f"指标“{ind.name}”已有 {entries} 条填报数据，不能改变计量方式"
            "（累计数/存量/比率决定数据如何汇总）。",
            "measure",
        )
    return entries


def ratio_users(s: Session, ind: Indicator) -> list[tuple[str, Indicator]]:
    """(分子/分母, percent indicator) for each indicator computed from `ind`."""
    users = s.scalars(
        select(Indicator)
        .where((Indicator.numerator_id == ind.id) | (Indicator.denominator_id == ind.id))
        .order_by(Indicator.sort_order, Indicator.id)
    )
    return [
        ("分子" if user.numerator_id == ind.id else "分母", user)
        for user in users
        if user.id != ind.id
    ]


def _entry_count(s: Session, indicator_id: int) -> int:
    return s.scalar(select(func.count(Entry.id)).where(Entry.indicator_id == indicator_id)) or 0


def _task(s: Session, plan: Plan, code: str | None) -> Task | None:
    if not code:
        return None
    return s.scalar(select(Task).join(Section).where(Section.plan_id == plan.id, Task.code == code))


def _free_code(rows: dict[str, Indicator]) -> str:
    n = 1
    while f"I{n:02d}" in rows:
        n += 1
    return f"I{n:02d}"
