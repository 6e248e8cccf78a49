"""The collection workbook (采集表) a member unit fills in and sends back.

Sheets: 说明 (instructions and the unit's tasks), 活动 (one row per activity,
with dropdowns, date and number validation, protected headers), 指标填报
(the unit's manual indicators for the period, value column editable), a
hidden 选项 sheet holding the dropdown lists, and a very hidden marker sheet
naming the template version, unit, period and plan, so an import can refuse
a workbook that was made for something else.

Everything a user or a plan supplied is written as text: a title that
begins with = + - @ never becomes a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from desktop.collection_layout import (
    ACTIVITY_COLUMNS,
    ACTIVITY_SHEET,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    INSTRUCTIONS_SHEET,
    MARKER_SHEET,
    OPTION_LISTS,
    OPTIONS_SHEET,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
)
from desktop.errors import ServiceError, ValidationError
from desktop.exporting.cells import put_value
from desktop.exporting.files import written_in_place
from desktop.services.periods import parse_period

if TYPE_CHECKING:
    from desktop.services.import_pass import Report
    from desktop.services.imports import ImportService, TemplateSpec

PREPARED_ROWS = 500

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFFFF0")
_FONT = "宋体"
_EDITABLE = Protection(locked=False)


def put_text(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write a value (cells.put_value: strings always stay text, never formulas)."""
    return put_value(ws.cell(row=row, column=col), value)


def _title(ws: Worksheet, text: str, subtitle: str, last_col: int) -> None:
    put_text(ws, 1, 1, text).font = Font(name=_FONT, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    put_text(ws, 2, 1, subtitle).font = Font(name=_FONT, size=11)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)


def _headers(ws: Worksheet, headers: list[tuple[str, float]]) -> None:
    for col, (text, width) in enumerate(headers, start=1):
        cell = put_text(ws, HEADER_ROW, col, text)
        cell.font = Font(name=_FONT, bold=True, color="C00000" if text.endswith("*") else "000000")
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 30
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)


def _fit_width(ws: Worksheet, landscape: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _protect(ws: Worksheet) -> None:
    """Headers are locked; data cells stay editable. No password: this guards against slips."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    ws.protection.sort = False
    ws.protection.autoFilter = False


def _validation(ws: Worksheet, dv: DataValidation, col: int, first: int, last: int) -> None:
    letter = get_column_letter(col)
    dv.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(dv)


def _options_sheet(wb: Workbook, spec: TemplateSpec) -> dict[str, str]:
    """Write the dropdown lists; return each list's absolute range for validations."""
    ws = wb.create_sheet(OPTIONS_SHEET)
    ranges: dict[str, str] = {}
    lists = {
        "types": spec.types,
        "places": spec.places,
        "tasks": spec.task_options,
        "groups": spec.groups,
    }
    headers = {"types": "活动类型", "places": "地点", "tasks": "服务任务", "groups": "重点人群"}
    for col, key in enumerate(OPTION_LISTS, start=1):
        put_text(ws, 1, col, headers[key])
        values = lists[key] or [""]
        for row, value in enumerate(values, start=2):
            put_text(ws, row, col, value)
        letter = get_column_letter(col)
        ranges[key] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        ws.column_dimensions[letter].width = 36
    ws.sheet_state = "hidden"
    _protect(ws)
    return ranges


def _instructions(wb: Workbook, spec: TemplateSpec) -> None:
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 10
    _fit_width(ws, landscape=False)
    put_text(ws, 1, 1, f"{spec.unit_name} {spec.period.label} 科普工作数据采集表").font = Font(
        name=_FONT, size=15, bold=True
    )
    ws.merge_cells("A1:C1")
    lines = [
        ("填报单位", spec.unit_name),
        (
            "统计期",
            f"{spec.period.label}（{spec.period.start.isoformat()} 至 {spec.period.end.isoformat()}）",
        ),
        ("实施方案", spec.plan_name),
        ("收表单位", spec.office_name),
    ]
    row = 3
    for label, value in lines:
        put_text(ws, row, 1, label).font = Font(name=_FONT, bold=True)
        put_text(ws, row, 2, value).font = Font(name=_FONT)
        row += 1
    row += 1
    steps = [
        "1. 在“活动”表中每行填写一次活动；带 * 的列必填。活动日期须在本统计期内。",
        "2. 活动类型、地点、服务任务、重点人群请从下拉列表中选择；一次活动服务多个任务或人群时，可用顿号“、”分隔填写多个。",
        "3. 日期可写成 2024-05-18、2024/5/18、2024.5.18 或 2024年5月18日。",
        "4. 人次、场次、人数填写整数；时长、经费可带小数。不要填写“约”“余”等文字，不要使用公式。",
        "5. 配合单位填写单位全称，多个单位用顿号分隔。",
        "6. 在“指标填报”表的“本期数值”列填写本单位本统计期的数字（如培训人次），不填视为未报。",
        "7. 请勿修改表头、增删工作表或合并单元格；填好后将本文件原样发回。",
        "8. 同一文件重复导入不会重复记账；已导入的活动以“单位＋日期＋活动名称”识别。",
    ]
    for text in steps:
        put_text(ws, row, 1, text).font = Font(name=_FONT)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 32
        row += 1
    row += 1
    put_text(ws, row, 1, "本单位承担的任务").font = Font(name=_FONT, bold=True, size=12)
    row += 1
    for col, text in enumerate(("任务编号", "任务", "职责"), start=1):
        cell = put_text(ws, row, col, text)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
    row += 1
    if not spec.tasks:
        put_text(ws, row, 1, "（方案中未列明本单位承担的任务，服务任务可从下拉列表中任选。）")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    for task in spec.tasks:
        for col, text in enumerate((task.code, task.title, task.role), start=1):
            cell = put_text(ws, row, col, text)
            cell.font = Font(name=_FONT)
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    ws.protection.sheet = True


def _activity_sheet(wb: Workbook, spec: TemplateSpec, ranges: dict[str, str]) -> None:
    ws = wb.create_sheet(ACTIVITY_SHEET)
    last = len(ACTIVITY_COLUMNS)
    _title(
        ws,
        f"{spec.unit_name}科普活动填报表",
        f"填报单位：{spec.unit_name}　　统计期：{spec.period.label}　　"
        f"（{spec.period.start.isoformat()} 至 {spec.period.end.isoformat()}）",
        last,
    )
    _headers(ws, [(header, width) for _, header, _, width in ACTIVITY_COLUMNS])
    end_row = FIRST_DATA_ROW + PREPARED_ROWS - 1
    start, end = spec.period.start, spec.period.end
    for col, (_key, header, kind, _width) in enumerate(ACTIVITY_COLUMNS, start=1):
        number_format = {"date": "yyyy-mm-dd", "int": "0", "decimal": "0.00"}.get(kind, "@")
        for row in range(FIRST_DATA_ROW, end_row + 1):
            cell = ws.cell(row, col)
            cell.protection = _EDITABLE
            cell.number_format = number_format
        if kind == "date":
            dv = DataValidation(
                type="date",
                operator="between",
                formula1=f"DATE({start.year},{start.month},{start.day})",
                formula2=f"DATE({end.year},{end.month},{end.day})",
                errorStyle="warning",
                showErrorMessage=True,
                errorTitle="日期",
                error=f"{header.rstrip('*')}应在 {start.isoformat()} 至 {end.isoformat()} 之间。",
            )
        elif kind in ("int", "decimal"):
            dv = DataValidation(
                type="whole" if kind == "int" else "decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                showErrorMessage=True,
                errorTitle="数字",
                error=f"{header}应填写{'整数' if kind == 'int' else '数字'}，且不能为负数。",
            )
        elif kind.startswith("list:"):
            # Several items may be typed with 、, so only the type must come from the list.
            strict = kind == "list:types"
            dv = DataValidation(
                type="list",
                formula1=ranges[kind.split(":", 1)[1]],
                showErrorMessage=strict,
                errorStyle="stop" if strict else "information",
                errorTitle="请从列表中选择",
                error=f"{header.rstrip('*')}请从下拉列表中选择。",
            )
        else:
            continue
        _validation(ws, dv, col, FIRST_DATA_ROW, end_row)
    ws.print_options.gridLines = True
    _fit_width(ws, landscape=True)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _protect(ws)


def _indicator_sheet(wb: Workbook, spec: TemplateSpec) -> None:
    ws = wb.create_sheet(INDICATOR_SHEET)
    _title(
        ws,
        f"{spec.unit_name}指标数据填报表",
        f"填报单位：{spec.unit_name}　　统计期：{spec.period.label}",
        len(INDICATOR_COLUMNS),
    )
    _headers(ws, [(header, width) for _, header, width in INDICATOR_COLUMNS])
    row = FIRST_DATA_ROW
    for ind in spec.indicators:
        for col, value in enumerate((ind.code, ind.name, ind.uom, ind.target_text), start=1):
            cell = put_text(ws, row, col, value)
            cell.font = Font(name=_FONT)
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for col in (5, 6):
            cell = ws.cell(row, col)
            cell.protection = _EDITABLE
            cell.fill = _INPUT_FILL
            cell.border = _BORDER
            cell.number_format = "0.##" if col == 5 else "@"
        row += 1
    if spec.indicators:
        dv = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            showErrorMessage=True,
            errorTitle="数字",
            error="本期数值应填写数字，且不能为负数。",
        )
        _validation(ws, dv, 5, FIRST_DATA_ROW, row - 1)
    else:
        put_text(ws, row, 1, "本单位在本统计期没有需要填报的指标。")
        ws.merge_cells(
            start_row=row, start_column=1, end_row=row, end_column=len(INDICATOR_COLUMNS)
        )
    _fit_width(ws, landscape=True)
    _protect(ws)


def _marker(wb: Workbook, spec: TemplateSpec) -> None:
    ws = wb.create_sheet(MARKER_SHEET)
    for row, (key, value) in enumerate(
        (
            ("kind", TEMPLATE_KIND),
            ("version", TEMPLATE_VERSION),
            ("unit", spec.unit_name),
            ("period", spec.period.code),
            ("plan", spec.plan_code),
        ),
        start=1,
    ):
        put_text(ws, row, 1, key)
        put_text(ws, row, 2, value)
    ws.sheet_state = "veryHidden"
    _protect(ws)


def write_template(spec: TemplateSpec, path: Path | str) -> Path:
    """Write one unit's collection workbook to `path` (.xlsx)."""
    wb = Workbook()
    _instructions(wb, spec)
    ranges = _options_sheet(wb, spec)
    _activity_sheet(wb, spec, ranges)
    _indicator_sheet(wb, spec)
    _marker(wb, spec)
    wb.move_sheet(OPTIONS_SHEET, offset=len(wb.sheetnames))
    wb.move_sheet(MARKER_SHEET, offset=len(wb.sheetnames))
    wb.active = wb.sheetnames.index(ACTIVITY_SHEET)
    wb[INSTRUCTIONS_SHEET].sheet_view.tabSelected = False
    wb[ACTIVITY_SHEET].sheet_view.tabSelected = True
    out = Path(path)
    with written_in_place(out) as staged:
        wb.save(staged.tmp)
    return out


def write_templates(
    imports: ImportService,
    period_code: str,
    out_dir: Path | str,
    unit_ids: Sequence[int] | None = None,
    progress: Report | None = None,
) -> list[Path]:
    """One workbook per unit (by default every unit of the plan) into a folder; `progress` may cancel."""
    period = parse_period(period_code)
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ValidationError(f"输出文件夹不存在：{out_dir}")
    ids = list(unit_ids) if unit_ids is not None else [u.id for u in imports.template_units()]
    written: list[Path] = []
    for done, unit_id in enumerate(ids):
        if progress is not None and not progress(done, len(ids)):
            raise ServiceError(f"已取消；已生成 {len(written)} 个文件。")
        spec = imports.template_spec(unit_id, period.code)
        name = f"{safe_file_name(spec.unit_name)}-{period.code}-采集表.xlsx"
        written.append(write_template(spec, out_dir / name))
    if progress is not None:
        progress(len(ids), len(ids))
    return written


def safe_file_name(text: str) -> str:
    """A unit name made safe for a file name on Windows."""
    bad = '<>:"/\\|?*'
    cleaned = "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in text).strip(" .")
    return cleaned or "单位"
