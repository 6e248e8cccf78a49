"""A rubric written back in the published shape, so the office can print, send or edit it.

Columns as published rubrics have them (考核项目 · 序号 · 考核内容 · 考核标准 ·
分值 · 自评分 · 审核分 · 考核依据 · 备注), a group merged over its rows, a 合计
row, and a last column saying which rule the program read from each
standard. desktop/importing/rubric_workbook.py reads it back item by item.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from desktop.exporting.cells import put_value
from desktop.exporting.files import written_in_place
from desktop.exporting.xlsx_style import LINE_HEIGHT, text_lines
from desktop.services.assessment_rules import rule_text

HEADERS = [
    ("考核项目", 12),
    ("序号", 6),
    ("考核内容", 16),
    ("考核标准", 46),
    ("分值", 7),
    ("自评分", 8),
    ("审核分", 8),
    ("考核依据", 16),
    ("备注", 12),
    ("程序识别的计分规则", 30),
]
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")


def write_rubric_workbook(rubric: dict[str, Any], out: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "评分细则"
    width = len(HEADERS)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    put_value(ws.cell(1, 1), rubric["name"])
    ws.cell(1, 1).font = Font(name="宋体", size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    for col, (text, w) in enumerate(HEADERS, start=1):
        cell = ws.cell(2, col, text)
        cell.font = Font(name="宋体", size=10.5, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
        ws.column_dimensions[cell.column_letter].width = w
    row = 3
    group_start, group = row, None
    for item in rubric["items"]:
        if item["group"] != group:
            if group is not None and row - 1 > group_start:
                ws.merge_cells(start_row=group_start, start_column=1, end_row=row - 1, end_column=1)
            group_start, group = row, item["group"]
            put_value(ws.cell(row, 1), item["group"])
        values = [
            None,
            item["code"],
            item["content"],
            item["standard"],
            item["max"],
            None,
            None,
            item["basis"],
            item["note"],
            rule_text(item["rule"]),
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col)
            if col > 1:
                put_value(cell, value)
            cell.font = Font(name="宋体", size=10.5)
            cell.alignment = _WRAP
            cell.border = _BOX
        # Suites do not grow a row for wrapped text written by a program: say how tall it is.
        lines = max(
            text_lines(str(v), w) for v, (_, w) in zip(values, HEADERS, strict=True) if v
        )
        ws.row_dimensions[row].height = max(lines * LINE_HEIGHT + 6, 20)
        row += 1
    if group is not None and row - 1 > group_start:
        ws.merge_cells(start_row=group_start, start_column=1, end_row=row - 1, end_column=1)
    put_value(ws.cell(row, 3), "合计")
    ws.cell(row, 5, sum(i["max"] for i in rubric["items"]))
    for col in range(1, width + 1):
        ws.cell(row, col).border = _BOX
        ws.cell(row, col).font = Font(name="宋体", size=10.5, bold=True)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    with written_in_place(Path(out)) as staged:
        wb.save(staged.tmp)
    return Path(out)
