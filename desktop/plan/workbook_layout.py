"""The plan-structure workbook's layout: its sheets, their headers, the 方案信息 rows.

The writer (desktop/exporting/plan_workbook.py) lays a plan out by these
names and the reader (desktop/importing/plan_workbook_file.py) finds it again
by them, so the two agree without either depending on the other.
"""

from __future__ import annotations

SHEET_META = "方案信息"
SHEET_TREE = "行动与任务"
SHEET_LINKS = "责任单位"
SHEET_UNITS = "单位名录"
SHEET_INDICATORS = "指标"

# 方案信息: (plan key, label); "id" is the plan's own code.
META_FIELDS: list[tuple[str, str]] = [
    ("id", "方案编号"),
    ("region", "地区"),
    ("level", "层级"),
    ("name", "方案名称"),
    ("first_year", "起始年份"),
    ("last_year", "结束年份"),
    ("doc_number", "文号"),
    ("issue_date", "印发日期"),
    ("literacy_baseline", "科学素质基线（%）"),
    ("literacy_baseline_year", "基线年份"),
    ("literacy_target", "科学素质目标（%）"),
]

KIND_TASK = "任务"
"""The 类别 of a task row in 行动与任务; a section row names its kind's label."""
TREE_HEADERS = ["编号", "类别", "序号", "标题", "重点人群", "全文"]
LINK_HEADERS = ["编号", "行动/任务名称", "责任单位", "角色"]
UNIT_HEADERS = ["单位名称", "别名"]
IND_HEAD = ["编号", "指标名称", "计量单位", "计量方式", "所属任务", "目标类型", "比较", "目标值"]
"""The 指标 sheet's columns before the plan's years; IND_TAIL comes after them."""
IND_TAIL = [
    "基线值",
    "基线年份",
    "数据来源",
    "统计口径",
    "活动类型",
    "重点人群",
    "限定任务",
    "限定单位",
    "分子指标编号",
    "分母指标编号",
    "原文",
]
YEAR_HEADER = "{year}年目标"
LIST_SEPARATOR = "、"
