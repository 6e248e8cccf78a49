"""The annual assessment (年度考核): each member unit scored against the rubric from the ledger.

Every automatic score is worked out from what the ledger holds for the
unit and year, with its reason (`3/4 次，按比例 3.0/4 分`), by the item's
rule (desktop/services/assessment_rules.py); each rule's facts are read in
one query for all units, not one per unit. The unit's 自评 and the
office's 审核 sit beside it; the final score is 审核, else 自评, else the
automatic one. A 审核 that differs from the 自评 needs a comment, and a
locked year freezes the scores, as it freezes the figures they came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.db import Database
from desktop.errors import NotFoundError, ValidationError
from desktop.models import (
    AssessmentScore,
    Indicator,
    Plan,
    Rubric,
    Section,
    Task,
    TaskUnit,
    Unit,
)
from desktop.services import audit, locks
from desktop.services.assessment_facts import (
    activity_facts,
    lead_facts,
    office_facts,
    office_leads,
    office_reporting,
    reporting_facts,
)
from desktop.services.assessment_rules import rule_text
from desktop.services.periods import year_period
from desktop.services.plans import plan_for
from desktop.services.progress import measure_indicator
from desktop.services.reporting import (
    OFFICE_KIND,
    REGION_KIND,
)

DEFAULT_GRADES = [["优秀", 90.0], ["良好", 80.0], ["合格", 60.0]]
FAIL_GRADE = "不合格"
_UNIT_WORDS = {"participants": "人次", "media": "篇", "evidence": "次", "activities": "次"}


@dataclass(frozen=True)
class ItemScore:
    unit: str
    code: str
    max: float
    auto: float | None
    reason: str
    self_score: float | None
    review: float | None
    note: str

    @property
    def final(self) -> float | None:
        for value in (self.review, self.self_score, self.auto):
            if value is not None:
                return value
        return None

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "code": self.code,
            "max": self.max,
            "auto": self.auto,
            "self": self.self_score,
            "review": self.review,
            "final": self.final,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class UnitResult:
    unit: str
    items: list[ItemScore]
    total: float
    rank: int
    grade: str


def _score(rule: dict[str, Any], max_points: float, value: float, word: str) -> tuple[float, str]:
    scoring = rule.get("scoring", "proportional")
    if scoring == "per_each":
        each = float(rule["each"])
        points = min(value * each, max_points)
        return points, f"{value:g} {word} × {each:g} 分，{points:g}/{max_points:g} 分"
    threshold = float(rule.get("threshold") or 1)
    if scoring == "all_or_nothing":
        points = max_points if value >= threshold else 0.0
        verdict = "达到" if value >= threshold else "未达到，不得分"
        return points, f"{value:g}/{threshold:g} {word}，{verdict}，{points:g}/{max_points:g} 分"
    points = max_points * min(value / threshold, 1.0)
    return points, f"{value:g}/{threshold:g} {word}，按比例 {points:.1f}/{max_points:g} 分"


def _share(max_points: float, done: int, of: int, what: str, none: str) -> tuple[float | None, str]:
    if not of:
        return None, f"{none}，人工评分"
    points = max_points * done / of
    return points, f"{done}/{of} {what}，按比例 {points:.1f}/{max_points:g} 分"


def _indicator_score(
    s: Session, plan: Plan, rule: dict[str, Any], max_points: float, year: int
) -> tuple[float | None, str]:
    """An indicator's completion at the end of `year` (the progress engine's), in points."""
    code = rule["indicator"]
    ind = s.scalar(select(Indicator).where(Indicator.plan_id == plan.id, Indicator.code == code))
    if ind is None:
        return None, f"方案中没有指标 {code}，人工评分"
    p = measure_indicator(s, plan, ind, date(year, 12, 31), year_period(year))
    if p.completion_pct is None:
        return None, f"指标 {code} {p.status_label}，人工评分"
    full = float(rule.get("threshold") or 100)
    points = max_points * min(p.completion_pct / full, 1.0)
    return (
        points,
        f"指标 {code} 完成 {p.completion_pct:.1f}%，按比例 {points:.1f}/{max_points:g} 分",
    )


def _office_scores(
    s: Session, rubric: Rubric, plan: Plan, year: int, units: list[Unit]
) -> dict[tuple[int, int], tuple[float | None, str]]:
    """The office itself assessed (the city assessing the county): its whole ledger, all the
    plan's tasks, its own final returns."""
    out: dict[tuple[int, int], tuple[float | None, str]] = {}
    for item in rubric.items:
        rule = item.rule
        kind = rule.get("kind") if rule else None
        if not rule:
            found: tuple[float | None, str] = (None, "人工评分")
        elif kind == "reporting":
            found = _share(
                item.max_points,
                *office_reporting(s, year),
                "期正式报表按时报送",
                "本年没有应报送的报表",
            )
        elif kind == "lead_tasks":
            found = _share(
                item.max_points, *office_leads(s, plan, year), "项任务有活动", "方案中没有任务"
            )
        elif kind == "indicator":
            found = _indicator_score(s, plan, rule, item.max_points, year)
        else:
            value = office_facts(s, rule, year)
            found = _score(rule, item.max_points, value, _UNIT_WORDS.get(kind, "次"))
        for u in units:
            out[(item.id, u.id)] = found
    return out


def auto_scores(
    s: Session, rubric: Rubric, year: int, units: list[Unit]
) -> dict[tuple[int, int], tuple[float | None, str]]:
    """(item id, unit id) → the automatic score and its reason, each rule read once for all."""
    plan = s.get(Plan, rubric.plan_id)
    assert plan is not None
    if rubric.audience == "office":
        return _office_scores(s, rubric, plan, year, units)
    ids = [u.id for u in units]
    out: dict[tuple[int, int], tuple[float | None, str]] = {}
    reporting: dict[int, tuple[int, int]] | None = None
    leads: dict[int, tuple[int, int]] | None = None
    for item in rubric.items:
        rule = item.rule
        if not rule:
            for u in ids:
                out[(item.id, u)] = (None, "人工评分")
            continue
        kind = rule.get("kind")
        if kind == "reporting":
            reporting = reporting if reporting is not None else reporting_facts(s, year, ids)
            for u in ids:
                out[(item.id, u)] = _share(
                    item.max_points,
                    *reporting.get(u, (0, 0)),
                    "期按时报送",
                    "本年没有应报送的统计期",
                )
            continue
        if kind == "lead_tasks":
            leads = leads if leads is not None else lead_facts(s, plan, year, ids)
            for u in ids:
                out[(item.id, u)] = _share(
                    item.max_points, *leads.get(u, (0, 0)), "项牵头任务有活动", "该单位没有牵头任务"
                )
            continue
        if kind == "indicator":
            found = _indicator_score(s, plan, rule, item.max_points, year)
            for u in ids:
                out[(item.id, u)] = found
            continue
        facts = activity_facts(s, rule, year, ids)
        word = _UNIT_WORDS.get(kind, "次")
        for u in ids:
            out[(item.id, u)] = _score(rule, item.max_points, facts.get(u, 0.0), word)
    return out


def assessed_units(s: Session, rubric: Rubric) -> list[Unit]:
    """Whom the rubric assesses: member units of the plan (by kind, or named), never regions."""
    stmt = select(Unit).where(Unit.active.is_(True), Unit.kind != REGION_KIND)
    if rubric.audience == "office":
        stmt = stmt.where(Unit.kind == OFFICE_KIND)
    elif rubric.audience == "kind":
        stmt = stmt.where(Unit.kind.in_(rubric.audience_value or []))
    elif rubric.audience == "list":
        stmt = stmt.where(Unit.name.in_(rubric.audience_value or []))
    else:
        named = (
            select(TaskUnit.unit_id)
            .join(Task, Task.id == TaskUnit.task_id)
            .join(Section, Section.id == Task.section_id)
            .where(Section.plan_id == rubric.plan_id)
        )
        stmt = stmt.where(Unit.id.in_(named), Unit.kind != OFFICE_KIND)
    return list(s.scalars(stmt.order_by(Unit.sort_order, Unit.id)))


def grade_for(total: float, scale: float, grades: list[list[Any]] | None) -> str:
    """The 等次 of a total: thresholds kept with the rubric, the default ones scaled to it."""
    table = grades or [[label, points * scale / 100] for label, points in DEFAULT_GRADES]
    for label, points in sorted(table, key=lambda g: -float(g[1])):
        if total >= float(points) - 1e-9:
            return str(label)
    return FAIL_GRADE


def rubric_for(s: Session, year: int) -> Rubric:
    plan = plan_for(s, year_period(year))
    rubric = s.scalar(
        select(Rubric)
        .where(Rubric.plan_id == plan.id, Rubric.first_year <= year, Rubric.last_year >= year)
        .order_by(Rubric.id.desc())
        .options(selectinload(Rubric.items))
        .limit(1)
    )
    if rubric is None:
        raise NotFoundError(
            f"方案“{plan.name}”还没有适用于 {year} 年的考核评分细则，请先导入（kepu assessment rubric import）。"
        )
    return rubric


def results(s: Session, year: int, unit_name: str | None = None) -> list[UnitResult]:
    rubric = rubric_for(s, year)
    units = assessed_units(s, rubric)
    if unit_name is not None:
        units = [u for u in units if u.name == unit_name]
        if not units:
            raise NotFoundError(f"“{unit_name}”不在《{rubric.name}》的考核对象中。")
    autos = auto_scores(s, rubric, year, units)
    kept = {
        (r.item_id, r.unit_id): r
        for r in s.scalars(
            select(AssessmentScore).where(
                AssessmentScore.year == year,
                AssessmentScore.item_id.in_([i.id for i in rubric.items]),
            )
        )
    }
    scale = sum(i.max_points for i in rubric.items)
    rows: list[tuple[Unit, list[ItemScore], float]] = []
    for unit in units:
        items = []
        for item in rubric.items:
            auto, reason = autos[(item.id, unit.id)]
            k = kept.get((item.id, unit.id))
            items.append(
                ItemScore(
                    unit.name,
                    item.code,
                    item.max_points,
                    None if auto is None else round(auto, 2),
                    reason,
                    k.self_score if k else None,
                    k.review_score if k else None,
                    k.note if k else "",
                )
            )
        rows.append((unit, items, round(sum(i.final or 0 for i in items), 2)))
    ordered = sorted(rows, key=lambda r: -r[2])
    ranks = {r[0].id: 1 + sum(1 for o in ordered if o[2] > r[2]) for r in ordered}
    return [
        UnitResult(u.name, items, total, ranks[u.id], grade_for(total, scale, rubric.grades))
        for u, items, total in rows
    ]


def set_score(
    s: Session,
    year: int,
    unit_name: str,
    code: str,
    self_score: float | None = None,
    review: float | None = None,
    note: str = "",
) -> None:
    rubric = rubric_for(s, year)
    item = next((i for i in rubric.items if i.code == code), None)
    if item is None:
        raise NotFoundError(f"《{rubric.name}》中没有编号为“{code}”的考核项目。")
    unit = next((u for u in assessed_units(s, rubric) if u.name == unit_name), None)
    if unit is None:
        raise NotFoundError(f"“{unit_name}”不在《{rubric.name}》的考核对象中。")
    period = year_period(year)
    locks.ensure_writable(s, period.start, period.end)
    for value, what in ((self_score, "自评分"), (review, "审核分")):
        if value is not None and not 0 <= value <= item.max_points:
            raise ValidationError(
                f"{code} 的{what} {value:g} 不在 0—{item.max_points:g} 分之内。", "score"
            )
    row = s.scalar(
        select(AssessmentScore).where(
            AssessmentScore.item_id == item.id,
            AssessmentScore.unit_id == unit.id,
            AssessmentScore.year == year,
        )
    )
    if row is None:
        row = AssessmentScore(item_id=item.id, unit_id=unit.id, year=year, note="")
        s.add(row)
    before = {"self": row.self_score, "review": row.review_score}
    if self_score is not None:
        row.self_score = self_score
    if review is not None:
        row.review_score = review
    note = (note or "").strip()
    if note:
        row.note = note
    if (
        row.review_score is not None
        and row.self_score is not None
        and abs(row.review_score - row.self_score) > 1e-9
        and not row.note
    ):
        raise ValidationError(
            f"{code} 的审核分 {row.review_score:g} 与自评分 {row.self_score:g} 不同，请写明说明（--note）。",
            "note",
        )
    s.flush()
    audit.record(
        s,
        "update",
        "assessment",
        row.id,
        f"{year}年考核 {unit.name} {code}：自评 {row.self_score} 审核 {row.review_score}",
        {"self": [before["self"], row.self_score], "review": [before["review"], row.review_score]},
    )


class AssessmentService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def items(self, year: int) -> list[dict[str, Any]]:
        """`kepu assessment rubric show --json`: each item with its rule (null when manual)."""
        with self.db.reading() as s:
            rubric = rubric_for(s, year)
            return [
                {
                    "rubric_id": rubric.id,
                    "basis": i.basis,
                    "note": i.note,
                    "code": i.code,
                    "group": i.group,
                    "content": i.content,
                    "standard": i.standard,
                    "max": i.max_points,
                    "rule": i.rule,
                    "rule_text": rule_text(i.rule),
                }
                for i in rubric.items
            ]

    def results(self, year: int, unit: str | None = None) -> list[UnitResult]:
        with self.db.reading() as s:
            return results(s, year, unit)

    def set_score(
        self,
        year: int,
        unit: str,
        code: str,
        self_score: float | None = None,
        review: float | None = None,
        note: str = "",
    ) -> None:
        if self_score is None and review is None:
            raise ValidationError("请给出自评分（--self）或审核分（--review）。", "score")
        with self.db.transaction() as s:
            set_score(s, year, unit, code, self_score, review, note)
