"""Plans: created from a plan dict (template, parsed text or plan file), listed, activated.

The plan dict is the shape in resources/templates/SCHEMA.md; `plan_from_dict`
and `plan_to_dict` are inverse, so a plan survives export and import intact.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, selectinload

from desktop.cleaning import clean_line, clean_text, required
from desktop.db import Database
from desktop.errors import NotFoundError, ServiceError, ValidationError
from desktop.limits import checked, checked_or_none
from desktop.models import (
    Entry,
    Indicator,
    IndicatorYearTarget,
    Plan,
    Section,
    SectionUnit,
    Task,
    TaskUnit,
    activity_task,
)
from desktop.models.indicator import COMPARATORS, MEASURES, SOURCES, TARGET_MODES
from desktop.plan.validation import ratio_problems
from desktop.services import audit
from desktop.services.periods import Period
from desktop.services.reference import ensure_unit, group_by_name, seed_reference


def _check_plan_dict(data: dict[str, Any]) -> None:
    meta = data.get("plan") or {}
    for key in ("region", "name", "first_year", "last_year"):
        if not meta.get(key):
            raise ValidationError(f"方案缺少“{key}”。", key)
    names = [
        (f"行动/工程 {s.get('code', '')} 的标题", s.get("title"), "title")
        for s in data.get("sections") or []
    ]
    names += [
        (f"任务 {t.get('code') or ''} 的标题", t.get("title"), "title")
        for s in data.get("sections") or []
        for t in s.get("tasks") or []
    ]
    names += [
        (f"指标 {i.get('code', '')} 的名称", i.get("name"), "name")
        for i in data.get("indicators") or []
    ]
    for label, value, field in names:
        required(value, value or "", label, field)
    if int(meta["last_year"]) < int(meta["first_year"]):
        raise ValidationError("方案的结束年份早于起始年份。", "last_year")
    for ind in data.get("indicators") or []:
        where = f"指标 {ind.get('code', '?')}"
        if ind.get("measure") not in MEASURES:
            raise ValidationError(f"{where}：计量方式“{ind.get('measure')}”无效。", "measure")
        if ind.get("target_mode") not in TARGET_MODES:
            raise ValidationError(
                f"{where}：目标类型“{ind.get('target_mode')}”无效。", "target_mode"
            )
        if ind.get("comparator", ">=") not in COMPARATORS:
            raise ValidationError(f"{where}：比较符“{ind.get('comparator')}”无效。", "comparator")
        if ind.get("source", "manual") not in SOURCES:
            raise ValidationError(f"{where}：数据来源“{ind.get('source')}”无效。", "source")
    measures = {ind.get("code"): ind.get("measure") for ind in data.get("indicators") or []}
    for ind in data.get("indicators") or []:
        for key, message in ratio_problems(ind, measures):
            raise ValidationError(f"指标 {ind.get('code', '?')}：{message}", key)


def _parse_date(text: Any) -> date | None:
    if not text:
        return None
    if isinstance(text, date):
        return text
    return date.fromisoformat(str(text))


def _cleaned(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a plan dict with every text field cleaned (desktop/cleaning.py).

    Plan files are cleaned by their validator already; templates, parsed
    plan text and callers of the service are cleaned here, so whatever the
    route, a plan stores the same text.
    """
    data = copy.deepcopy(data)
    meta = data.get("plan") or {}
    for key in ("region", "name", "doc_number"):
        if isinstance(meta.get(key), str):
            meta[key] = clean_line(meta[key])
    for sec in data.get("sections") or []:
        sec["title"] = clean_line(sec.get("title"))
        for t in sec.get("tasks") or []:
            t["title"] = clean_line(t.get("title"))
            t["number"] = clean_line(t.get("number"))
            t["text"] = clean_text(t.get("text"))
    for ind in data.get("indicators") or []:
        ind["name"] = clean_line(ind.get("name"))
        ind["unit"] = clean_line(ind.get("unit"))
        ind["quote"] = clean_text(ind.get("quote"))
    return data


def plan_from_dict(session: Session, data: dict[str, Any], code: str | None = None) -> Plan:
    """Build a plan, its units, sections, tasks and indicators in the open transaction."""
    data = _cleaned(data)
    _check_plan_dict(data)
    seed_reference(session)
    meta = data["plan"]
    code = code or data.get("id") or f"{meta['region']}-{meta['first_year']}-{meta['last_year']}"
    if session.scalar(select(Plan).where(Plan.code == code)) is not None:
        raise ServiceError(f"已存在编号为“{code}”的方案。")
    for unit in data.get("units") or []:
        ensure_unit(session, unit["name"], unit.get("aliases") or [])
    plan = Plan(
        code=code,
        name=meta["name"],
        region=meta["region"],
        level=meta.get("level") or "county",
        first_year=int(meta["first_year"]),
        last_year=int(meta["last_year"]),
        doc_number=meta.get("doc_number"),
        issue_date=_parse_date(meta.get("issue_date")),
        literacy_baseline=meta.get("literacy_baseline"),
        literacy_baseline_year=meta.get("literacy_baseline_year"),
        literacy_target=meta.get("literacy_target"),
        source=data.get("id"),
    )
    session.add(plan)
    tasks_by_code: dict[str, Task] = {}
    for s_order, sec in enumerate(data.get("sections") or []):
        group = group_by_name(session, sec["target_group"]) if sec.get("target_group") else None
        section = Section(
            code=sec["code"],
            kind=sec.get("kind") or "action",
            sort_order=s_order,
            title=sec["title"],
            target_group=group,
        )
        plan.sections.append(section)
        linked: set[int] = set()
        for u_order, link in enumerate(sec.get("units") or []):
            unit = ensure_unit(session, link["name"])
            if unit.id in linked:  # 市科协 and 市 科协: one unit, named twice
                continue
            linked.add(unit.id)
            section.unit_links.append(SectionUnit(unit=unit, role=link["role"], sort_order=u_order))
        for t_order, t in enumerate(sec.get("tasks") or []):
            task = Task(
                code=t.get("code") or f"{sec['code']}.{t_order + 1}",
                number=str(t.get("number") or ""),
                sort_order=t_order,
                title=t["title"],
                text=t.get("text") or "",
            )
            section.tasks.append(task)
            seen: set[int] = set()
            for u_order, link in enumerate(t.get("units") or []):
                unit = ensure_unit(session, link["name"])
                if unit.id in seen:
                    continue
                seen.add(unit.id)
                task.unit_links.append(TaskUnit(unit=unit, role=link["role"], sort_order=u_order))
            tasks_by_code[task.code] = task
    session.flush()
    created: dict[str, Indicator] = {}
    for i_order, ind in enumerate(data.get("indicators") or []):
        task_code = ind.get("task")
        if task_code and task_code not in tasks_by_code:
            raise ValidationError(f"指标 {ind['code']} 所属任务“{task_code}”不存在。", "task")
        indicator = Indicator(
            plan_id=plan.id,
            code=ind["code"],
            name=ind["name"],
            uom=ind.get("unit") or "",
            measure=ind["measure"],
            task_id=tasks_by_code[task_code].id if task_code else None,
            target_mode=ind["target_mode"],
            target=checked_or_none("target", ind.get("target"), f"指标 {ind['code']} 的目标值"),
            comparator=ind.get("comparator") or ">=",
            baseline=checked_or_none(
                "baseline", ind.get("baseline"), f"指标 {ind['code']} 的基期值"
            ),
            baseline_year=ind.get("baseline_year"),
            source=ind.get("source") or "manual",
            rule=ind.get("rule"),
            sort_order=i_order,
            quote=ind.get("quote") or "",
        )
        for year, value in (ind.get("targets_by_year") or {}).items():
            value = checked("target", value, f"指标 {ind['code']} {year} 年目标")
            indicator.year_targets.append(IndicatorYearTarget(year=int(year), value=float(value)))
        session.add(indicator)
        created[indicator.code] = indicator
    session.flush()
    for ind in data.get("indicators") or []:
        if ind.get("numerator") and ind.get("denominator"):
            indicator = created[ind["code"]]
            indicator.numerator_id = created[ind["numerator"]].id
            indicator.denominator_id = created[ind["denominator"]].id
    session.flush()
    audit.record(session, "create", "plan", plan.id, f"新建方案 {plan.name}")
    return plan


def plan_to_dict(session: Session, plan: Plan) -> dict[str, Any]:
    """The plan in the SCHEMA.md shape (inverse of plan_from_dict)."""
    sections = []
    unit_names: dict[str, list[str]] = {}

    def note_unit(unit: Any) -> str:
        unit_names.setdefault(unit.name, [a.alias for a in unit.aliases])
        return unit.name

    for sec in plan.sections:
        sections.append(
            {
                "code": sec.code,
                "kind": sec.kind,
                "title": sec.title,
                "target_group": sec.target_group.name if sec.target_group else None,
                "units": [
                    {"name": note_unit(link.unit), "role": link.role} for link in sec.unit_links
                ],
                "tasks": [
                    {
                        "code": t.code,
                        "number": t.number,
                        "title": t.title,
                        "text": t.text,
                        "units": [
                            {"name": note_unit(link.unit), "role": link.role}
                            for link in t.unit_links
                        ],
                    }
                    for t in sec.tasks
                ],
            }
        )
    indicators = []
    rows = list(
        session.scalars(
            select(Indicator).where(Indicator.plan_id == plan.id).order_by(Indicator.sort_order)
        )
    )
    codes = {ind.id: ind.code for ind in rows}
    for ind in rows:
        indicators.append(
            {
                "code": ind.code,
                "name": ind.name,
                "unit": ind.uom,
                "measure": ind.measure,
                "task": ind.task.code if ind.task else None,
                "target_mode": ind.target_mode,
                "target": ind.target,
                "targets_by_year": {t.year: t.value for t in ind.year_targets} or None,
                "comparator": ind.comparator,
                "baseline": ind.baseline,
                "baseline_year": ind.baseline_year,
                "source": ind.source,
                "rule": ind.rule,
                "numerator": codes.get(ind.numerator_id) if ind.numerator_id else None,
                "denominator": codes.get(ind.denominator_id) if ind.denominator_id else None,
                "quote": ind.quote,
            }
        )
    return {
        "id": plan.code,
        "plan": {
            "region": plan.region,
            "level": plan.level,
            "name": plan.name,
            "first_year": plan.first_year,
            "last_year": plan.last_year,
            "doc_number": plan.doc_number,
            "issue_date": plan.issue_date.isoformat() if plan.issue_date else None,
            "literacy_baseline": plan.literacy_baseline,
            "literacy_baseline_year": plan.literacy_baseline_year,
            "literacy_target": plan.literacy_target,
        },
        "units": [{"name": n, "aliases": a} for n, a in unit_names.items()],
        "sections": sections,
        "indicators": indicators,
    }


def check_period_in_plan(plan: Plan, period: Period) -> None:
    """A period outside the plan's years has no targets: nothing may be recorded,
    locked or reported for it."""
    if not plan.first_year <= period.year <= plan.last_year:
        raise ValidationError(
            f"统计期 {period.label} 不在实施方案期限（{plan.first_year}—{plan.last_year}年）内。",
            "period",
        )


def active_plan(session: Session) -> Plan:
    plan = session.scalar(select(Plan).where(Plan.is_active.is_(True)))
    if plan is None:
        raise NotFoundError("还没有启用的实施方案，请先新建或导入方案。")
    return plan


def _plan_options():
    return (
        selectinload(Plan.sections)
        .selectinload(Section.tasks)
        .selectinload(Task.unit_links)
        .selectinload(TaskUnit.unit),
        selectinload(Plan.sections).selectinload(Section.target_group),
        selectinload(Plan.sections).selectinload(Section.unit_links).selectinload(SectionUnit.unit),
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
            plan = s.scalar(select(Plan).where(Plan.is_active.is_(True)).options(*_plan_options()))
        if self._remembering:
            self._remembered = plan
        return plan

    def create_from_dict(self, data: dict[str, Any], activate: bool = True) -> int:
        with self.db.transaction() as s:
            plan = plan_from_dict(s, data)
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

    def check_period(self, period: Period) -> None:
        """Raise unless `period` lies within the active plan's years."""
        with self.db.reading() as s:
            check_period_in_plan(active_plan(s), period)

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
            pid = plan_id or active_plan(s).id
            return list(
                s.scalars(
                    select(Task)
                    .join(Section)
                    .where(Section.plan_id == pid)
                    .order_by(Section.sort_order, Task.sort_order)
                    .options(
                        selectinload(Task.section),
                        selectinload(Task.unit_links).selectinload(TaskUnit.unit),
                    )
                )
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

    def to_dict(self, plan_id: int | None = None) -> dict[str, Any]:
        with self.db.reading() as s:
            plan = s.get(Plan, plan_id) if plan_id else active_plan(s)
            if plan is None:
                raise NotFoundError("方案不存在。")
            return plan_to_dict(s, plan)

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
