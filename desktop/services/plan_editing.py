"""Editing a plan after it was created: sections, tasks, units, indicators.

Each method is one transaction with its audit record. Removing something
that recorded data depends on (activities linked to a task, entries of an
indicator) is refused with a DependentsError that says what depends on it;
the caller may ask the user and repeat the call with confirm=True. Data in a
locked (submitted) period is never touched, confirmed or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, object_session, selectinload

from desktop.cleaning import clean_line, clean_text, required
from desktop.db import Database
from desktop.errors import NotFoundError, ServiceError, ValidationError
from desktop.limits import checked, checked_or_none
from desktop.models import (
    Activity,
    Entry,
    Indicator,
    IndicatorYearTarget,
    Plan,
    Section,
    SectionUnit,
    Task,
    TaskUnit,
    Unit,
    UnitAlias,
    activity_task,
)
from desktop.models.plan import ROLES
from desktop.plan.document import IndicatorDoc, PlanDocument, PlanInfo
from desktop.plan.validation import PART_MEASURES, RATIO_NAMES, indicator_problems
from desktop.plan.vocabulary import FIELD_LABELS, KIND_LABELS, ROLE_LABELS
from desktop.services import audit
from desktop.services.locks import active_locks
from desktop.services.periods import parse_period
from desktop.services.plan_store import apply_plan_info, plan_info
from desktop.services.reference import (
    ensure_unit,
    find_unit,
    group_by_name,
    guess_unit_kind,
    normalise_name,
)


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


def _get(s: Session, cls: type, ident: int, what: str) -> Any:
    obj = s.get(cls, ident)
    if obj is None:
        raise NotFoundError(f"{what}不存在（可能已被删除）。")
    return obj


def _title(text: str | None, what: str, limit: int) -> str:
    text = required(text, clean_line(text), what, "title")
    if len(text) > limit:
        raise ValidationError(f"{what}太长（{len(text)} 字，最多 {limit} 字）。", "title")
    return text


def _role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"角色“{role}”无效，应为牵头或配合。", "role")
    return role


def _move(siblings: list[Any], item: Any, step: int) -> bool:
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


def _activities_in_locked_periods(s: Session, ids: Select) -> int:
    """How many of the activities selected by `ids` fall in a locked period."""
    total = 0
    for lock in active_locks(s):
        total += (
            s.scalar(
                select(func.count(Activity.id)).where(
                    Activity.id.in_(ids),
                    Activity.start_date >= lock.start,
                    Activity.start_date <= lock.end,
                )
            )
            or 0
        )
    return total


def _ensure_no_locked_activities(s: Session, ids: Select, what: str) -> None:
    locked = _activities_in_locked_periods(s, ids)
    if locked:
        raise ServiceError(
            f"{what}关联的活动中有 {locked} 条属于已报送并锁定的统计期，不能删除；"
            "如确需删除，请先解锁相应统计期。"
        )


def _refuse(what: str, deps: Dependents, consequence: str) -> None:
    raise DependentsError(
        f"{what}已有 {deps.words()}。{consequence}如确定要删除，请确认后再删除。",
        {"activities": deps.activities, "indicators": deps.indicators, "entries": deps.entries},
    )


def _check_records_within_years(s: Session, plan: Plan) -> None:
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


class PlanEditingService:
    """Add, edit, reorder and remove the parts of a plan."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------ reading

    def tree(self, plan_id: int) -> Plan:
        """The plan with sections, tasks, unit links and target groups loaded, for screens."""
        with self.db.reading() as s:
            plan = s.scalar(
                select(Plan)
                .where(Plan.id == plan_id)
                .options(
                    selectinload(Plan.sections)
                    .selectinload(Section.tasks)
                    .selectinload(Task.unit_links)
                    .selectinload(TaskUnit.unit),
                    selectinload(Plan.sections).selectinload(Section.target_group),
                    selectinload(Plan.sections)
                    .selectinload(Section.unit_links)
                    .selectinload(SectionUnit.unit),
                )
            )
            if plan is None:
                raise NotFoundError("方案不存在。")
            return plan

    def unit_aliases(self, unit_id: int) -> list[str]:
        with self.db.reading() as s:
            return list(
                s.scalars(
                    select(UnitAlias.alias)
                    .where(UnitAlias.unit_id == unit_id)
                    .order_by(UnitAlias.alias)
                )
            )

    def unit_names(self) -> list[str]:
        """Every unit name and alias, for completion when linking a unit."""
        with self.db.reading() as s:
            names = list(s.scalars(select(Unit.name).order_by(Unit.sort_order, Unit.id)))
            return names + list(s.scalars(select(UnitAlias.alias).order_by(UnitAlias.alias)))

    # ------------------------------------------------------------ plan

    def update_plan(self, plan_id: int, info: PlanInfo) -> None:
        """Set the plan's own lines (name, region, years, 文号 …) to `info`'s."""
        with self.db.transaction() as s:
            plan = _get(s, Plan, plan_id, "方案")
            before = plan_info(plan)
            apply_plan_info(plan, info)
            plan.name = _title(plan.name, "方案名称", 200)
            plan.region = _title(plan.region, "地区", 50)
            if plan.last_year < plan.first_year:
                raise ValidationError("结束年份早于起始年份。", "last_year")
            if (plan.first_year, plan.last_year) != (before.first_year, before.last_year):
                _check_records_within_years(s, plan)
            for key in ("literacy_baseline", "literacy_target"):
                value = getattr(plan, key)
                if value is not None and not 0 <= value <= 100:
                    raise ValidationError("科学素质比例应在 0 到 100 之间。", key)
            changes = audit.diff(before.to_dict(), plan_info(plan).to_dict())
            if changes:
                audit.record(s, "update", "plan", plan.id, f"修改方案信息 {plan.name}", changes)

    # ------------------------------------------------------------ sections

    def add_section(
        self, plan_id: int, kind: str, title: str, target_group: str | None = None
    ) -> int:
        if kind not in KIND_LABELS:
            raise ValidationError(f"类别“{kind}”无效。", "kind")
        with self.db.transaction() as s:
            plan = _get(s, Plan, plan_id, "方案")
            prefix = "A" if kind == "action" else "P"
            codes = {sec.code for sec in plan.sections}
            n = 1
            while f"{prefix}{n}" in codes:
                n += 1
            section = Section(
                code=f"{prefix}{n}",
                kind=kind,
                title=_title(title, "行动/工程名称", 200),
                sort_order=len(plan.sections),
                target_group=self._group(s, target_group),
            )
            plan.sections.append(section)
            s.flush()
            audit.record(
                s, "create", "section", section.id, f"新增{KIND_LABELS[kind]} {section.title}"
            )
            return section.id

    @staticmethod
    def _group(s: Session, name: str | None) -> Any:
        return group_by_name(s, name.strip()) if name and name.strip() else None

    def update_section(
        self, section_id: int, kind: str, title: str, target_group: str | None
    ) -> None:
        if kind not in KIND_LABELS:
            raise ValidationError(f"类别“{kind}”无效。", "kind")
        with self.db.transaction() as s:
            section = _get(s, Section, section_id, "行动/工程")
            before = self._section_values(section)
            section.kind = kind
            section.title = _title(title, "行动/工程名称", 200)
            section.target_group = self._group(s, target_group)
            changes = audit.diff(before, self._section_values(section))
            if changes:
                audit.record(
                    s, "update", "section", section.id, f"修改行动/工程 {section.title}", changes
                )

    @staticmethod
    def _section_values(section: Section) -> dict[str, Any]:
        return {
            "kind": section.kind,
            "title": section.title,
            "target_group": section.target_group.name if section.target_group else None,
        }

    def move_section(self, section_id: int, step: int) -> bool:
        with self.db.transaction() as s:
            section = _get(s, Section, section_id, "行动/工程")
            moved = _move(section.plan.sections, section, step)
            if moved:
                audit.record(
                    s, "reorder", "section", section.id, f"调整顺序 {section.title}", {"step": step}
                )
            return moved

    def section_dependents(self, section_id: int) -> Dependents:
        with self.db.reading() as s:
            task_ids = select(Task.id).where(Task.section_id == section_id)
            return self._task_dependents(s, task_ids)

    @staticmethod
    def _task_dependents(s: Session, task_ids: Select) -> Dependents:
        activities = s.scalar(
            select(func.count(func.distinct(activity_task.c.activity_id))).where(
                activity_task.c.task_id.in_(task_ids)
            )
        )
        indicators = s.scalar(
            select(func.count(Indicator.id)).where(Indicator.task_id.in_(task_ids))
        )
        return Dependents(activities=activities or 0, indicators=indicators or 0)

    def remove_section(self, section_id: int, confirm: bool = False) -> None:
        with self.db.transaction() as s:
            section = _get(s, Section, section_id, "行动/工程")
            task_ids = select(Task.id).where(Task.section_id == section_id)
            deps = self._task_dependents(s, task_ids)
            what = f"“{section.title}”"
            if deps.any and not confirm:
                _refuse(
                    what,
                    deps,
                    "删除后这些活动不再关联其任务（活动本身保留），指标不再属于任何任务。",
                )
            activity_ids = select(activity_task.c.activity_id).where(
                activity_task.c.task_id.in_(task_ids)
            )
            _ensure_no_locked_activities(s, activity_ids, what)
            plan = section.plan
            audit.record(
                s,
                "delete",
                "section",
                section.id,
                f"删除行动/工程 {section.title}（{len(section.tasks)} 项任务）",
                {"activities_unlinked": deps.activities, "indicators_detached": deps.indicators},
            )
            plan.sections.remove(section)
            s.flush()
            for position, sibling in enumerate(plan.sections):
                sibling.sort_order = position

    # ------------------------------------------------------------ tasks

    def add_task(self, section_id: int, title: str, number: str = "", text: str = "") -> int:
        with self.db.transaction() as s:
            section = _get(s, Section, section_id, "行动/工程")
            codes = {
                code
                for code in s.scalars(
                    select(Task.code).join(Section).where(Section.plan_id == section.plan_id)
                )
            }
            n = len(section.tasks) + 1
            while f"{section.code}.{n}" in codes:
                n += 1
            task = Task(
                code=f"{section.code}.{n}",
                number=clean_line(number)[:20],
                title=_title(title, "任务标题", 300),
                text=clean_text(text),
                sort_order=len(section.tasks),
            )
            section.tasks.append(task)
            s.flush()
            audit.record(s, "create", "task", task.id, f"新增任务 {task.code} {task.title}")
            return task.id

    def update_task(self, task_id: int, title: str, number: str, text: str) -> None:
        with self.db.transaction() as s:
            task = _get(s, Task, task_id, "任务")
            before = {"title": task.title, "number": task.number, "text": task.text}
            task.title = _title(title, "任务标题", 300)
            task.number = clean_line(number)[:20]
            if len(task.number) > 20:
                raise ValidationError("序号太长（最多 20 字）。", "number")
            task.text = clean_text(text)
            changes = audit.diff(
                before, {"title": task.title, "number": task.number, "text": task.text}
            )
            if changes:
                audit.record(s, "update", "task", task.id, f"修改任务 {task.code}", changes)

    def move_task(self, task_id: int, step: int) -> bool:
        with self.db.transaction() as s:
            task = _get(s, Task, task_id, "任务")
            moved = _move(task.section.tasks, task, step)
            if moved:
                audit.record(s, "reorder", "task", task.id, f"调整顺序 {task.code}", {"step": step})
            return moved

    def task_dependents(self, task_id: int) -> Dependents:
        with self.db.reading() as s:
            return self._task_dependents(s, select(Task.id).where(Task.id == task_id))

    def remove_task(self, task_id: int, confirm: bool = False) -> None:
        with self.db.transaction() as s:
            task = _get(s, Task, task_id, "任务")
            task_ids = select(Task.id).where(Task.id == task_id)
            deps = self._task_dependents(s, task_ids)
            what = f"任务 {task.code}“{task.title}”"
            if deps.any and not confirm:
                _refuse(
                    what,
                    deps,
                    "删除后这些活动不再关联该任务（活动本身保留），指标不再属于任何任务。",
                )
            activity_ids = select(activity_task.c.activity_id).where(
                activity_task.c.task_id == task_id
            )
            _ensure_no_locked_activities(s, activity_ids, what)
            section = task.section
            audit.record(
                s,
                "delete",
                "task",
                task.id,
                f"删除任务 {task.code} {task.title}",
                {"activities_unlinked": deps.activities, "indicators_detached": deps.indicators},
            )
            section.tasks.remove(task)
            s.flush()
            for position, sibling in enumerate(section.tasks):
                sibling.sort_order = position

    # ------------------------------------------------------------ unit links

    def add_task_unit(self, task_id: int, unit_name: str, role: str) -> int:
        """Link a unit (found by name or alias, created when new) to a task."""
        with self.db.transaction() as s:
            task = _get(s, Task, task_id, "任务")
            unit = ensure_unit(s, _title(unit_name, "单位名称", 100))
            if any(link.unit_id == unit.id for link in task.unit_links):
                raise ValidationError(f"“{unit.name}”已是该任务的责任单位。", "unit")
            link = TaskUnit(unit=unit, role=_role(role), sort_order=len(task.unit_links))
            task.unit_links.append(link)
            s.flush()
            audit.record(
                s,
                "create",
                "task_unit",
                link.id,
                f"任务 {task.code} 增加{ROLE_LABELS[role]}单位 {unit.name}",
            )
            return link.id

    def add_section_unit(self, section_id: int, unit_name: str, role: str) -> int:
        with self.db.transaction() as s:
            section = _get(s, Section, section_id, "行动/工程")
            unit = ensure_unit(s, _title(unit_name, "单位名称", 100))
            if any(link.unit_id == unit.id for link in section.unit_links):
                raise ValidationError(f"“{unit.name}”已是该行动/工程的责任单位。", "unit")
            link = SectionUnit(unit=unit, role=_role(role), sort_order=len(section.unit_links))
            section.unit_links.append(link)
            s.flush()
            audit.record(
                s,
                "create",
                "section_unit",
                link.id,
                f"{section.title} 增加{ROLE_LABELS[role]}单位 {unit.name}",
            )
            return link.id

    def set_link_role(self, link_id: int, role: str, section_level: bool = False) -> None:
        cls = SectionUnit if section_level else TaskUnit
        with self.db.transaction() as s:
            link = _get(s, cls, link_id, "责任单位")
            old = link.role
            link.role = _role(role)
            if old != role:
                audit.record(
                    s,
                    "update",
                    cls.__tablename__,
                    link.id,
                    f"{link.unit.name} 改为{ROLE_LABELS[role]}单位",
                    {"role": [old, role]},
                )

    def move_link(self, link_id: int, step: int, section_level: bool = False) -> bool:
        cls = SectionUnit if section_level else TaskUnit
        with self.db.transaction() as s:
            link = _get(s, cls, link_id, "责任单位")
            owner = link.section if section_level else link.task
            moved = _move(owner.unit_links, link, step)
            if moved:
                audit.record(
                    s,
                    "reorder",
                    cls.__tablename__,
                    link.id,
                    f"调整顺序 {link.unit.name}",
                    {"step": step},
                )
            return moved

    def remove_link(self, link_id: int, section_level: bool = False, confirm: bool = False) -> None:
        """Unlink a unit; confirmed when the unit has recorded activities for the task."""
        cls = SectionUnit if section_level else TaskUnit
        with self.db.transaction() as s:
            link = _get(s, cls, link_id, "责任单位")
            if section_level:
                task_ids = select(Task.id).where(Task.section_id == link.section_id)
                owner = link.section.title
            else:
                task_ids = select(Task.id).where(Task.id == link.task_id)
                owner = f"任务 {link.task.code}"
            activities = s.scalar(
                select(func.count(func.distinct(Activity.id)))
                .join(activity_task, activity_task.c.activity_id == Activity.id)
                .where(activity_task.c.task_id.in_(task_ids), Activity.unit_id == link.unit_id)
            )
            if activities and not confirm:
                _refuse(
                    f"{link.unit.name}在{owner}下",
                    Dependents(activities=activities),
                    "取消后这些活动保留，但按单位统计时不再计入该单位的这项任务。",
                )
            owner_obj = link.section if section_level else link.task
            audit.record(
                s,
                "delete",
                cls.__tablename__,
                link.id,
                f"{owner} 取消责任单位 {link.unit.name}",
                {"role": [link.role, None]},
            )
            owner_obj.unit_links.remove(link)
            s.flush()
            for position, sibling in enumerate(owner_obj.unit_links):
                sibling.sort_order = position

    # ------------------------------------------------------------ units

    def add_unit(self, name: str, aliases: list[str] | None = None) -> int:
        with self.db.transaction() as s:
            name = normalise_name(_title(name, "单位名称", 100))
            if find_unit(s, name) is not None:
                raise ValidationError(f"单位“{name}”已存在（名称或别名）。", "name")
            unit = ensure_unit(s, name, aliases or [])
            audit.record(s, "create", "unit", unit.id, f"新增单位 {unit.name}")
            return unit.id

    def rename_unit(self, unit_id: int, name: str, keep_old_as_alias: bool = True) -> None:
        with self.db.transaction() as s:
            unit = _get(s, Unit, unit_id, "单位")
            new = normalise_name(_title(name, "单位名称", 100))
            if new == unit.name:
                return
            other = find_unit(s, new)
            if other is not None and other.id != unit.id:
                raise ValidationError(f"单位“{new}”已存在，不能重名。", "name")
            old = unit.name
            for alias in list(unit.aliases):
                if alias.alias == new:
                    unit.aliases.remove(alias)
            s.flush()
            unit.name = new
            unit.kind = guess_unit_kind(new)
            if keep_old_as_alias:
                unit.aliases.append(UnitAlias(alias=old))
            audit.record(
                s, "update", "unit", unit.id, f"单位改名 {old} → {new}", {"name": [old, new]}
            )

    def add_alias(self, unit_id: int, alias: str) -> None:
        with self.db.transaction() as s:
            unit = _get(s, Unit, unit_id, "单位")
            alias = normalise_name(_title(alias, "别名", 100))
            other = find_unit(s, alias)
            if other is not None:
                raise ValidationError(f"“{alias}”已是单位“{other.name}”的名称或别名。", "alias")
            unit.aliases.append(UnitAlias(alias=alias))
            s.flush()
            audit.record(s, "update", "unit", unit.id, f"单位 {unit.name} 增加别名 {alias}")

    def remove_alias(self, unit_id: int, alias: str) -> None:
        with self.db.transaction() as s:
            unit = _get(s, Unit, unit_id, "单位")
            found = next((a for a in unit.aliases if a.alias == alias), None)
            if found is None:
                raise NotFoundError(f"单位“{unit.name}”没有别名“{alias}”。")
            unit.aliases.remove(found)
            audit.record(s, "update", "unit", unit.id, f"单位 {unit.name} 删除别名 {alias}")

    def unit_dependents(self, unit_id: int) -> dict[str, int]:
        with self.db.reading() as s:
            return self._unit_counts(s, unit_id)

    @staticmethod
    def _unit_counts(s: Session, unit_id: int) -> dict[str, int]:
        return {
            "activities": s.scalar(
                select(func.count(Activity.id)).where(Activity.unit_id == unit_id)
            )
            or 0,
            "entries": s.scalar(select(func.count(Entry.id)).where(Entry.unit_id == unit_id)) or 0,
            "links": (
                s.scalar(select(func.count(TaskUnit.id)).where(TaskUnit.unit_id == unit_id)) or 0
            )
            + (
                s.scalar(select(func.count(SectionUnit.id)).where(SectionUnit.unit_id == unit_id))
                or 0
            ),
        }

    def remove_unit(self, unit_id: int, confirm: bool = False) -> None:
        """Remove a unit; never while activities or entries name it."""
        with self.db.transaction() as s:
            unit = _get(s, Unit, unit_id, "单位")
            counts = self._unit_counts(s, unit_id)
            cooperations = s.scalar(
                select(func.count(Activity.id)).where(Activity.cooperators.any(Unit.id == unit_id))
            )
            if counts["activities"] or counts["entries"] or cooperations:
                raise ServiceError(
                    f"单位“{unit.name}”已有 {counts['activities'] + (cooperations or 0)} 条活动、"
                    f"{counts['entries']} 条填报数据，不能删除；"
                    "如该单位已撤并，可改名（原名称保留为别名）。"
                )
            if counts["links"] and not confirm:
                raise DependentsError(
                    f"单位“{unit.name}”是 {counts['links']} 项行动/任务的责任单位。"
                    "删除后这些任务不再列出该单位。如确定要删除，请确认后再删除。",
                    counts,
                )
            for link in s.scalars(select(TaskUnit).where(TaskUnit.unit_id == unit_id)):
                s.delete(link)
            for link in s.scalars(select(SectionUnit).where(SectionUnit.unit_id == unit_id)):
                s.delete(link)
            audit.record(
                s, "delete", "unit", unit.id, f"删除单位 {unit.name}", {"links": counts["links"]}
            )
            s.delete(unit)

    # ------------------------------------------------------------ indicators

    def _check_indicator(
        self, s: Session, plan: Plan, data: dict[str, Any], ind: Indicator | None = None
    ) -> None:
        """The file checks on one indicator, numerator and denominator among the plan's others."""
        task_codes = set(
            s.scalars(select(Task.code).join(Section).where(Section.plan_id == plan.id))
        )
        others = {
            code: measure
            for ident, code, measure in s.execute(
                select(Indicator.id, Indicator.code, Indicator.measure).where(
                    Indicator.plan_id == plan.id
                )
            )
            if ind is None or ident != ind.id
        }
        problems = indicator_problems(data, task_codes, plan.first_year, plan.last_year, others)
        if problems:
            raise ValidationError.of(
                [
                    (field, message.replace("“rule”", FIELD_LABELS["rule"]))
                    for field, message in problems
                ]
            )
        if ind is not None and data.get("measure") not in PART_MEASURES:
            users = self._ratio_users(s, ind)
            if users:
                role, user = users[0]
                raise ValidationError(
                    f"指标“{ind.name}”是比率指标 {user.code}“{user.name}”的{role}，"
                    "计量方式只能是存量或累计数；如需改为比率，请先修改那个指标。",
                    "measure",
                )

    @staticmethod
    def _ratio_users(s: Session, ind: Indicator) -> list[tuple[str, Indicator]]:
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

    @staticmethod
    def _link_parts(s: Session, plan: Plan, ind: Indicator, data: dict[str, Any]) -> None:
        """Point a percent indicator at its numerator and denominator, found by code."""
        ids = {}
        for key in ("numerator", "denominator"):
            code = data.get(key) if ind.measure == "percent" else None
            ident = None
            if code:
                ident = s.scalar(
                    select(Indicator.id).where(Indicator.plan_id == plan.id, Indicator.code == code)
                )
                if ident is None:
                    raise ValidationError(
                        f"{RATIO_NAMES[key]}“{code}”在本方案的指标中不存在。", key
                    )
            ids[key] = ident
        ind.numerator_id, ind.denominator_id = ids["numerator"], ids["denominator"]

    @staticmethod
    def _apply_indicator(s: Session, plan: Plan, ind: Indicator, data: dict[str, Any]) -> None:
        task_code = data.get("task")
        ind.task_id = (
            s.scalar(
                select(Task.id)
                .join(Section)
                .where(Section.plan_id == plan.id, Task.code == task_code)
            )
            if task_code
            else None
        )
        ind.code = data["code"]
        ind.name = _title(data["name"], "指标名称", 200)
        ind.uom = data.get("unit") or ""
        ind.measure = data["measure"]
        ind.target_mode = data["target_mode"]
        ind.target = checked_or_none("target", data.get("target"))
        ind.comparator = data.get("comparator") or ">="
        ind.baseline = checked_or_none("baseline", data.get("baseline"))
        ind.baseline_year = data.get("baseline_year")
        ind.source = data.get("source") or "manual"
        ind.rule = data.get("rule") if ind.source == "derived" else None
        ind.quote = data.get("quote") or ""
        wanted = {
            int(y): float(checked("target", v, f"{y} 年目标"))
            for y, v in (data.get("targets_by_year") or {}).items()
        }
        for row in list(ind.year_targets):
            if row.year not in wanted:
                ind.year_targets.remove(row)
            else:
                row.value = wanted.pop(row.year)
        for year, value in sorted(wanted.items()):
            ind.year_targets.append(IndicatorYearTarget(year=year, value=value))

    @staticmethod
    def _indicator_values(ind: Indicator) -> dict[str, Any]:
        s = object_session(ind)

        def code(ident: int | None) -> str | None:
            part = s.get(Indicator, ident) if ident and s is not None else None
            return part.code if part is not None else None

        return {
            "code": ind.code,
            "name": ind.name,
            "unit": ind.uom,
            "measure": ind.measure,
            "task_id": ind.task_id,
            "target_mode": ind.target_mode,
            "target": ind.target,
            "targets_by_year": {t.year: t.value for t in ind.year_targets} or None,
            "comparator": ind.comparator,
            "baseline": ind.baseline,
            "baseline_year": ind.baseline_year,
            "source": ind.source,
            "rule": ind.rule,
            "numerator": code(ind.numerator_id),
            "denominator": code(ind.denominator_id),
            "quote": ind.quote,
        }

    def next_indicator_code(self, plan_id: int) -> str:
        with self.db.reading() as s:
            codes = set(s.scalars(select(Indicator.code).where(Indicator.plan_id == plan_id)))
        n = 1
        while f"I{n:02d}" in codes:
            n += 1
        return f"I{n:02d}"

    def add_indicator(self, plan_id: int, doc: IndicatorDoc) -> int:
        """Add an indicator (its code may be blank: the next free one is given)."""
        data = doc.to_dict()
        if not data.get("code"):
            data["code"] = self.next_indicator_code(plan_id)
        with self.db.transaction() as s:
            plan = _get(s, Plan, plan_id, "方案")
            self._check_indicator(s, plan, data)
            if s.scalar(
                select(Indicator.id).where(
                    Indicator.plan_id == plan_id, Indicator.code == data["code"]
                )
            ):
                raise ValidationError(f"指标编号“{data['code']}”已被使用。", "code")
            count = s.scalar(select(func.count(Indicator.id)).where(Indicator.plan_id == plan_id))
            ind = Indicator(plan_id=plan_id, sort_order=count or 0)
            self._apply_indicator(s, plan, ind, data)
            self._link_parts(s, plan, ind, data)
            s.add(ind)
            s.flush()
            audit.record(
                s,
                "create",
                "indicator",
                ind.id,
                f"新增指标 {ind.code} {ind.name}",
                self._indicator_values(ind),
            )
            return ind.id

    def update_indicator(self, indicator_id: int, doc: IndicatorDoc) -> None:
        data = doc.to_dict()
        with self.db.transaction() as s:
            ind = _get(s, Indicator, indicator_id, "指标")
            plan = ind.plan
            data = {**data, "code": data.get("code") or ind.code}
            self._check_indicator(s, plan, data, ind)
            clash = s.scalar(
                select(Indicator.id).where(
                    Indicator.plan_id == plan.id,
                    Indicator.code == data["code"],
                    Indicator.id != ind.id,
                )
            )
            if clash:
                raise ValidationError(f"指标编号“{data['code']}”已被使用。", "code")
            entries = s.scalar(select(func.count(Entry.id)).where(Entry.indicator_id == ind.id))
            if entries and data["measure"] != ind.measure:
                raise ValidationError(
                    f"指标“{ind.name}”已有 {entries} 条填报数据，不能改变计量方式"
                    "（累计数/存量/比率决定数据如何汇总）。",
                    "measure",
                )
            if entries and data.get("source") == "derived":
                raise ValidationError(
                    f"指标“{ind.name}”已有 {entries} 条填报数据，不能改为由台账统计。", "source"
                )
            before = self._indicator_values(ind)
            self._apply_indicator(s, plan, ind, data)
            self._link_parts(s, plan, ind, data)
            s.flush()
            changes = audit.diff(before, self._indicator_values(ind))
            if changes:
                audit.record(s, "update", "indicator", ind.id, f"修改指标 {ind.code}", changes)

    def move_indicator(self, indicator_id: int, step: int) -> bool:
        with self.db.transaction() as s:
            ind = _get(s, Indicator, indicator_id, "指标")
            siblings = list(s.scalars(select(Indicator).where(Indicator.plan_id == ind.plan_id)))
            moved = _move(siblings, ind, step)
            if moved:
                audit.record(
                    s, "reorder", "indicator", ind.id, f"调整顺序 {ind.code}", {"step": step}
                )
            return moved

    def indicator_dependents(self, indicator_id: int) -> Dependents:
        with self.db.reading() as s:
            entries = s.scalar(
                select(func.count(Entry.id)).where(Entry.indicator_id == indicator_id)
            )
            return Dependents(entries=entries or 0)

    def remove_indicator(self, indicator_id: int, confirm: bool = False) -> None:
        """Remove an indicator; with entries only when confirmed, never in a locked period."""
        with self.db.transaction() as s:
            ind = _get(s, Indicator, indicator_id, "指标")
            users = self._ratio_users(s, ind)
            if users:
                named = "、".join(f"{user.code}“{user.name}”的{role}" for role, user in users)
                raise ServiceError(
                    f"指标 {ind.code}“{ind.name}”是比率指标 {named}，不能删除；"
                    "请先在那个指标中取消或更换分子、分母。"
                )
            entries = list(s.scalars(select(Entry).where(Entry.indicator_id == ind.id)))
            if entries and not confirm:
                _refuse(
                    f"指标 {ind.code}“{ind.name}”",
                    Dependents(entries=len(entries)),
                    "删除指标会同时删除这些填报数据。",
                )
            for lock in active_locks(s):
                hit = next(
                    (
                        e
                        for e in entries
                        if e.period_start <= lock.end and e.period_end >= lock.start
                    ),
                    None,
                )
                if hit is not None:
                    raise ServiceError(
                        f"指标“{ind.name}”在已锁定的{parse_period(lock.period).label}有填报数据，"
                        "不能删除；如确需删除，请先解锁该统计期。"
                    )
            audit.record(
                s,
                "delete",
                "indicator",
                ind.id,
                f"删除指标 {ind.code} {ind.name}（含 {len(entries)} 条填报数据）",
                {
                    **self._indicator_values(ind),
                    "entries": [[e.period, e.unit_id, e.value] for e in entries],
                },
            )
            for entry in entries:
                s.delete(entry)
            s.delete(ind)

    # ------------------------------------------------------------ whole plan from a file

    def update_from_document(
        self, plan_id: int, doc: PlanDocument, confirm: bool = False
    ) -> dict[str, int]:
        """Bring a plan in line with an edited plan file, matching items by code.

        Sections, tasks and indicators keep their rows (so activities stay
        linked and entries stay attached); new codes are added, missing ones
        removed — refused with DependentsError when records depend on them,
        unless confirmed. One transaction: a refusal changes nothing. A local
        database is copied first (backups/, "pre-plan-update").
        """
        data = doc.to_dict()
        if self.db.path is not None:
            self.db.backup(label="pre-plan-update")
        with self.db.transaction() as s:
            plan = _get(s, Plan, plan_id, "方案")
            counts = {"added": 0, "changed": 0, "removed": 0}
            sections = {sec.code: sec for sec in plan.sections}
            tasks = {t.code: t for sec in plan.sections for t in sec.tasks}
            indicators = {
                i.code: i for i in s.scalars(select(Indicator).where(Indicator.plan_id == plan.id))
            }
            wanted_sections = {sec["code"] for sec in data["sections"]}
            wanted_tasks = {t["code"] for sec in data["sections"] for t in sec["tasks"]}
            wanted_indicators = {i["code"] for i in data["indicators"]}
            gone_tasks = [t for code, t in tasks.items() if code not in wanted_tasks]
            gone_sections = [sec for code, sec in sections.items() if code not in wanted_sections]
            gone_indicators = [i for code, i in indicators.items() if code not in wanted_indicators]
            self._check_removals(s, gone_tasks, gone_indicators, confirm)

            years = (plan.first_year, plan.last_year)
            apply_plan_info(plan, doc.info)
            if (plan.first_year, plan.last_year) != years:
                _check_records_within_years(s, plan)
            for unit in data.get("units") or []:
                ensure_unit(s, unit["name"], unit.get("aliases") or [])
            for task in gone_tasks:
                task.section.tasks.remove(task)
            s.flush()
            for s_order, sec_data in enumerate(data["sections"]):
                section = sections.get(sec_data["code"])
                if section is None:
                    section = Section(code=sec_data["code"], kind=sec_data["kind"], title="")
                    plan.sections.append(section)
                    counts["added"] += 1
                before = self._section_values(section)
                section.kind = sec_data["kind"]
                section.title = sec_data["title"]
                section.sort_order = s_order
                section.target_group = self._group(s, sec_data.get("target_group"))
                changed = self._relink(s, section, sec_data.get("units") or [], SectionUnit)
                if section.id and (changed or audit.diff(before, self._section_values(section))):
                    counts["changed"] += 1
                for t_order, t_data in enumerate(sec_data["tasks"]):
                    task = tasks.get(t_data["code"])
                    if task is None:
                        task = Task(code=t_data["code"], title=t_data["title"])
                        section.tasks.append(task)
                        counts["added"] += 1
                    before = (task.number, task.title, task.text, task.section_id)
                    if task.id and task.section is not section:
                        task.section.tasks.remove(task)
                        section.tasks.append(task)
                    task.number = t_data.get("number") or ""
                    task.title = t_data["title"]
                    task.text = t_data.get("text") or ""
                    task.sort_order = t_order
                    changed = self._relink(s, task, t_data.get("units") or [], TaskUnit)
                    after = (task.number, task.title, task.text, section.id)
                    if task.id and (changed or before != after):
                        counts["changed"] += 1
            for section in gone_sections:
                plan.sections.remove(section)
            counts["removed"] += len(gone_tasks) + len(gone_sections)
            s.flush()
            applied: list[tuple[Indicator, dict[str, Any], dict[str, Any] | None]] = []
            for i_order, ind_data in enumerate(data["indicators"]):
                ind = indicators.get(ind_data["code"])
                if ind is None:
                    ind = Indicator(plan_id=plan.id)
                    s.add(ind)
                    counts["added"] += 1
                    before = None
                else:
                    before = self._indicator_values(ind)
                    entries = s.scalar(
                        select(func.count(Entry.id)).where(Entry.indicator_id == ind.id)
                    )
                    if entries and ind_data["measure"] != ind.measure:
                        raise ValidationError(
                            f"指标“{ind.name}”已有 {entries} 条填报数据，不能改变计量方式。",
                            "measure",
                        )
                self._apply_indicator(s, plan, ind, ind_data)
                ind.sort_order = i_order
                s.flush()
                applied.append((ind, ind_data, before))
            # Numerators and denominators once every indicator of the file has a row:
            # a percent may name parts listed after it, or parts renamed in the file.
            for ind in gone_indicators:
                ind.numerator_id = ind.denominator_id = None
            for ind, ind_data, _before in applied:
                self._link_parts(s, plan, ind, ind_data)
            s.flush()
            for ind, _data, before in applied:
                if before is not None and audit.diff(before, self._indicator_values(ind)):
                    counts["changed"] += 1
            for ind in gone_indicators:
                for entry in s.scalars(select(Entry).where(Entry.indicator_id == ind.id)):
                    s.delete(entry)
                s.delete(ind)
            counts["removed"] += len(gone_indicators)
            audit.record(
                s,
                "update",
                "plan",
                plan.id,
                f"按方案文件更新方案 {plan.name}：新增 {counts['added']} 项、修改 {counts['changed']} 项、"
                f"删除 {counts['removed']} 项",
                {
                    "removed_tasks": [t.code for t in gone_tasks],
                    "removed_sections": [sec.code for sec in gone_sections],
                    "removed_indicators": [i.code for i in gone_indicators],
                },
            )
            return counts

    def _check_removals(
        self, s: Session, tasks: list[Task], indicators: list[Indicator], confirm: bool
    ) -> None:
        task_ids = select(Task.id).where(Task.id.in_([t.id for t in tasks]))
        deps = self._task_dependents(s, task_ids)
        ind_ids = [i.id for i in indicators]
        entries = list(s.scalars(select(Entry).where(Entry.indicator_id.in_(ind_ids))))
        activity_ids = select(activity_task.c.activity_id).where(
            activity_task.c.task_id.in_(task_ids)
        )
        what = f"文件中删去的 {len(tasks)} 项任务"
        _ensure_no_locked_activities(s, activity_ids, what)
        for lock in active_locks(s):
            if any(e.period_start <= lock.end and e.period_end >= lock.start for e in entries):
                raise ServiceError(
                    f"文件中删去的指标在已锁定的{parse_period(lock.period).label}有填报数据，"
                    "不能删除；如确需删除，请先解锁该统计期。"
                )
        if confirm or not (deps.activities or entries):
            return
        parts = []
        if deps.activities:
            parts.append(f"{len(tasks)} 项任务已有 {deps.activities} 条活动关联")
        if entries:
            parts.append(f"{len(indicators)} 个指标已有 {len(entries)} 条填报数据（将一并删除）")
        raise DependentsError(
            f"文件中删去了已有记录的内容：{'；'.join(parts)}。"
            f"删去的任务：{'、'.join(t.code for t in tasks) or '无'}；"
            f"删去的指标：{'、'.join(i.code for i in indicators) or '无'}。如确定，请确认后再更新。",
            {"activities": deps.activities, "entries": len(entries)},
        )

    @staticmethod
    def _relink(s: Session, owner: Any, links: list[dict[str, Any]], cls: type) -> bool:
        """Replace the owner's unit links when they differ from the file's; True if they did."""
        wanted = [(ensure_unit(s, link["name"]).id, link["role"]) for link in links]
        wanted = list(dict.fromkeys(wanted))
        have = [(link.unit_id, link.role) for link in owner.unit_links]
        if wanted == have:
            return False
        owner.unit_links.clear()
        s.flush()
        seen: set[int] = set()
        for order, (unit_id, role) in enumerate(wanted):
            if unit_id in seen:
                continue
            seen.add(unit_id)
            owner.unit_links.append(cls(unit_id=unit_id, role=role, sort_order=order))
        return True
