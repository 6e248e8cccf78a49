"""Bringing a stored plan in line with an edited plan file.

Sections, tasks and indicators are matched by code and keep their rows, so
activities stay linked to their tasks and entries to their indicators; what
the file adds is added, what it leaves out is removed — refused while
records depend on it, unless confirmed, and never in a locked period.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import Entry, Indicator, Plan, Section, Task, activity_task
from desktop.plan.document import PlanDocument
from desktop.services import audit
from desktop.services.editing_rules import (
    DependentsError,
    Editor,
    check_records_within_years,
    ensure_no_locked_activities,
    ensure_no_locked_entries,
    found,
    task_dependents,
)
from desktop.services.indicator_editing import audit_values, check_measure_kept, indicator_rows
from desktop.services.plan_store import (
    apply_indicator,
    apply_plan_info,
    apply_section,
    apply_task,
    link_parts,
)
from desktop.services.reference import ensure_unit


class PlanUpdating(Editor):
    def update_from_document(
        self, plan_id: int, doc: PlanDocument, confirm: bool = False
    ) -> dict[str, int]:
        """Bring a plan in line with an edited plan file; the counts added, changed, removed.

        `doc` is checked as read_plan_file returns it: what the file holds is
        weighed against what the database holds here. One transaction: a
        refusal (DependentsError when records depend on what the file
        removes) changes nothing. A local database is copied first
        (backups/, "pre-plan-update").
        """
        if self.db.path is not None:
            self.db.backup(label="pre-plan-update")
        with self.db.transaction() as s:
            plan = found(s, Plan, plan_id, "方案")
            counts = {"added": 0, "changed": 0, "removed": 0}
            wanted_tasks = {t.code for t in doc.tasks()}
            wanted_sections = {sec.code for sec in doc.sections}
            wanted_indicators = {ind.code for ind in doc.indicators}
            gone_tasks = [
                t for sec in plan.sections for t in sec.tasks if t.code not in wanted_tasks
            ]
            gone_sections = [sec for sec in plan.sections if sec.code not in wanted_sections]
            indicators = indicator_rows(s, plan.id)
            gone_indicators = [i for code, i in indicators.items() if code not in wanted_indicators]
            _check_removals(s, gone_tasks, gone_indicators, confirm)

            years = (plan.first_year, plan.last_year)
            apply_plan_info(plan, doc.info)
            if (plan.first_year, plan.last_year) != years:
                check_records_within_years(s, plan)
            for unit in doc.units:
                ensure_unit(s, unit.name, unit.aliases)
            for task in gone_tasks:
                task.section.tasks.remove(task)
            s.flush()
            _update_sections(s, plan, doc, counts)
            for section in gone_sections:
                plan.sections.remove(section)
            counts["removed"] += len(gone_tasks) + len(gone_sections)
            s.flush()
            for ind in gone_indicators:  # rows about to go let go of their parts first
                ind.numerator_id = ind.denominator_id = None
            _update_indicators(s, plan, doc, indicators, counts)
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


def _update_sections(s: Session, plan: Plan, doc: PlanDocument, counts: dict[str, int]) -> None:
    """Sections and tasks in the file's order; a task may move to another section."""
    sections = {sec.code: sec for sec in plan.sections}
    tasks = {t.code: t for sec in plan.sections for t in sec.tasks}
    for s_order, sec_doc in enumerate(doc.sections):
        section = sections.get(sec_doc.code)
        if section is None:
            section = Section(code=sec_doc.code)
            plan.sections.append(section)
            counts["added"] += 1
        section.sort_order = s_order
        if apply_section(s, section, sec_doc) and section.id:
            counts["changed"] += 1
        for t_order, t_doc in enumerate(sec_doc.tasks):
            task = tasks.get(t_doc.code)
            if task is None:
                task = Task(code=t_doc.code)
                section.tasks.append(task)
                counts["added"] += 1
            moved = task.id is not None and task.section is not section
            if moved:
                task.section.tasks.remove(task)
                section.tasks.append(task)
            task.sort_order = t_order
            if (apply_task(s, task, t_doc) or moved) and task.id:
                counts["changed"] += 1


def _update_indicators(
    s: Session,
    plan: Plan,
    doc: PlanDocument,
    indicators: dict[str, Indicator],
    counts: dict[str, int],
) -> None:
    """The file's indicators in its order, matched by code with the rows in `indicators`."""
    tasks = {t.code: t for sec in plan.sections for t in sec.tasks}
    before = {code: audit_values(ind, indicators) for code, ind in indicators.items()}
    rows: dict[str, Indicator] = {}
    for i_order, ind_doc in enumerate(doc.indicators):
        ind = indicators.get(ind_doc.code)
        if ind is None:
            ind = Indicator(plan_id=plan.id)
            s.add(ind)
            counts["added"] += 1
        else:
            check_measure_kept(s, ind, ind_doc.measure)
        apply_indicator(ind, ind_doc, tasks[ind_doc.task] if ind_doc.task else None)
        ind.sort_order = i_order
        s.flush()
        rows[ind_doc.code] = ind
    # Numerators and denominators once every indicator of the file has a row:
    # a percent may name parts listed after it, or parts renamed in the file.
    for ind_doc in doc.indicators:
        link_parts(rows[ind_doc.code], ind_doc, rows)
    s.flush()
    for code, values in before.items():
        if code in rows and audit.diff(values, audit_values(rows[code], rows)):
            counts["changed"] += 1


def _check_removals(
    s: Session, tasks: list[Task], indicators: list[Indicator], confirm: bool
) -> None:
    """Refuse removing what the locked periods hold; what records depend on, unless confirmed."""
    task_ids = select(Task.id).where(Task.id.in_([t.id for t in tasks]))
    deps = task_dependents(s, task_ids)
    entries = list(
        s.scalars(select(Entry).where(Entry.indicator_id.in_([i.id for i in indicators])))
    )
    activity_ids = select(activity_task.c.activity_id).where(activity_task.c.task_id.in_(task_ids))
    ensure_no_locked_activities(s, activity_ids, f"文件中删去的 {len(tasks)} 项任务")
    ensure_no_locked_entries(s, entries, "文件中删去的指标")
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
