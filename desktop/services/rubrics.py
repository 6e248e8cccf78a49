"""Rubrics as data: checked from their dict form (a YAML file, a read workbook), stored, given back.

The dict form: {name, audience, audience_value, grades, first_year,
last_year, items: [{code, group, content, standard, max, basis, note,
rule}]}. An item without a `rule` key has its rule read from its words
(desktop/services/assessment_rules.py); `rule: null` keeps it manual. A
rubric that fails any check is refused whole, every problem named.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db import Database
from desktop.errors import ValidationError
from desktop.models import Plan, Rubric, RubricItem, Setting, Unit
from desktop.numbers import to_halfwidth
from desktop.paths import resource_dir
from desktop.services import audit
from desktop.services.assessment import rubric_for
from desktop.services.assessment_rules import recognise, rule_problems
from desktop.services.plans import active_plan
from desktop.services.reference import find_unit
from desktop.services.reporting import OFFICE_KIND

AUDIENCES = ("all", "kind", "list", "office")


def points(value: Any) -> float | None:
    """4, "4", "4分", "４" → 4.0; anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = to_halfwidth(str(value or "")).strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*分?", text)
    return float(m[1]) if m else None


def checked_rubric(data: Any, source: str = "考核细则") -> dict[str, Any]:
    """The rubric dict with every item's points and rule settled, or ValidationError naming
    each problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ValidationError(f"{source}应为一张表（name、items……），无法读取。")
    name = str(data.get("name") or "").strip()
    if not name:
        problems.append("缺少细则名称（name）。")
    audience = data.get("audience") or "all"
    if audience not in AUDIENCES:
        problems.append(f"考核对象“{audience}”无效，应为 {'、'.join(AUDIENCES)} 之一。")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        problems.append("细则中没有考核项目（items）。")
        items = []
    out_items = []
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        where = f"第 {n} 项"
        if not isinstance(item, dict):
            problems.append(f"{where}不是一张表。")
            continue
        code = str(item.get("code") or n).strip()
        if code in seen:
            problems.append(f"{where}的序号“{code}”重复。")
        seen.add(code)
        max_points = points(item.get("max"))
        if max_points is None or max_points <= 0:
            problems.append(f"{where}（{code}）的分值“{item.get('max')}”不是正数。")
            continue
        content = str(item.get("content") or "").strip()
        standard = str(item.get("standard") or "").strip()
        if not content and not standard:
            problems.append(f"{where}（{code}）没有考核内容和标准。")
        rule = item["rule"] if "rule" in item else recognise(content, standard)
        if rule is not None:
            if not isinstance(rule, dict):
                problems.append(f"{where}（{code}）的规则（rule）应为一张表或 null。")
                rule = None
            else:
                problems += [f"{where}（{code}）：{p}" for p in rule_problems(rule)]
        out_items.append(
            {
                "code": code[:20],
                "group": str(item.get("group") or "").strip()[:100],
                "content": content,
                "standard": standard,
                "max": max_points,
                "basis": str(item.get("basis") or "").strip(),
                "note": str(item.get("note") or "").strip(),
                "rule": rule,
            }
        )
    if problems:
        shown = "\n".join(problems[:20])
        raise ValidationError(f"{source}有 {len(problems)} 处问题，未导入：\n{shown}")
    return {
        "name": name[:200],
        "audience": audience,
        "audience_value": data.get("audience_value"),
        "grades": data.get("grades"),
        "first_year": data.get("first_year"),
        "last_year": data.get("last_year"),
        "items": out_items,
    }


def sample_rubric() -> dict[str, Any]:
    """The built-in sample (about 10 items, 100 points, in the shape published ones take)."""
    path = resource_dir() / "rubrics" / "sample.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def store_rubric(s: Session, data: dict[str, Any], name: str | None = None) -> Rubric:
    plan = active_plan(s)
    checked = checked_rubric(data)
    first = checked["first_year"] or plan.first_year
    last = checked["last_year"] or plan.last_year
    if not plan.first_year <= first <= last <= plan.last_year:
        raise ValidationError(
            f"细则年份 {first}—{last} 不在方案期限（{plan.first_year}—{plan.last_year}年）内。"
        )
    rubric = Rubric(
        plan_id=plan.id,
        name=(name or checked["name"])[:200],
        first_year=first,
        last_year=last,
        audience=checked["audience"],
        audience_value=checked["audience_value"],
        grades=checked["grades"],
    )
    rubric.items = [
        RubricItem(
            code=i["code"],
            group=i["group"],
            content=i["content"],
            standard=i["standard"],
            max_points=i["max"],
            basis=i["basis"],
            note=i["note"],
            rule=i["rule"],
            sort_order=n,
        )
        for n, i in enumerate(checked["items"])
    ]
    s.add(rubric)
    if rubric.audience == "office":
        _office_unit(s, plan)
    s.flush()
    total = sum(i.max_points for i in rubric.items)
    audit.record(
        s,
        "import",
        "rubric",
        rubric.id,
        f"导入考核细则《{rubric.name}》：{len(rubric.items)} 项、{total:g} 分",
    )
    return rubric


def _office_unit(s: Session, plan: Plan) -> Unit:
    """The office itself as the assessed unit (the city assessing the county), made once."""
    unit = s.scalar(select(Unit).where(Unit.kind == OFFICE_KIND))
    if unit is None:
        setting = s.get(Setting, "office_name")
        name = (setting.value if setting and setting.value else "") or (
            f"{plan.region}全民科学素质工作领导小组办公室"
        )
        if find_unit(s, name) is not None:  # a member unit goes by that name: keep it as it is
            name = f"{name}（本级）"
        unit = Unit(name=name, kind=OFFICE_KIND, sort_order=0)
        s.add(unit)
        s.flush()
    return unit


def rubric_dict(rubric: Rubric) -> dict[str, Any]:
    return {
        "name": rubric.name,
        "audience": rubric.audience,
        "audience_value": rubric.audience_value,
        "grades": rubric.grades,
        "first_year": rubric.first_year,
        "last_year": rubric.last_year,
        "items": [
            {
                "code": i.code,
                "group": i.group,
                "content": i.content,
                "standard": i.standard,
                "max": i.max_points,
                "basis": i.basis,
                "note": i.note,
                "rule": i.rule,
            }
            for i in rubric.items
        ],
    }


class RubricService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def import_rubric(self, data: dict[str, Any], name: str | None = None) -> str:
        with self.db.transaction() as s:
            return store_rubric(s, data, name).name

    def export(self, year: int | None = None) -> dict[str, Any]:
        with self.db.reading() as s:
            if year is None:
                plan = active_plan(s)
                rubric = s.scalar(
                    select(Rubric).where(Rubric.plan_id == plan.id).order_by(Rubric.id.desc())
                )
                if rubric is None:
                    year = plan.first_year  # rubric_for says what is missing
            if year is not None:
                rubric = rubric_for(s, year)
            assert rubric is not None
            return rubric_dict(rubric)


def _item_fields(data: dict[str, Any], code: str) -> dict[str, Any]:
    """One item as typed in the editor, checked as an imported one is; its rule read afresh
    from its words unless it is to be scored by hand."""
    manual = bool(data.get("manual"))
    item = {k: data.get(k, "") for k in ("group", "content", "standard", "max", "basis", "note")}
    item["code"] = code
    if manual:
        item["rule"] = None
    checked = checked_rubric({"name": "—", "items": [item]}, "考核项目")["items"][0]
    return checked


class RubricEditing:
    """The 考核 page's editor: add, change and remove a rubric's items, each audited."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save_item(self, rubric_id: int, code: str, data: dict[str, Any], new: bool) -> None:
        code = str(code or "").strip()[:20]
        if not code:
            raise ValidationError("请填写项目序号。", "code")
        fields = _item_fields(data, code)
        with self.db.transaction() as s:
            rubric = s.get(Rubric, rubric_id)
            if rubric is None:
                raise ValidationError("评分细则不存在（可能已被替换）。")
            item = next((i for i in rubric.items if i.code == code), None)
            if new and item is not None:
                raise ValidationError(f"序号“{code}”已有考核项目。", "code")
            if not new and item is None:
                raise ValidationError(f"没有序号为“{code}”的考核项目。", "code")
            before = None
            if item is None:
                item = RubricItem(code=code, sort_order=len(rubric.items))
                rubric.items.append(item)
            else:
                before = {"max": item.max_points, "standard": item.standard, "rule": item.rule}
            item.group = fields["group"]
            item.content = fields["content"]
            item.standard = fields["standard"]
            item.max_points = fields["max"]
            item.basis = fields["basis"]
            item.note = fields["note"]
            item.rule = fields["rule"]
            s.flush()
            audit.record(
                s,
                "create" if before is None else "update",
                "rubric",
                rubric.id,
                f"《{rubric.name}》第 {code} 项：{fields['content']}（{fields['max']:g} 分）",
                {"before": before, "after": {"max": fields["max"], "rule": fields["rule"]}},
            )

    def remove_item(self, rubric_id: int, code: str) -> None:
        with self.db.transaction() as s:
            rubric = s.get(Rubric, rubric_id)
            item = next((i for i in rubric.items if i.code == code), None) if rubric else None
            if rubric is None or item is None:
                raise ValidationError(f"没有序号为“{code}”的考核项目。", "code")
            rubric.items.remove(item)
            audit.record(
                s, "delete", "rubric", rubric.id, f"《{rubric.name}》删除第 {code} 项：{item.content}"
            )
