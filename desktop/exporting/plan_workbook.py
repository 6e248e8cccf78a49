"""The plan-structure workbook: a plan laid out for editing in Excel.

An office exports its plan, fixes a unit name or adds a target in Excel, and
loads the file back: desktop/importing/plan_workbook_file.py reads the layout
of desktop/plan/workbook_layout.py that this module writes. Every coded value
(kind, role, measure, target mode, comparator, source, metric) is written as
a Chinese label with a dropdown; 分子指标编号 and 分母指标编号 (a percent
computed from two other indicators) offer the sheet's own indicator codes. User text is always stored as text, never as a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from desktop.exporting.cells import put_value
from desktop.exporting.files import written_in_place
from desktop.plan.document import IndicatorDoc, PlanDocument
from desktop.plan.vocabulary import (
    ACTIVITY_TYPES,
    COMPARATOR_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    MEASURE_LABELS,
    METRIC_LABELS,
    ROLE_LABELS,
    SOURCE_LABELS,
    TARGET_GROUPS,
    TARGET_MODE_LABELS,
)
from desktop.plan.workbook_layout import (
    IND_HEAD,
    IND_TAIL,
    KIND_TASK,
    LINK_HEADERS,
    LIST_SEPARATOR,
    META_FIELDS,
    SHEET_INDICATORS,
    SHEET_LINKS,
    SHEET_META,
    SHEET_TREE,
    SHEET_UNITS,
    TREE_HEADERS,
    UNIT_HEADERS,
    YEAR_HEADER,
)

_META_NOTES = {
    "id": "字母、数字和“-”，用于区分多个方案",
    "level": "县级 或 市级",
    "first_year": "四位年份",
    "last_year": "四位年份",
    "issue_date": "YYYY-MM-DD，未印明可空",
    "literacy_baseline": "公民具备科学素质的比例，可空",
    "literacy_target": "到结束年份应达到的比例，可空",
}

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_LINE_POINTS = 15.0
_MAX_ROW_POINTS = 409.0


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write one cell; a string is always text, even when it starts with = + - @."""
    cell = put_value(ws.cell(row=row, column=col), value)
    cell.border = _BORDER
    cell.alignment = _WRAP
    return cell


def _fit_heights(ws: Worksheet) -> None:
    """Row heights for wrapped Chinese text (a CJK character is two width units).

    Spreadsheet programs do not all grow rows on open, and a task's full
    text must be readable on screen and on paper.
    """
    widths = {
        col: (ws.column_dimensions[get_column_letter(col)].width or 12)
        for col in range(1, ws.max_column + 1)
    }
    for row in ws.iter_rows(min_row=2):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.value:
                per_line = max(int(widths[cell.column] / 2.1), 1)
                lines = max(lines, -(-len(cell.value) // per_line))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(lines * _LINE_POINTS, _MAX_ROW_POINTS)


def _header(ws: Worksheet, headers: list[str], widths: dict[str, float]) -> None:
    for col, text in enumerate(headers, start=1):
        cell = _put(ws, 1, col, text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = widths.get(text, 12)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _dropdown(ws: Worksheet, col: int, choices: list[str], rows: int, strict: bool = True) -> None:
    """A list dropdown on a whole column below the header."""
    letter = get_column_letter(col)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=strict,
        errorTitle="无效的值",
        error="请从下拉列表中选择。",
    )
    dv.add(f"{letter}2:{letter}{max(rows, 2) + 200}")
    ws.add_data_validation(dv)


def _joined(items: list[str]) -> str:
    return LIST_SEPARATOR.join(items)


def _indicator_cells(ind: IndicatorDoc, years: range) -> dict[str, Any]:
    """One row of the 指标 sheet, by header: coded values as their labels.

    Rules name activity types in words (科普讲座), not codes (lecture).
    """
    type_names = {code: name for code, name, _counts in ACTIVITY_TYPES}
    rule = ind.rule
    by_year = ind.targets_by_year or {}
    return {
        "编号": ind.code,
        "指标名称": ind.name,
        "计量单位": ind.unit,
        "计量方式": MEASURE_LABELS.get(ind.measure, ind.measure),
        "所属任务": ind.task or "",
        "目标类型": TARGET_MODE_LABELS.get(ind.target_mode, ind.target_mode),
        "比较": COMPARATOR_LABELS.get(ind.comparator, ind.comparator),
        "目标值": ind.target,
        "基线值": ind.baseline,
        "基线年份": ind.baseline_year,
        "数据来源": SOURCE_LABELS.get(ind.source, ind.source),
        "统计口径": METRIC_LABELS.get(rule.metric, rule.metric) if rule else "",
        "活动类型": _joined([type_names.get(c, c) for c in rule.activity_types] if rule else []),
        "重点人群": _joined(rule.target_groups if rule else []),
        "限定任务": _joined(rule.tasks if rule else []),
        "限定单位": _joined(rule.units if rule else []),
        "分子指标编号": ind.numerator or "",
        "分母指标编号": ind.denominator or "",
        "原文": ind.quote,
    } | {YEAR_HEADER.format(year=year): by_year.get(year) for year in years}


def _meta_sheet(ws: Worksheet, doc: PlanDocument) -> None:
    _header(ws, ["项目", "内容", "说明"], {"项目": 20, "内容": 60, "说明": 36})
    for row, (key, label) in enumerate(META_FIELDS, start=2):
        _put(ws, row, 1, label).font = Font(bold=True)
        value = doc.id if key == "id" else getattr(doc.info, key)
        if key == "level":
            value = LEVEL_LABELS.get(value, value)
        _put(ws, row, 2, value).alignment = Alignment(vertical="top", horizontal="left")
        _put(ws, row, 3, _META_NOTES.get(key, ""))
    dv = DataValidation(type="list", formula1='"' + ",".join(LEVEL_LABELS.values()) + '"')
    dv.add("B4")
    ws.add_data_validation(dv)


def _tree_sheet(ws: Worksheet, doc: PlanDocument) -> None:
    """Each section in bold on its shaded row, its tasks below it."""
    _header(ws, TREE_HEADERS, {"编号": 9, "类别": 11, "序号": 7, "标题": 36, "全文": 90})
    row = 2
    for sec in doc.sections:
        cells = [
            sec.code,
            KIND_LABELS.get(sec.kind, sec.kind),
            "",
            sec.title,
            sec.target_group or "",
            "",
        ]
        for col, value in enumerate(cells, start=1):
            cell = _put(ws, row, col, value)
            cell.fill = _SECTION_FILL
            cell.font = Font(bold=True)
        row += 1
        for task in sec.tasks:
            cells = [task.code, KIND_TASK, task.number, task.title, "", task.text]
            for col, value in enumerate(cells, start=1):
                _put(ws, row, col, value)
            row += 1
    _fit_heights(ws)
    _dropdown(ws, 2, [*KIND_LABELS.values(), KIND_TASK], row)
    _dropdown(ws, 5, TARGET_GROUPS, row)


def _links_sheet(ws: Worksheet, doc: PlanDocument) -> None:
    """One row per responsible unit of a section or task; 责任单位 offers 单位名录's names."""
    _header(ws, LINK_HEADERS, {"编号": 9, "行动/任务名称": 40, "责任单位": 28, "角色": 8})
    row = 2
    for sec in doc.sections:
        for owner in [sec, *sec.tasks]:
            for link in owner.units:
                _put(ws, row, 1, owner.code)
                _put(ws, row, 2, owner.title)
                _put(ws, row, 3, link.name)
                _put(ws, row, 4, ROLE_LABELS.get(link.role, link.role))
                row += 1
    _dropdown(ws, 4, list(ROLE_LABELS.values()), row)
    unit_rows = max(len(doc.units), 1) + 1
    dv = DataValidation(
        type="list",
        formula1=f"'{SHEET_UNITS}'!$A$2:$A${unit_rows + 200}",
        showErrorMessage=False,
    )
    dv.add(f"C2:C{row + 200}")
    ws.add_data_validation(dv)


def _units_sheet(ws: Worksheet, doc: PlanDocument) -> None:
    _header(ws, UNIT_HEADERS, {"单位名称": 30, "别名": 50})
    for row, unit in enumerate(doc.units, start=2):
        _put(ws, row, 1, unit.name)
        _put(ws, row, 2, _joined(unit.aliases))


def _indicator_sheet(ws: Worksheet, doc: PlanDocument) -> None:
    """One row per indicator, with a target column for each year of the plan."""
    years = range(int(doc.info.first_year), int(doc.info.last_year) + 1)
    year_headers = [YEAR_HEADER.format(year=year) for year in years]
    headers = [*IND_HEAD, *year_headers, *IND_TAIL]
    _header(
        ws,
        headers,
        {"指标名称": 28, "目标类型": 11, "比较": 11, "数据来源": 10, "活动类型": 16, "原文": 60}
        | {h: 10 for h in year_headers}
        | {h: 8 for h in ("编号", "计量单位", "基线值", "基线年份")},
    )
    col_of = {h: i for i, h in enumerate(headers, start=1)}
    for row, ind in enumerate(doc.indicators, start=2):
        for header, value in _indicator_cells(ind, years).items():
            _put(ws, row, col_of[header], value)
    _fit_heights(ws)
    rows = len(doc.indicators) + 1
    _dropdown(ws, col_of["计量方式"], list(MEASURE_LABELS.values()), rows)
    _dropdown(ws, col_of["目标类型"], list(TARGET_MODE_LABELS.values()), rows)
    _dropdown(ws, col_of["比较"], list(COMPARATOR_LABELS.values()), rows)
    _dropdown(ws, col_of["数据来源"], list(SOURCE_LABELS.values()), rows)
    _dropdown(ws, col_of["统计口径"], list(METRIC_LABELS.values()), rows)
    # 分子/分母: a percent indicator computed from two other indicators of this
    # sheet; the dropdown offers the codes in column A (rows added later too).
    codes = DataValidation(
        type="list",
        formula1=f"'{SHEET_INDICATORS}'!$A$2:$A${rows + 200}",
        allow_blank=True,
        showErrorMessage=False,
    )
    for header in ("分子指标编号", "分母指标编号"):
        letter = get_column_letter(col_of[header])
        codes.add(f"{letter}2:{letter}{rows + 200}")
    ws.add_data_validation(codes)


def write_plan_workbook(doc: PlanDocument, path: Path | str) -> None:
    """Write the plan as the plan-structure workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_META
    _meta_sheet(ws, doc)
    _tree_sheet(wb.create_sheet(SHEET_TREE), doc)
    _links_sheet(wb.create_sheet(SHEET_LINKS), doc)
    _units_sheet(wb.create_sheet(SHEET_UNITS), doc)
    _indicator_sheet(wb.create_sheet(SHEET_INDICATORS), doc)
    with written_in_place(Path(path)) as staged:
        wb.save(staged.tmp)
