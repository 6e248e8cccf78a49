"""A plan document becomes database rows, and rows are read back as a document.

`plan_from_document` and `plan_document` are inverse, so a plan survives
export and import intact. The apply_* functions and `link_units` /
`link_parts` are the one mapping of a document's parts onto rows, shared by
creating a plan and by the editor; `indicator_document` is the one reading
of an indicator row, used by the editor, the audit trail and the plan page.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Load, Session, selectinload

from desktop.errors import ServiceError, ValidationError
from desktop.models import (
    Indicator,
    IndicatorYearTarget,
    Plan,
    Section,
    SectionUnit,
    Task,
    TaskUnit,
    Unit,
)
from desktop.plan.document import (
    IndicatorDoc,
    PlanDocument,
    PlanInfo,
    Rule,
    SectionDoc,
    TaskDoc,
    UnitLink,
    UnitName,
)
from desktop.plan.ratios import RATIO_NAMES
from desktop.plan.validation import check_plan
from desktop.plan.vocabulary import RATIO_KEYS
from desktop.services import audit
from desktop.services.reference import ensure_unit, group_by_name, seed_reference


def checked_document(doc: PlanDocument, source: str = "方案") -> PlanDocument:
    """A copy of `doc` with its text cleaned, or PlanFileError naming every fault.

    Plan files are checked as they are read; templates, the parser's draft
    and callers of the service are checked here, so whatever the route, a
    plan is held to the same rules and stores the same text.
    """
    return check_plan(doc.to_dict(), source)


def plan_tree_options() -> tuple[Load, ...]:
    """Loader options bringing a plan's sections, tasks, unit links and target groups at once."""
    return (
        selectinload(Plan.sections)
        .selectinload(Section.tasks)
        .selectinload(Task.unit_links)
        .selectinload(TaskUnit.unit),
        selectinload(Plan.sections).selectinload(Section.target_group),
        selectinload(Plan.sections).selectinload(Section.unit_links).selectinload(SectionUnit.unit),
    )


def plan_from_document(session: Session, doc: PlanDocument) -> Plan:
    """Build a plan, its units, sections, tasks and indicators in the open transaction."""
    seed_reference(session)
    info = doc.info
    code = doc.id or f"{info.region}-{info.first_year}-{info.last_year}"
    if session.scalar(select(Plan).where(Plan.code == code)) is not None:
        raise ServiceError(f"已存在编号为“{code}”的方案。")
    for unit in doc.units:
        ensure_unit(session, unit.name, unit.aliases)
    plan = Plan(code=code, source=doc.id)
    apply_plan_info(plan, info)
    session.add(plan)
    tasks: dict[str, Task] = {}
    for s_order, sec in enumerate(doc.sections):
        section = Section(code=sec.code, sort_order=s_order)
        plan.sections.append(section)
        apply_section(session, section, sec)
        for t_order, t in enumerate(sec.tasks):
            task = Task(code=t.code or f"{sec.code}.{t_order + 1}", sort_order=t_order)
            section.tasks.append(task)
            apply_task(session, task, t)
            tasks[task.code] = task
    session.flush()
    rows: dict[str, Indicator] = {}
    for i_order, ind in enumerate(doc.indicators):
        row = Indicator(plan_id=plan.id, sort_order=i_order)
        apply_indicator(row, ind, tasks[ind.task] if ind.task else None)
        session.add(row)
        rows[ind.code] = row
    session.flush()
    for ind in doc.indicators:
        link_parts(rows[ind.code], ind, rows)
    session.flush()
    audit.record(session, "create", "plan", plan.id, f"新建方案 {plan.name}")
    return plan


def apply_plan_info(plan: Plan, info: PlanInfo) -> None:
    """Set the plan row's own lines from `info`; a date not in ISO form is refused."""
    try:
        issued = date.fromisoformat(info.issue_date) if info.issue_date else None
    except ValueError:
        raise ValidationError("印发日期应为 YYYY-MM-DD。", "issue_date") from None
    plan.name = info.name
    plan.region = info.region
    plan.level = info.level
    plan.first_year = info.first_year
    plan.last_year = info.last_year
    plan.doc_number = info.doc_number
    plan.issue_date = issued
    plan.literacy_baseline = info.literacy_baseline
    plan.literacy_baseline_year = info.literacy_baseline_year
    plan.literacy_target = info.literacy_target


def plan_info(plan: Plan) -> PlanInfo:
    """The plan row's own lines (inverse of apply_plan_info)."""
    return PlanInfo(
        region=plan.region,
        level=plan.level,
        name=plan.name,
        first_year=plan.first_year,
        last_year=plan.last_year,
        doc_number=plan.doc_number,
        issue_date=plan.issue_date.isoformat() if plan.issue_date else None,
        literacy_baseline=plan.literacy_baseline,
        literacy_baseline_year=plan.literacy_baseline_year,
        literacy_target=plan.literacy_target,
    )


def apply_section(session: Session, section: Section, doc: SectionDoc) -> bool:
    """Set a section row's own columns and unit links (not its tasks); True if they changed."""
    before = (section.kind, section.title, section.target_group)
    section.kind, section.title = doc.kind, doc.title  # set before the look-ups flush a new row
    section.target_group = group_by_name(session, doc.target_group) if doc.target_group else None
    changed = before != (section.kind, section.title, section.target_group)
    linked = link_units(session, section, doc.units, SectionUnit)
    return changed or linked


def apply_task(session: Session, task: Task, doc: TaskDoc) -> bool:
    """Set a task row's own columns and unit links; True if they changed."""
    changed = (task.number, task.title, task.text) != (doc.number, doc.title, doc.text)
    task.number, task.title, task.text = doc.number, doc.title, doc.text
    linked = link_units(session, task, doc.units, TaskUnit)
    return changed or linked


def link_units(session: Session, owner: Section | Task, links: list[UnitLink], cls: type) -> bool:
    """Make the owner's unit links the document's, in order; True if they changed.

    A unit named twice (市科协, 市 科协) is linked once, with the first role given.
    """
    wanted: dict[int, tuple[Unit, str]] = {}
    for link in links:
        unit = ensure_unit(session, link.name)
        wanted.setdefault(unit.id, (unit, link.role))
    have = [(link.unit_id, link.role) for link in owner.unit_links]
    if have == [(unit_id, role) for unit_id, (_unit, role) in wanted.items()]:
        return False
    if have:  # the old links leave before the new ones arrive: one link per unit and owner
        owner.unit_links.clear()
        session.flush()
    for order, (unit, role) in enumerate(wanted.values()):
        owner.unit_links.append(cls(unit=unit, role=role, sort_order=order))
    return True


def apply_indicator(row: Indicator, doc: IndicatorDoc, task: Task | None) -> None:
    """Set an indicator row's own columns and yearly targets from a checked document.

    The numerator and denominator are ids of other rows: link_parts sets
    them once every indicator they may name has one.
    """
    row.code = doc.code
    row.name = doc.name
    row.uom = doc.unit
    row.measure = doc.measure
    row.task = task
    row.target_mode = doc.target_mode
    row.target = doc.target
    row.comparator = doc.comparator
    row.baseline = doc.baseline
    row.baseline_year = doc.baseline_year
    row.source = doc.source
    row.rule = doc.rule.to_dict() if doc.rule and doc.source == "derived" else None
    row.quote = doc.quote
    wanted = {int(y): float(v) for y, v in (doc.targets_by_year or {}).items()}
    for target in list(row.year_targets):
        if target.year not in wanted:
            row.year_targets.remove(target)
        else:
            target.value = wanted.pop(target.year)
    for year, value in sorted(wanted.items()):
        row.year_targets.append(IndicatorYearTarget(year=year, value=value))


def link_parts(row: Indicator, doc: IndicatorDoc, rows: dict[str, Indicator]) -> None:
    """Point a percent indicator at its numerator and denominator; `rows` maps codes to rows."""
    ids: dict[str, int | None] = {}
    for key in RATIO_KEYS:
        code = getattr(doc, key) if row.measure == "percent" else None
        part = rows.get(code) if code else None
        if code and part is None:
            raise ValidationError(f"{RATIO_NAMES[key]}“{code}”在本方案的指标中不存在。", key)
        ids[key] = part.id if part is not None else None
    row.numerator_id, row.denominator_id = ids["numerator"], ids["denominator"]


def indicator_document(ind: Indicator, codes: dict[int, str]) -> IndicatorDoc:
    """An indicator row as a document; `codes` maps the plan's indicator ids to codes.

    The row's task and yearly targets must be loaded.
    """
    return IndicatorDoc(
        code=ind.code,
        name=ind.name,
        unit=ind.uom,
        measure=ind.measure,
        task=ind.task.code if ind.task else None,
        target_mode=ind.target_mode,
        target=ind.target,
        targets_by_year={t.year: t.value for t in ind.year_targets} or None,
        comparator=ind.comparator,
        baseline=ind.baseline,
        baseline_year=ind.baseline_year,
        source=ind.source,
        rule=Rule.from_dict(ind.rule),
        numerator=codes.get(ind.numerator_id) if ind.numerator_id else None,
        denominator=codes.get(ind.denominator_id) if ind.denominator_id else None,
        quote=ind.quote,
    )


def plan_document(session: Session, plan: Plan) -> PlanDocument:
    """The plan as stored, in the document shape (inverse of plan_from_document)."""
    unit_names: dict[str, list[str]] = {}

    def link(owner_link: SectionUnit | TaskUnit) -> UnitLink:
        unit: Unit = owner_link.unit
        unit_names.setdefault(unit.name, [a.alias for a in unit.aliases])
        return UnitLink(name=unit.name, role=owner_link.role)

    sections = [
        SectionDoc(
            code=sec.code,
            kind=sec.kind,
            title=sec.title,
            target_group=sec.target_group.name if sec.target_group else None,
            units=[link(u) for u in sec.unit_links],
            tasks=[
                TaskDoc(
                    code=t.code,
                    number=t.number,
                    title=t.title,
                    text=t.text,
                    units=[link(u) for u in t.unit_links],
                )
                for t in sec.tasks
            ],
        )
        for sec in plan.sections
    ]
    rows = list(
        session.scalars(
            select(Indicator).where(Indicator.plan_id == plan.id).order_by(Indicator.sort_order)
        )
    )
    codes = {ind.id: ind.code for ind in rows}
    return PlanDocument(
        id=plan.code,
        info=plan_info(plan),
        units=[UnitName(name=n, aliases=a) for n, a in unit_names.items()],
        sections=sections,
        indicators=[indicator_document(ind, codes) for ind in rows],
    )
