"""Editing a plan after it was created: its own lines, sections, tasks and the
units responsible for them.

PlanEditingService is the one editor callers hold; the unit list, the
indicators and the update from an edited plan file are its parts in
unit_editing.py, indicator_editing.py and plan_update.py, and the rules
they share (finding rows, refusing removals, locked periods) are
editing_rules.py's. Each method is one transaction with its audit record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from desktop.cleaning import clean_line, clean_text
from desktop.errors import NotFoundError, ValidationError
from desktop.models import (
    Activity,
    Plan,
    Section,
    SectionUnit,
    TargetGroup,
    Task,
    TaskUnit,
    activity_task,
)
from desktop.plan.document import PlanInfo
from desktop.plan.vocabulary import KIND_LABELS, ROLE_LABELS
from desktop.services import audit
from desktop.services.editing_rules import (
    Dependents,
    check_records_within_years,
    checked_role,
    checked_title,
    ensure_no_locked_activities,
    found,
    move,
    refuse,
    task_dependents,
)
from desktop.services.indicator_editing import IndicatorEditing
from desktop.services.plan_store import apply_plan_info, plan_info, plan_tree_options
from desktop.services.plan_update import PlanUpdating
from desktop.services.reference import ensure_unit, group_by_name
from desktop.services.unit_editing import UnitEditing


class PlanEditingService(UnitEditing, IndicatorEditing, PlanUpdating):
    """Add, edit, reorder and remove the parts of a plan."""

    def tree(self, plan_id: int) -> Plan:
        """The plan with sections, tasks, unit links and target groups loaded, for screens."""
        with self.db.reading() as s:
            plan = s.scalar(select(Plan).where(Plan.id == plan_id).options(*plan_tree_options()))
            if plan is None:
                raise NotFoundError("方案不存在。")
            return plan

    def update_plan(self, plan_id: int, info: PlanInfo) -> None:
        """Set the plan's own lines (name, region, years, 文号 …) to `info`'s."""
        with self.db.transaction() as s:
            plan = found(s, Plan, plan_id, "方案")
            before = plan_info(plan)
            apply_plan_info(plan, info)
            plan.name = checked_title(plan.name, "方案名称", 200)
            plan.region = checked_title(plan.region, "地区", 50)
            if plan.last_year < plan.first_year:
                raise ValidationError("结束年份早于起始年份。", "last_year")
            if (plan.first_year, plan.last_year) != (before.first_year, before.last_year):
                check_records_within_years(s, plan)
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
            plan = found(s, Plan, plan_id, "方案")
            prefix = "A" if kind == "action" else "P"
            codes = {sec.code for sec in plan.sections}
            n = 1
            while f"{prefix}{n}" in codes:
                n += 1
            section = Section(
                code=f"{prefix}{n}",
                kind=kind,
                title=checked_title(title, "行动/工程名称", 200),
                sort_order=len(plan.sections),
                target_group=_target_group(s, target_group),
            )
            plan.sections.append(section)
            s.flush()
            audit.record(
                s, "create", "section", section.id, f"新增{KIND_LABELS[kind]} {section.title}"
            )
            return section.id

    def update_section(
        self, section_id: int, kind: str, title: str, target_group: str | None
    ) -> None:
        if kind not in KIND_LABELS:
            raise ValidationError(f"类别“{kind}”无效。", "kind")
        with self.db.transaction() as s:
            section = found(s, Section, section_id, "行动/工程")
            before = _section_values(section)
            section.kind = kind
            section.title = checked_title(title, "行动/工程名称", 200)
            section.target_group = _target_group(s, target_group)
            changes = audit.diff(before, _section_values(section))
            if changes:
                audit.record(
                    s, "update", "section", section.id, f"修改行动/工程 {section.title}", changes
                )

    def move_section(self, section_id: int, step: int) -> bool:
        with self.db.transaction() as s:
            section = found(s, Section, section_id, "行动/工程")
            moved = move(section.plan.sections, section, step)
            if moved:
                audit.record(
                    s, "reorder", "section", section.id, f"调整顺序 {section.title}", {"step": step}
                )
            return moved

    def remove_section(self, section_id: int, confirm: bool = False) -> None:
        with self.db.transaction() as s:
            section = found(s, Section, section_id, "行动/工程")
            unlinked = _guard_task_removal(
                s,
                select(Task.id).where(Task.section_id == section_id),
                f"“{section.title}”",
                "删除后这些活动不再关联其任务（活动本身保留），指标不再属于任何任务。",
                confirm,
            )
            audit.record(
                s,
                "delete",
                "section",
                section.id,
                f"删除行动/工程 {section.title}（{len(section.tasks)} 项任务）",
                unlinked,
            )
            _drop(s, section.plan.sections, section)

    # ------------------------------------------------------------ tasks

    def add_task(self, section_id: int, title: str, number: str = "", text: str = "") -> int:
        with self.db.transaction() as s:
            section = found(s, Section, section_id, "行动/工程")
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
                title=checked_title(title, "任务标题", 300),
                text=clean_text(text),
                sort_order=len(section.tasks),
            )
            section.tasks.append(task)
            s.flush()
            audit.record(s, "create", "task", task.id, f"新增任务 {task.code} {task.title}")
            return task.id

    def update_task(self, task_id: int, title: str, number: str, text: str) -> None:
        with self.db.transaction() as s:
            task = found(s, Task, task_id, "任务")
            before = {"title": task.title, "number": task.number, "text": task.text}
            task.title = checked_title(title, "任务标题", 300)
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
            task = found(s, Task, task_id, "任务")
            moved = move(task.section.tasks, task, step)
            if moved:
                audit.record(s, "reorder", "task", task.id, f"调整顺序 {task.code}", {"step": step})
            return moved

    def task_dependents(self, task_id: int) -> Dependents:
        with self.db.reading() as s:
            return task_dependents(s, select(Task.id).where(Task.id == task_id))

    def remove_task(self, task_id: int, confirm: bool = False) -> None:
        with self.db.transaction() as s:
            task = found(s, Task, task_id, "任务")
            unlinked = _guard_task_removal(
                s,
                select(Task.id).where(Task.id == task_id),
                f"任务 {task.code}“{task.title}”",
                "删除后这些活动不再关联该任务（活动本身保留），指标不再属于任何任务。",
                confirm,
            )
            audit.record(
                s,
                "delete",
                "task",
                task.id,
                f"删除任务 {task.code} {task.title}",
                unlinked,
            )
            _drop(s, task.section.tasks, task)

    # ------------------------------------------------------------ unit links

    def add_task_unit(self, task_id: int, unit_name: str, role: str) -> int:
        """Link a unit (found by name or alias, created when new) to a task."""
        with self.db.transaction() as s:
            task = found(s, Task, task_id, "任务")
            return _link_unit(s, task, TaskUnit, unit_name, role, "该任务", f"任务 {task.code}")

    def add_section_unit(self, section_id: int, unit_name: str, role: str) -> int:
        with self.db.transaction() as s:
            section = found(s, Section, section_id, "行动/工程")
            return _link_unit(
                s, section, SectionUnit, unit_name, role, "该行动/工程", section.title
            )

    def set_link_role(self, link_id: int, role: str, section_level: bool = False) -> None:
        cls = SectionUnit if section_level else TaskUnit
        with self.db.transaction() as s:
            link = found(s, cls, link_id, "责任单位")
            old = link.role
            link.role = checked_role(role)
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
            link = found(s, cls, link_id, "责任单位")
            owner = link.section if section_level else link.task
            moved = move(owner.unit_links, link, step)
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
            link = found(s, cls, link_id, "责任单位")
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
                refuse(
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
            _drop(s, owner_obj.unit_links, link)


def _link_unit(
    s: Session,
    owner: Section | Task,
    cls: type[SectionUnit] | type[TaskUnit],
    unit_name: str,
    role: str,
    whose: str,
    named: str,
) -> int:
    unit = ensure_unit(s, checked_title(unit_name, "单位名称", 100))
    if any(link.unit_id == unit.id for link in owner.unit_links):
        raise ValidationError(f"“{unit.name}”已是{whose}的责任单位。", "unit")
    link = cls(unit=unit, role=checked_role(role), sort_order=len(owner.unit_links))
    owner.unit_links.append(link)
    s.flush()
    audit.record(
        s,
        "create",
        cls.__tablename__,
        link.id,
        f"{named} 增加{ROLE_LABELS[role]}单位 {unit.name}",
    )
    return link.id


def _target_group(s: Session, name: str | None) -> TargetGroup | None:
    return group_by_name(s, name.strip()) if name and name.strip() else None


def _section_values(section: Section) -> dict[str, Any]:
    return {
        "kind": section.kind,
        "title": section.title,
        "target_group": section.target_group.name if section.target_group else None,
    }


def _guard_task_removal(
    s: Session, task_ids: Select, what: str, consequence: str, confirm: bool
) -> dict[str, int]:
    """What depends on the tasks about to go: refused unless confirmed, never in a locked period.

    Returns what the removal unlinks, as its audit record keeps it.
    """
    deps = task_dependents(s, task_ids)
    if deps.any and not confirm:
        refuse(what, deps, consequence)
    activity_ids = select(activity_task.c.activity_id).where(activity_task.c.task_id.in_(task_ids))
    ensure_no_locked_activities(s, activity_ids, what)
    return {"activities_unlinked": deps.activities, "indicators_detached": deps.indicators}


def _drop(s: Session, siblings: list[Any], item: Any) -> None:
    """Remove `item` from its ordered collection and number the rest again."""
    siblings.remove(item)
    s.flush()
    for position, sibling in enumerate(siblings):
        sibling.sort_order = position
