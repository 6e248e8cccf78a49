"""The ranges every stored number must lie in, each with the reason for its bound.

One table, checked in one place for every path (window, command line,
collection workbooks, plan files). A figure outside it is a typing slip
(an extra row of zeros, a phone number in the wrong column) or a hostile
file, never a real activity, and it would overflow SQLite's integers or
make the summary's tables too wide to lay out. The bounds are generous:
each is far beyond anything a county — or a city consolidating ten
counties over ten years — records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from desktop.errors import ValidationError


@dataclass(frozen=True)
class Limit:
    label: str
    high: float
    whole: bool
    why: str
    low: float = 0


LIMITS: dict[str, Limit] = {
    # One activity record: a lecture series, a campaign week, a whole county's 科普日.
    "participants": Limit("参加人次", 10_000_000, True, "一条活动记录最多一千万人次"),
    "female": Limit("女性人次", 10_000_000, True, "一条活动记录最多一千万人次"),
    "rural": Limit("农村人次", 10_000_000, True, "一条活动记录最多一千万人次"),
    "sessions": Limit("场次", 100_000, True, "一条活动记录最多十万场（期）"),
    "volunteers": Limit("志愿者人数", 1_000_000, True, "一条活动记录最多一百万名志愿者"),
    "volunteer_hours": Limit("志愿服务时长", 10_000_000, False, "一条活动记录最多一千万小时"),
    "funding_yuan": Limit("经费（元）", 10_000_000_000, False, "一条活动记录最多一百亿元"),
    # Indicator figures: a city's ten counties over a plan period stay far below.
    "value": Limit("数值", 1e12, False, "指标数值最多一万亿"),
    "target": Limit("目标值", 1e12, False, "目标值最多一万亿"),
    "baseline": Limit("基期值", 1e12, False, "基期值最多一万亿"),
    "headcount": Limit("人数", 100_000_000, True, "一支队伍最多一亿人"),
}


# One collection workbook (desktop/importing): how much a single file may hold. A
# county's member unit sends a few hundred rows a quarter; the bounds leave room
# for a city's whole year in one file while keeping what the reader holds in
# memory (a dense grid of the sheet) to a few hundred megabytes.
FILE_LIMITS: dict[str, Limit] = {
    "activity_rows": Limit("活动行数", 200_000, True, "一个采集表最多 200000 行活动"),
    "sheet_rows": Limit("工作表行数", 250_000, True, "一个工作表最多 250000 行，含空行"),
    "sheet_columns": Limit("工作表列数", 26, True, "采集表的内容应在 A 至 Z 列之内"),
    "indicator_rows": Limit("指标行数", 2_000, True, "“指标填报”表最多 2000 行"),
}


def _show(value: float | int | Decimal) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "无穷大" if value > 0 else ("负无穷大" if value < 0 else "非数字")
    if abs(value) >= 1e15:  # a figure this size is read as an order of magnitude
        return f"{Decimal(value):.3e}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.15g}"


def _bound(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def checked(name: str, value: float | int | Decimal, label: str | None = None) -> float | int:
    """`value` if it lies in the range of `name`; else ValidationError naming value and bound."""
    limit = LIMITS[name]
    label = label or limit.label
    if isinstance(value, bool):
        raise ValidationError(f"{label}应填写数字。", name)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(f"{label}不是有效的数字。", name)
        value = int(value) if limit.whole and value == value.to_integral_value() else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(f"{label}“{_show(value)}”不是有效的数字。", name)
    if value < limit.low:
        raise ValidationError(f"{label}不能为负数（{_show(value)}）。", name)
    if value > limit.high:
        raise ValidationError(
            f"{label} {_show(value)} 超出允许范围（{_bound(limit.low)}—{_bound(limit.high)}："
            f"{limit.why}），请核对。",
            name,
        )
    if limit.whole and not float(value).is_integer():
        raise ValidationError(f"{label}应为整数，实际是 {_show(value)}。", name)
    return int(value) if limit.whole else float(value)


def checked_or_none(name: str, value: float | int | None, label: str | None = None) -> float | None:
    """An optional figure (a target or baseline not yet set) is None; any other is checked."""
    return None if value is None else float(checked(name, value, label))
