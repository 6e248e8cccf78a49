"""The self-assessment workbook (自评表) a member unit fills in and sends back.

Sheets: 自评表 (the rubric's items with the automatic score and its reason,
a 自评分 column to fill, validated 0..分值 row by row, and a 说明 column),
本年活动 (the unit's activities of the year the scores rest on, for
reference), and a very hidden marker sheet naming the template kind,
unit, year and rubric, so the import refuses a workbook made for anything
else. Only the 自评分 and 说明 cells are editable; the sheets are
protected without a password, against slips, not against intent.

Everything the rubric or the ledger supplied is written as text
(cells.put_value): a standard that begins with = never becomes a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from desktop.assessment_layout import (
    ACTIVITY_COLUMNS,
    ACTIVITY_SHEET,
    FIRST_DATA_ROW,
    HEADER_ROW,
    MARKER_SHEET,
    SCORE_COLUMN_OF,
    SCORE_COLUMNS,
    SCORE_SHEET,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
)
from desktop.exporting.cells import put_value
from desktop.exporting.files import written_in_place
from desktop.exporting.xlsx_style import text_lines
from desktop.services.assessment_files import SelfAssessment

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFFFF0")
_FONT = "宋体"
_EDITABLE = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LINE = 14.0


def _put(ws: Worksheet, row: int, col: int, value: Any, bold: bool = False) -> Cell:
    cell = put_value(ws.cell(row=row, column=col), value)
    cell.font = Font(name=_FONT, bold=bold)
    return cell


def _title(ws: Worksheet, text: str, subtitle: str, last_col: int) -> None:
    _put(ws, 1, 1, text).font = Font(name=_FONT, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    _put(ws, 2, 1, subtitle)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)


def _headers(ws: Worksheet, headers: list[tuple[str, float]]) -> None:
    for col, (text, width) in enumerate(headers, start=1):
        cell = _put(ws, HEADER_ROW, col, text, bold=True)
        cell.font = Font(name=_FONT, bold=True, color="C00000" if text.endswith("*") else "000000")
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _CENTER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 30
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)


def _print_setup(ws: Worksheet, landscape: bool) -> None:
    """A4, one page wide, the header row repeated on every page (as the collection workbook)."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _score_sheet(wb: Workbook, spec: SelfAssessment) -> None:
    ws = wb.active
    ws.title = SCORE_SHEET
    last = len(SCORE_COLUMNS)
    _title(
        ws,
        f"{spec.unit}{spec.year}年度全民科学素质工作考核自评表",
        f"被考核单位：{spec.unit}　　考核年度：{spec.year}　　评分细则：《{spec.rubric_name}》",
        last,
    )
    _headers(ws, [(header, width) for _, header, width in SCORE_COLUMNS])
    widths = {key: width for key, _, width in SCORE_COLUMNS}
    self_col, note_col = SCORE_COLUMN_OF["self"], SCORE_COLUMN_OF["note"]
    by_max: dict[float, list[str]] = {}
    row = FIRST_DATA_ROW
    for item in spec.items:
        values = {
            "group": item.group,
            "code": item.code,
            "content": item.content,
            "standard": item.standard,
            "max": item.max,
            "auto": item.auto if item.auto is not None else "人工评分",
            "reason": item.reason,
            "self": item.self_score,
            "note": item.note,
        }
        for key, col in SCORE_COLUMN_OF.items():
            cell = _put(ws, row, col, values[key])
            cell.border = _BORDER
            cell.alignment = _CENTER if key in ("code", "max", "auto", "self") else _WRAP
            if key in ("max", "auto", "self"):
                cell.number_format = "0.##"
        for col in (self_col, note_col):
            cell = ws.cell(row, col)
            cell.protection = _EDITABLE
            cell.fill = _INPUT_FILL
        ws.cell(row, note_col).number_format = "@"
        lines = max(text_lines(values[k], widths[k]) for k in ("content", "standard", "reason"))
        ws.row_dimensions[row].height = max(lines * _LINE + 6, 20)
        by_max.setdefault(item.max, []).append(f"{get_column_letter(self_col)}{row}")
        row += 1
    for points, cells in by_max.items():
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=f"{points:g}",
            showErrorMessage=True,
            errorTitle="自评分",
            error=f"自评分应填写 0 至 {points:g} 之间的数字。",
        )
        for ref in cells:
            dv.add(ref)
        ws.add_data_validation(dv)
    _put(ws, row, SCORE_COLUMN_OF["content"], "合计", bold=True)
    _put(ws, row, SCORE_COLUMN_OF["max"], sum(i.max for i in spec.items), bold=True)
    total = ws.cell(row, self_col)
    total.value = f"=SUM({get_column_letter(self_col)}{FIRST_DATA_ROW}:{get_column_letter(self_col)}{row - 1})"
    total.font = Font(name=_FONT, bold=True)
    total.number_format = "0.##"
    for col in range(1, last + 1):
        ws.cell(row, col).border = _BORDER
        ws.cell(row, col).alignment = _CENTER
    ws.row_dimensions[row].height = 20
    note = (
        "填写说明：在“自评分”列填写 0 至该项分值之间的数字（可带小数），不填视为未自评；"
        "“说明”列可写自评的依据。自动评分由台账数据算出，仅供参考；"
        "请勿增删行、修改序号或使用公式，填好后将本文件原样发回。"
    )
    _put(ws, row + 2, 1, note).alignment = _WRAP
    ws.merge_cells(start_row=row + 2, start_column=1, end_row=row + 2, end_column=last)
    ws.row_dimensions[row + 2].height = 48
    _print_setup(ws, landscape=True)
    _protect(ws)


def _activity_sheet(wb: Workbook, spec: SelfAssessment) -> None:
    ws = wb.create_sheet(ACTIVITY_SHEET)
    last = len(ACTIVITY_COLUMNS)
    _title(
        ws,
        f"{spec.unit}{spec.year}年科普活动一览",
        f"台账中由{spec.unit}组织的 {spec.year} 年活动共 {len(spec.activities)} 次，"
        "是自动评分的依据；如有遗漏，请先补报活动。",
        last,
    )
    _headers(ws, [(header, width) for _, header, width in ACTIVITY_COLUMNS])
    title_width = next(w for k, _, w in ACTIVITY_COLUMNS if k == "title")
    row = FIRST_DATA_ROW
    for number, a in enumerate(spec.activities, start=1):
        values = [number, a.day, a.title, a.type_name, a.place, a.participants]
        for col, value in enumerate(values, start=1):
            cell = _put(ws, row, col, value)
            cell.border = _BORDER
            cell.alignment = _WRAP if col == 3 else _CENTER
        ws.cell(row, 2).number_format = "yyyy-mm-dd"
        ws.cell(row, 6).number_format = "#,##0"
        ws.row_dimensions[row].height = max(text_lines(a.title, title_width) * _LINE + 4, 18)
        row += 1
    if not spec.activities:
        _put(ws, row, 1, f"台账中没有{spec.unit} {spec.year} 年组织的活动。")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    else:
        _put(ws, row, 3, "合计", bold=True)
        _put(ws, row, 6, sum(a.participants for a in spec.activities), bold=True)
        ws.cell(row, 6).number_format = "#,##0"
        for col in range(1, last + 1):
            ws.cell(row, col).border = _BORDER
            ws.cell(row, col).alignment = _CENTER
        ws.row_dimensions[row].height = 18
    _print_setup(ws, landscape=False)
    _protect(ws)


def _marker(wb: Workbook, spec: SelfAssessment) -> None:
    ws = wb.create_sheet(MARKER_SHEET)
    for row, (key, value) in enumerate(
        (
            ("kind", TEMPLATE_KIND),
            ("version", TEMPLATE_VERSION),
            ("unit", spec.unit),
            ("year", str(spec.year)),
            ("rubric", str(spec.rubric_id)),
        ),
        start=1,
    ):
        put_value(ws.cell(row, 1), key)
        put_value(ws.cell(row, 2), value)
    ws.sheet_state = "veryHidden"
    _protect(ws)


def write_self_assessment(spec: SelfAssessment, path: Path | str) -> Path:
    """Write one unit's self-assessment workbook to `path` (.xlsx), atomically."""
    wb = Workbook()
    _score_sheet(wb, spec)
    _activity_sheet(wb, spec)
    _marker(wb, spec)
    wb.properties.title = f"{spec.unit}{spec.year}年度考核自评表"
    out = Path(path)
    with written_in_place(out) as staged:
        wb.save(staged.tmp)
    return out
