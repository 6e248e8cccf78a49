"""The next plan period: roll the active plan over, carry its indicators on, keep the old one whole.

At a period's turn (2021–2025 → 2026–2030) the office files the old
period's last return and its final evaluation while it starts recording
under the new plan, so both plans stay in one database and every report
picks the plan covering its period (plans.plan_for). The next plan starts
as a copy of the active one — same sections, tasks, units, indicators,
years moved, every target pending (未定目标) until the office enters it,
each baseline the old period's final value — or from its own text, its
indicators then matched to the old ones. Either way each new indicator
remembers the one it continues.

An ended plan (a later plan follows it) is read-only: the structure a
filed return and an evaluation were made from must not change under them.
It is editable again only when unlocked with a reason, as a locked period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db import Database
from desktop.errors import NotFoundError, ValidationError
from desktop.limits import checked
from desktop.models import (
    Indicator,
    IndicatorYearTarget,
    Plan,
)
from desktop.plan.document import IndicatorDoc, PlanDocument, SectionDoc
from desktop.services import audit
from desktop.services.periods import year_period
from desktop.services.plan_guard import guard_ended_plans, is_read_only
from desktop.services.plan_store import checked_document, plan_document, plan_from_document
from desktop.services.plans import active_plan, plan_by_code
from desktop.services.progress import measure_all

# The years as plans print them in names and codes: 2021—2025, 2021-2025, 2016～2020, 2021年—2025.
_YEARS = re.compile(r"(\d{4})(年?\s*[—–\-~～至到]\s*)(\d{4})")


def _moved(text: str, old: Plan, first: int, last: int) -> str:
    """`text` with the old plan's years written as the new ones, in the same dash."""

    def swap(m: re.Match[str]) -> str:
        if (int(m[1]), int(m[3])) != (old.first_year, old.last_year):
            return m[0]
        return f"{first}{m[2]}{last}"

    return _YEARS.sub(swap, text)


def next_name(old: Plan, first: int, last: int) -> str:
    """The next plan's name: the old one with its years moved, or with the years added."""
    moved = _moved(old.name, old, first, last)
    return moved if moved != old.name else f"{old.name}（{first}—{last}年）"


def check_years(session: Session, first: int, last: int) -> None:
    if not 2000 <= first <= last <= 2100:
        raise ValidationError(f"方案年份 {first}—{last} 无效。", "years")
    if last - first > 14:
        raise ValidationError(f"方案期限 {first}—{last} 超过 15 年。", "years")
    for plan in session.scalars(select(Plan)):
        if first <= plan.last_year and plan.first_year <= last:
            raise ValidationError(
                f"{first}—{last}年与已有方案“{plan.name}”（{plan.first_year}—{plan.last_year}年）"
                "的年份重叠：同一年只能属于一个方案。",
                "years",
            )


def final_values(session: Session, plan: Plan) -> dict[str, float]:
    """Each indicator's value at the plan's last day, by the one set of rules: its baseline next."""
    end = date(plan.last_year, 12, 31)
    return {
        p.code: p.actual
        for p in measure_all(session, plan, end, year_period(plan.last_year))
        if p.actual is not None
    }


def _pending(ind: IndicatorDoc, final: float | None, year: int) -> IndicatorDoc:
    """The old indicator as the next plan's: no target yet, its final value as the baseline."""
    return replace(
        ind,
        target=None,
        targets_by_year=None,
        baseline=final if final is not None else ind.baseline,
        baseline_year=year if final is not None else ind.baseline_year,
        quote="",  # the old plan's sentence states the old target; the new plan has its own
    )


def rollover(
    session: Session, first: int, last: int, name: str | None = None, code: str | None = None
) -> Plan:
    """The next plan, copied from the active one; it becomes the active plan."""
    old = active_plan(session)
    if first <= old.last_year:
        raise ValidationError(
            f"下一期方案应从 {old.last_year + 1} 年或以后开始（当前方案到 {old.last_year} 年）。",
            "years",
        )
    check_years(session, first, last)
    doc = plan_document(session, old)
    finals = final_values(session, old)
    literacy = next(
        (i for i in doc.indicators if i.measure == "percent" and "科学素质" in i.name), None
    )
    info = replace(
        doc.info,
        first_year=first,
        last_year=last,
        name=name or next_name(old, first, last),
        doc_number=None,
        issue_date=None,
        literacy_target=None,
        literacy_baseline=finals.get(literacy.code) if literacy and literacy.code else None,
        literacy_baseline_year=old.last_year if literacy and literacy.code in finals else None,
    )
    if info.literacy_baseline is None:
        info = replace(info, literacy_baseline_year=None)
    new_code = code or _moved(old.code, old, first, last)
    if new_code == old.code:
        new_code = f"{old.code}-{first}-{last}"
    new = PlanDocument(
        id=new_code,
        info=info,
        units=doc.units,
        sections=[_moved_section(s, old, first, last) for s in doc.sections],
        indicators=[_pending(i, finals.get(i.code or ""), old.last_year) for i in doc.indicators],
    )
    plan = plan_from_document(session, checked_document(new, "下一期方案"))
    olds = {
        i.code: i.id for i in session.scalars(select(Indicator).where(Indicator.plan_id == old.id))
    }
    for ind in session.scalars(select(Indicator).where(Indicator.plan_id == plan.id)):
        ind.continues_id = olds.get(ind.code)
    for other in session.scalars(select(Plan).where(Plan.is_active.is_(True))):
        other.is_active = False
    plan.is_active = True
    session.flush()
    audit.record(
        session,
        "rollover",
        "plan",
        plan.id,
        f"开始下一期方案 {plan.name}（沿用 {old.name} 的结构，目标待定）",
        {"from": [old.code, plan.code]},
    )
    return plan


def _moved_section(section: SectionDoc, old: Plan, first: int, last: int) -> SectionDoc:
    return replace(
        section,
        tasks=[replace(t, text=_moved(t.text, old, first, last)) for t in section.tasks],
    )


@dataclass(frozen=True)
class Continuation:
    """A new indicator and the old one it continues (None: a new indicator of this period)."""

    code: str
    name: str
    uom: str
    measure: str
    old_code: str | None
    old_name: str = ""
    final: float | None = None


# continues_id of an indicator the office has said is new this period (no predecessor), so a
# later review does not suggest a name match again. No indicator has id 0.
NEW_INDICATOR = 0


def _norm(name: str) -> str:
    return re.sub(r"[\s（）()，,、。]", "", name)


def suggest_continuations(session: Session, new: Plan, old: Plan) -> list[Continuation]:
    """For a plan read from its text: each new indicator's likely predecessor, for review.

    The stored link where one is kept; else the same name and unit, else the
    same code with the same measure. Counts never continue percents.
    """
    olds = list(session.scalars(select(Indicator).where(Indicator.plan_id == old.id)))
    by_id = {i.id: i for i in olds}
    finals = final_values(session, old)
    out = []
    for ind in session.scalars(
        select(Indicator).where(Indicator.plan_id == new.id).order_by(Indicator.sort_order)
    ):
        if ind.continues_id == NEW_INDICATOR:
            out.append(Continuation(ind.code, ind.name, ind.uom, ind.measure, None))
            continue
        match = by_id.get(ind.continues_id) if ind.continues_id else None
        if match is None:
            match = next(
                (
                    o
                    for o in olds
                    if _norm(o.name) == _norm(ind.name)
                    and o.uom == ind.uom
                    and o.measure == ind.measure
                ),
                None,
            )
        if match is None:
            match = next((o for o in olds if o.code == ind.code and o.measure == ind.measure), None)
        out.append(
            Continuation(
                ind.code,
                ind.name,
                ind.uom,
                ind.measure,
                match.code if match else None,
                match.name if match else "",
                finals.get(match.code) if match else None,
            )
        )
    return out


def set_continuations(
    session: Session, new: Plan, old: Plan, pairs: dict[str, str | None], baselines: bool = True
) -> int:
    """Link each new indicator (code) to the old one it continues (code, or None), and take
    the old final value as its baseline where it has none; how many are linked."""
    if new.first_year <= old.last_year:
        raise ValidationError(f"“{new.name}”不在“{old.name}”之后，不能接续。", "plan")
    olds = {
        i.code: i for i in session.scalars(select(Indicator).where(Indicator.plan_id == old.id))
    }
    news = {
        i.code: i for i in session.scalars(select(Indicator).where(Indicator.plan_id == new.id))
    }
    finals = final_values(session, old) if baselines else {}
    linked = 0
    for code, old_code in pairs.items():
        ind = news.get(code)
        if ind is None:
            raise NotFoundError(f"方案“{new.name}”中没有编号为“{code}”的指标。")
        if old_code is None:
            ind.continues_id = NEW_INDICATOR
            continue
        prior = olds.get(old_code)
        if prior is None:
            raise NotFoundError(f"方案“{old.name}”中没有编号为“{old_code}”的指标。")
        if prior.measure != ind.measure:
            raise ValidationError(
                f"“{ind.name}”与“{prior.name}”的计量方式不同，不能接续。", "indicator"
            )
        ind.continues_id = prior.id
        linked += 1
        if baselines and ind.baseline is None and old_code in finals:
            ind.baseline, ind.baseline_year = finals[old_code], old.last_year
    audit.record(
        session, "update", "plan", new.id, f"方案“{new.name}”的指标接续“{old.name}”：{linked} 项"
    )
    return linked


def set_target(
    session: Session, plan: Plan, code: str, value: float, year: int | None = None
) -> Indicator:
    """Enter a pending target: the whole target, or one year's (分年度目标)."""
    ind = session.scalar(
        select(Indicator).where(Indicator.plan_id == plan.id, Indicator.code == code)
    )
    if ind is None:
        raise NotFoundError(f"方案“{plan.name}”中没有编号为“{code}”的指标。")
    value = float(checked("target", value))
    if ind.measure == "percent" and value > 100:
        raise ValidationError("百分比目标不能超过 100。", "value")
    before = ind.target
    if year is not None or ind.target_mode == "per_year":
        if year is None:
            raise ValidationError(f"“{ind.name}”是分年度目标，请用 --year 指明年份。", "year")
        if not plan.first_year <= year <= plan.last_year:
            raise ValidationError(
                f"{year} 年不在方案期限（{plan.first_year}—{plan.last_year}年）内。", "year"
            )
        ind.target_mode = "per_year"
        row = next((t for t in ind.year_targets if t.year == year), None)
        if row is None:
            ind.year_targets.append(IndicatorYearTarget(year=year, value=value))
        else:
            row.value = value
    else:
        ind.target = value
    session.flush()
    audit.record(
        session,
        "update",
        "indicator",
        ind.id,
        f"设定目标 {ind.code} {ind.name}" + (f"（{year}年）" if year else "") + f"：{value:g}",
        {"target": [before, value]} if year is None else None,
    )
    return ind


def unlock_edits(session: Session, code: str, reason: str) -> Plan:
    plan = plan_by_code(session, code)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("解锁已结束的方案必须写明理由。", "reason")
    plan.edit_unlocked_at = datetime.now()
    plan.edit_unlock_reason = reason
    audit.record(session, "unlock", "plan", plan.id, f"解锁已结束的方案 {plan.name}", reason=reason)
    return plan


def lock_edits(session: Session, code: str) -> Plan:
    plan = plan_by_code(session, code)
    plan.edit_unlocked_at = None
    plan.edit_unlock_reason = None
    audit.record(session, "lock", "plan", plan.id, f"重新锁定已结束的方案 {plan.name}")
    return plan


class PlanPeriodService:
    """The transactions of a period's turn, for the window and the command line."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def rollover(
        self, first: int, last: int, name: str | None = None, code: str | None = None
    ) -> str:
        """Start the next plan from the active one; its code. A backup is taken first."""
        if self.db.path is not None:
            self.db.backup(label="pre-rollover")
        with self.db.transaction() as s:
            return rollover(s, first, last, name, code).code

    def continuations(self, new_code: str, old_code: str) -> list[Continuation]:
        with self.db.reading() as s:
            return suggest_continuations(s, plan_by_code(s, new_code), plan_by_code(s, old_code))

    def final_values(self, code: str) -> dict[str, float]:
        """Each indicator's value at the plan's last day, by code: the review table shows them."""
        with self.db.reading() as s:
            return final_values(s, plan_by_code(s, code))

    def set_continuations(self, new_code: str, old_code: str, pairs: dict[str, str | None]) -> int:
        with self.db.transaction() as s:
            return set_continuations(s, plan_by_code(s, new_code), plan_by_code(s, old_code), pairs)

    def set_target(
        self, code: str, value: float, year: int | None = None, plan_code: str | None = None
    ) -> None:
        with self.db.transaction() as s:
            guard_ended_plans(s)
            plan = plan_by_code(s, plan_code) if plan_code else active_plan(s)
            set_target(s, plan, code, value, year)

    def read_only(self, code: str) -> bool:
        with self.db.reading() as s:
            return is_read_only(s, plan_by_code(s, code))

    def unlock(self, code: str, reason: str) -> None:
        with self.db.transaction() as s:
            unlock_edits(s, code, reason)

    def lock(self, code: str) -> None:
        with self.db.transaction() as s:
            lock_edits(s, code)
