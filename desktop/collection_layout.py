"""The collection workbook's layout: its sheets, their columns, the marker that names it.

The template writer (desktop/exporting/collection_template.py) lays a unit's
workbook out by these names, the reader (desktop/importing/collection_workbook.py)
finds its cells again by them, and the import's checks (desktop/services/)
name a refused cell's sheet and column by them, so the three agree without any
of them depending on another.
"""

from __future__ import annotations

TEMPLATE_KIND = "kepu-collection"
TEMPLATE_VERSION = "1"
MARKER_SHEET = "_kepu"
INSTRUCTIONS_SHEET = "说明"
ACTIVITY_SHEET = "活动"
INDICATOR_SHEET = "指标填报"
OPTIONS_SHEET = "选项"
HEADER_ROW = 3
FIRST_DATA_ROW = 4

# key, header, kind, width. Kinds: date, text, int, decimal, list:<options column>.
# A header's * marks a required column; the column's name is the header without it.
ACTIVITY_COLUMNS: list[tuple[str, str, str, float]] = [
    ("start_date", "开始日期*", "date", 12),
    ("end_date", "结束日期", "date", 12),
    ("title", "活动名称*", "text", 26),
    ("type", "活动类型*", "list:types", 18),
    ("place", "地点（镇/街道）", "list:places", 14),
    ("tasks", "服务任务", "list:tasks", 22),
    ("groups", "重点人群", "list:groups", 14),
    ("cooperators", "配合单位", "text", 16),
    ("participants", "参加人次", "int", 9),
    ("female", "其中女性", "int", 9),
    ("rural", "其中农村", "int", 9),
    ("sessions", "场次", "int", 6),
    ("volunteers", "志愿者人数", "int", 9),
    ("volunteer_hours", "志愿服务时长（小时）", "decimal", 11),
    ("funding_yuan", "经费（元）", "decimal", 11),
    ("media", "媒体报道", "text", 14),
    ("summary", "活动简介", "text", 26),
]
REQUIRED_ACTIVITY = ("start_date", "title", "type")
HEADER_OF = {key: header.rstrip("*") for key, header, _, _ in ACTIVITY_COLUMNS}
# key, header, width; only `value` and `note` are for the unit to fill in.
INDICATOR_COLUMNS: list[tuple[str, str, float]] = [
    ("code", "指标编号", 10),
    ("name", "指标名称", 34),
    ("uom", "计量单位", 10),
    ("target", "目标值", 20),
    ("value", "本期数值*", 14),
    ("note", "备注", 30),
]
OPTION_LISTS = ("types", "places", "tasks", "groups")


def task_option(code: str, title: str) -> str:
    """A task as the dropdown shows it: its code, a space, its short title (the reader keeps the code)."""
    short = title if len(title) <= 30 else title[:29] + "…"
    return f"{code} {short}"
