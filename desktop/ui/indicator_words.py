"""An indicator's target and data rule in the words of the plan, for the 指标进度 detail panel.

A clerk checks the program's reading of the plan against the document, so
each sentence says what the plan says: how the target is counted and which
activities feed a derived figure.
"""

from __future__ import annotations

from typing import Any

from desktop.models import Indicator
from desktop.ui.widgets import fmt_number

MEASURE_WORDS = {
    "count": "累计量（各期数值相加）",
    "level": "存量（取最新一期的数值）",
    "percent": "比率（不相加，取最新值或由分子分母计算）",
}
METRIC_WORDS = {
    "activities": "活动条数",
    "sessions": "场次",
    "participants": "参加人次",
    "volunteers": "志愿者人次",
    "volunteer_hours": "志愿服务时长",
    "funding": "经费（元）",
}


def target_words(ind: Indicator) -> str:
    """How the target reads in the plan: whole period, every year, per year, or by the end."""
    comparator = "不超过" if ind.comparator == "<=" else "达到"
    uom = ind.uom
    if ind.target_mode == "per_year":
        years = "；".join(f"{t.year}年 {fmt_number(t.value)}{uom}" for t in ind.year_targets)
        return f"分年度目标：{years or '未定目标'}"
    base = ""
    if ind.baseline is not None:
        year = f"{ind.baseline_year}年" if ind.baseline_year else "基期"
        base = f"，{year}基数 {fmt_number(ind.baseline)}{uom}"
    if ind.target is None:
        return f"未定目标（请在实施方案页的指标中填写）{base}"
    target = f"{fmt_number(ind.target)}{uom}"
    if ind.target_mode == "annual":
        return f"每年{comparator} {target}（按自然年度计算）"
    if ind.target_mode == "end":
        return f"到规划期末{comparator} {target}{base}"
    return f"规划期内累计{comparator} {target}"


def rule_words(
    rule: dict[str, Any] | None, type_names: dict[str, str], task_titles: dict[str, str]
) -> str:
    """A derived indicator's rule as a sentence a clerk can check against the plan."""
    rule = rule or {}
    metric = rule.get("metric", "activities")
    if metric == "registered_volunteers":
        return "由科技志愿服务队的登记人数自动统计：各队最近一次登记的人数相加。"
    conditions = []
    if codes := rule.get("activity_types"):
        conditions.append("活动类型为" + "、".join(type_names.get(c, c) for c in codes))
    if groups := rule.get("target_groups"):
        conditions.append("面向" + "、".join(groups))
    if tasks := rule.get("tasks"):
        conditions.append(
            "服务于任务" + "、".join(f"{c}（{task_titles.get(c, '')}）" for c in tasks)
        )
    if units := rule.get("units"):
        conditions.append("由" + "、".join(units) + "组织")
    scope = "，".join(conditions) + "的活动" if conditions else "全部活动"
    what = "统计活动条数" if metric == "activities" else f"累加{METRIC_WORDS.get(metric, metric)}"
    return f"由活动台账自动统计：{scope}，{what}。录入或修改活动后自动更新。"
