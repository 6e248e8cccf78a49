"""The self-assessment workbook's layout: its sheets, their columns, the marker that names it.

The template writer (desktop/exporting/assessment_template.py) lays a unit's
自评表 out by these names and the reader (desktop/importing/assessment_workbook.py)
finds its cells again by them, so the two agree without depending on each other.
"""

from __future__ import annotations

TEMPLATE_KIND = "kepu-assessment"
TEMPLATE_VERSION = "1"
MARKER_SHEET = "_kepu"
SCORE_SHEET = "自评表"
ACTIVITY_SHEET = "本年活动"
HEADER_ROW = 3
FIRST_DATA_ROW = 4

# key, header, width. Only `self` and `note` are for the unit to fill in;
# a header's * marks the column to fill.
SCORE_COLUMNS: list[tuple[str, str, float]] = [
    ("group", "考核项目", 12),
    ("code", "序号", 6),
    ("content", "考核内容", 18),
    ("standard", "考核标准", 40),
    ("max", "分值", 7),
    ("auto", "自动评分", 9),
    ("reason", "自动评分依据", 30),
    ("self", "自评分*", 9),
    ("note", "说明", 26),
]
SCORE_HEADER_OF = {key: header.rstrip("*") for key, header, _ in SCORE_COLUMNS}
SCORE_COLUMN_OF = {key: index for index, (key, _, _) in enumerate(SCORE_COLUMNS, start=1)}

ACTIVITY_COLUMNS: list[tuple[str, str, float]] = [
    ("number", "序号", 6),
    ("date", "日期", 12),
    ("title", "活动名称", 42),
    ("type", "活动类型", 20),
    ("place", "地点", 14),
    ("participants", "参加人次", 10),
]

RESULTS_SHEET = "考核结果汇总表"
