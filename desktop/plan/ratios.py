"""A percent indicator computed from two other indicators of the same plan.

A plan may count a rate as one of its level or count indicators over
another; `numerator` and `denominator` hold their codes. The rules for such
a pair live here alone, so a plan file and an indicator the editor saves are
held to the same ones.
"""

from __future__ import annotations

from typing import Any

from desktop.plan.vocabulary import MEASURE_LABELS, RATIO_KEYS

RATIO_NAMES = {"numerator": "分子指标", "denominator": "分母指标"}
PART_MEASURES = ("level", "count")


def ratio_problems(ind: dict[str, Any], measures: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, message) for each fault in an indicator's numerator / denominator.

    Both or neither are given. The parts must be level (a stock) or count (a
    flow) indicators, never a percent and never the indicator itself.
    `measures` maps the codes of the plan's indicators (this one may be among
    them) to their measures.
    """
    parts = {key: ind.get(key) for key in RATIO_KEYS}
    parts = {key: None if value == "" else value for key, value in parts.items()}
    if all(value is None for value in parts.values()):
        return []
    problems: list[tuple[str, str]] = []
    for key, value in parts.items():
        if value is not None and not isinstance(value, str):
            problems.append((key, f"“{RATIO_NAMES[key]}”应为另一指标的编号，现为“{value}”。"))
    if problems:
        return problems
    num, den = parts["numerator"], parts["denominator"]
    if num is None or den is None:
        given, missing = (
            ("numerator", "denominator") if den is None else ("denominator", "numerator")
        )
        return [
            (
                missing,
                f"填写了{RATIO_NAMES[given]}“{parts[given]}”，还应填写{RATIO_NAMES[missing]}"
                "（分子、分母要么都填，要么都不填）。",
            )
        ]
    measure = ind.get("measure")
    if measure in MEASURE_LABELS and measure != "percent":
        problems.append(
            (
                "numerator",
                "只有计量方式为“比率”（percent）的指标才能设分子、分母指标，"
                f"本指标为“{MEASURE_LABELS[measure]}”（{measure}）。",
            )
        )
    if ind.get("source") == "derived":
        problems.append(
            ("source", "由分子、分母计算的比率指标，数据来源应为“手工填报”（manual）。")
        )
    own = ind.get("code")
    for key, code in parts.items():
        label = RATIO_NAMES[key]
        if code == own:
            problems.append((key, f"{label}不能是本指标自身（“{code}”）。"))
        elif code not in measures:
            problems.append((key, f"{label}“{code}”在本方案的指标中不存在。"))
        elif measures[code] == "percent":
            problems.append(
                (
                    key,
                    f"{label}“{code}”本身是比率指标；分子、分母应为存量（level）"
                    "或累计数（count）指标。",
                )
            )
    if num == den and num != own:
        problems.append(("denominator", f"分子、分母不能是同一个指标“{num}”。"))
    return problems
