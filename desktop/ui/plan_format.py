"""How the plan screens print a plan's numbers, targets and tasks.

The 实施方案 page, its dialogs and the draft editor of 从文本识别 show the
same targets and task labels; they all print them from here, so a target
reads the same in the stored plan as in the draft it came from.
"""

from __future__ import annotations

from desktop.plan.document import IndicatorDoc


def number_text(value: float | None) -> str:
    """A number as a person types it: 10000 rather than 10000.0; blank for none."""
    if value is None:
        return ""
    return f"{int(value)}" if float(value).is_integer() else f"{value:g}"


PENDING = "未定目标"
"""A target still to be entered (a plan just rolled over), as progress names it too."""


def target_text(ind: IndicatorDoc) -> str:
    """The target as the tables show it: "≥ 10000人次", "2021年 100；2022年 200", or 未定目标."""
    if ind.target_mode == "per_year":
        years = ind.targets_by_year or {}
        return "；".join(f"{y}年 {number_text(v)}" for y, v in sorted(years.items())) or PENDING
    if ind.target is None:
        return PENDING
    sign = "≤" if ind.comparator == "<=" else "≥"
    return f"{sign} {number_text(ind.target)}{ind.unit}"


def task_label(number: str, title: str) -> str:
    """A task as the plan prints it: "1．title", or "—— title" for an unnumbered bullet."""
    return f"{number}．{title}" if number else f"—— {title}"
