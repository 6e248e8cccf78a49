"""The return's layout: its sheets, the 进展统计表 columns and the hidden data sheet's fields.

The writer (desktop/exporting/return_workbook.py) lays the return out by
these names and the reader one level up (desktop/importing/return_file.py)
finds its figures again by them, so the two agree without either depending
on the other.
"""

from __future__ import annotations

FORMAT_VERSION = "kepu-return/1"
DATA_SHEET = "_data"
PROGRESS_SHEET = "进展统计表"
REGIONS_SHEET = "分地区"
PROGRESS_HEADERS = [
    "序号",
    "行动/工程",
    "任务",
    "指标",
    "计量单位",
    "目标值",
    "本期完成",
    "累计完成",
    "完成率",
    "进度",
    "牵头单位",
    "备注",
]
# 0-based columns of the 进展统计表 the data sheet's figures are shown in; its header row.
PROGRESS_COLUMNS = {
    "name": 3,
    "uom": 4,
    "target": 5,
    "period_value": 6,
    "cumulative": 7,
}
PROGRESS_HEADER_ROW = 4
DATA_HEADERS = [
    "format_version",
    "record",
    "plan_code",
    "region",
    "period",
    "period_start",
    "period_end",
    "as_of",
    "code",
    "name",
    "uom",
    "measure",
    "target_mode",
    "target",
    "period_value",
    "cumulative",
    "completion_pct",
    "expected_pct",
    "status",
]
