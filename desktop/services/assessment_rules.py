"""What a rubric item's standard asks of the ledger, read from its words.

Published rubrics write their standards in a handful of shapes: 年内召开专题
会议 1 次以上（以会议记录为准）, 积极参与"科技活动周""全国科普日"等重大科普活动
（以图片、总结上报为准）, 每年上报科普信息 4 篇以上（完不成的按比例扣分）, 按时
报送统计报表, 牵头任务全部落实, 不使用不得分. Each recognised standard becomes
a rule (a plain dict, stored with the item and shown for review beside the
text); what is not recognised stays manual (None), scored by hand.

A rule: {"kind", "threshold", "scoring", "each", "types", "evidence"}.
Kinds: activities (count), participants, evidence (activities with
evidence of a kind), media (activities reported in the media: 科普信息),
reporting (share of collection periods received on time), lead_tasks
(share of the unit's lead tasks served by an activity), indicator (an
indicator's completion at the year's end, for the units responsible for
it; a threshold is the completion % that earns full points). Scoring:
proportional (full at the threshold, else in proportion), all_or_nothing,
per_each (so many points each, up to the maximum).
"""

from __future__ import annotations

import re
from typing import Any

from desktop.numbers import parse_number, to_halfwidth

KINDS = ("activities", "participants", "evidence", "media", "reporting", "lead_tasks", "indicator")
SCORINGS = ("proportional", "all_or_nothing", "per_each")
EVIDENCE_KINDS = ("照片", "签到表", "会议记录", "文件")
KIND_LABELS = {
    "activities": "活动次数",
    "participants": "参加人次",
    "evidence": "佐证材料",
    "media": "媒体报道（科普信息）",
    "reporting": "按时报送",
    "lead_tasks": "牵头任务落实",
    "indicator": "指标完成",
}
SCORING_LABELS = {
    "proportional": "按比例",
    "all_or_nothing": "达不到不得分",
    "per_each": "每次计分",
}

# Activity type names a standard may name, and their codes (desktop/services/reference.py).
TYPE_WORDS = {
    "科技活动周": "sci_week",
    "全国科普日": "sci_day",
    "科普日": "sci_day",
    "三下乡": "three_rural",
    "科普讲座": "lecture",
    "讲座": "lecture",
    "科普展览": "exhibition",
    "展览": "exhibition",
    "科普竞赛": "contest",
    "竞赛": "contest",
    "实用技术培训": "training",
    "培训": "training",
    "应急演练": "emergency",
    "演练": "emergency",
    "研学": "study_tour",
    "志愿服务": "volunteer",
}
_COUNT = r"(\d+(?:\.\d+)?|[一两二三四五六七八九十百千]+)\s*(次|篇|场|期|项|个|条|人次)"
_AT_LEAST = [
    re.compile(r"(?:不少于|不低于|至少|达到)\s*" + _COUNT),
    re.compile(_COUNT + r"\s*(?:以上|及以上|或以上)"),
]
_EACH = re.compile(
    r"每(?:开展|举办|上报|报送|召开|组织)?[^，。；,;]{0,8}?(?:一|1)?\s*(?:次|篇|场|项|条)"
    r"[^，。；,;]{0,10}?(?:得|加|计)\s*(\d+(?:\.\d+)?)\s*分"
)


def _threshold(text: str) -> tuple[float, str] | None:
    for pattern in _AT_LEAST:
        m = pattern.search(text)
        if m:
            return float(parse_number(m[1])), m[2]
    return None


def recognise(content: str, standard: str) -> dict[str, Any] | None:
    """The rule the item's words state, or None when they state none the ledger can answer."""
    text = to_halfwidth(f"{content} {standard}")
    each = _EACH.search(text)
    found = _threshold(text)
    if re.search(r"按时(?:报送|上报|填报)|及时(?:报送|上报)", text):
        return {"kind": "reporting", "scoring": "proportional"}
    if re.search(r"牵头(?:的)?(?:任务|工作)", text) and re.search(r"落实|完成|推进", text):
        return {"kind": "lead_tasks", "scoring": "proportional"}
    types = sorted({code for word, code in TYPE_WORDS.items() if word in text})
    if "科技活动周" in text or "全国科普日" in text:
        types = sorted({code for word, code in TYPE_WORDS.items() if word in text} - {"lecture"})
    evidence = next(
        (
            kind
            for kind, words in (
                ("会议记录", ("会议记录", "会议纪要")),
                ("签到表", ("签到",)),
                ("照片", ("照片", "图片")),
            )
            if any(w in text for w in words)
        ),
        None,
    )
    scoring = "proportional"
    if "不得分" in text and "按比例" not in text:
        scoring = "all_or_nothing"
    if each:
        scoring = "per_each"
    rule: dict[str, Any] = {"scoring": scoring}
    if each:
        rule["each"] = float(each[1])
    if found is not None:
        rule["threshold"] = found[0]
    if "信息" in text and (found is None or found[1] == "篇"):
        rule["kind"] = "media"
    elif found is not None and found[1] == "人次":
        rule["kind"] = "participants"
    elif evidence == "会议记录" or (re.search(r"召开[^，。]{0,10}会议", text) and found):
        rule["kind"] = "evidence"
        rule["evidence"] = "会议记录"
    elif evidence is not None and not types:
        rule["kind"] = "evidence"
        rule["evidence"] = evidence
    elif types:
        rule["kind"] = "activities"
        rule["types"] = types
        if evidence is not None:
            rule["evidence"] = evidence
    elif found is not None and found[1] in ("次", "场", "期"):
        rule["kind"] = "activities"
    else:
        return None
    if "threshold" not in rule and scoring != "per_each":
        rule["threshold"] = 1.0  # 参与/开展 without a number: at least once
    return rule


def rule_text(rule: dict[str, Any] | None) -> str:
    """The rule in words, for review beside the standard it was read from."""
    if not rule:
        return "人工评分"
    parts = [KIND_LABELS.get(rule.get("kind", ""), rule.get("kind", ""))]
    if rule.get("types"):
        names = {code: word for word, code in reversed(TYPE_WORDS.items())}
        parts.append("类型：" + "、".join(names.get(c, c) for c in rule["types"]))
    if rule.get("evidence"):
        parts.append(f"须有{rule['evidence']}")
    if rule.get("indicator"):
        parts.append(f"指标 {rule['indicator']}")
    if rule.get("threshold") is not None:
        parts.append(f"达到 {rule['threshold']:g}")
    scoring = rule.get("scoring", "proportional")
    parts.append(
        f"每次 {rule['each']:g} 分"
        if scoring == "per_each"
        else SCORING_LABELS.get(scoring, scoring)
    )
    return "，".join(parts)


def rule_problems(rule: dict[str, Any]) -> list[str]:
    """What is wrong with a rule written by hand (a YAML rubric, the editor)."""
    problems = []
    if rule.get("kind") not in KINDS:
        problems.append(f"规则类型“{rule.get('kind')}”无效，应为 {'、'.join(KINDS)} 之一。")
    if rule.get("scoring", "proportional") not in SCORINGS:
        problems.append(f"计分方式“{rule.get('scoring')}”无效。")
    if rule.get("scoring") == "per_each" and not rule.get("each"):
        problems.append("“每次计分”须写明每次的分值（each）。")
    if rule.get("kind") == "indicator" and not rule.get("indicator"):
        problems.append("“指标完成”规则须写明指标编号（indicator）。")
    if rule.get("evidence") not in (None, *EVIDENCE_KINDS):
        problems.append(f"佐证材料类型“{rule.get('evidence')}”无效。")
    return problems
