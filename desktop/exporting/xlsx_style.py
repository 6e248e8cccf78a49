"""Styles and page set-up for the return workbook: the look of a Chinese statistical form.

Cells are styled through named styles (one assignment per cell), which keeps
a sheet of tens of thousands of ledger rows quick to write.
"""

from __future__ import annotations

from math import ceil
from typing import Any
from unicodedata import east_asian_width

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from desktop.exporting.cells import put_value

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INT = "#,##0"
DEC = "#,##0.0"
PCT = "0.0%"
DATE = "yyyy-mm-dd"


def _style(
    name: str,
    *,
    size: float = 10.5,
    bold: bool = False,
    horizontal: str = "left",
    wrap: bool = True,
    border: bool = True,
    number_format: str = "General",
    fill: str | None = None,
) -> NamedStyle:
    st = NamedStyle(name=name)
    st.font = Font(name=FONT, size=size, bold=bold)
    st.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
    if border:
        st.border = BOX
    st.number_format = number_format
    if fill:
        st.fill = PatternFill("solid", fgColor=fill)
    return st


STYLES = [
    _style("k_title", size=18, bold=True, horizontal="center", wrap=False, border=False),
    _style("k_info", size=10.5, wrap=False, border=False),
    _style("k_info_right", size=10.5, horizontal="right", wrap=False, border=False),
    _style("k_head", bold=True, horizontal="center", fill="F2F2F2"),
    _style("k_text"),
    _style("k_center", horizontal="center"),
    _style("k_int", horizontal="right", number_format=INT),
    _style("k_dec", horizontal="right", number_format=DEC),
    _style("k_pct", horizontal="right", number_format=PCT),
    _style("k_date", horizontal="center", number_format=DATE),
    _style("k_section", bold=True, horizontal="center"),
    _style("k_sub_text", bold=True, fill="FAFAFA"),
    _style("k_sub_int", bold=True, horizontal="right", number_format=INT, fill="FAFAFA"),
    _style("k_sub_dec", bold=True, horizontal="right", number_format=DEC, fill="FAFAFA"),
    _style("k_sub_pct", bold=True, horizontal="right", number_format=PCT, fill="FAFAFA"),
]


def add_styles(wb: Workbook) -> None:
    for st in STYLES:
        wb.add_named_style(st)


def put(ws: Worksheet, row: int, col: int, value: Any, style: str) -> None:
    """Write one styled cell (cells.put_value: text stays text)."""
    cell = ws.cell(row=row, column=col)
    cell.style = style
    put_value(cell, value)


def number_style(value: float | None, sub: bool = False) -> str:
    """#,##0 for whole numbers (人次, 个, 次), one decimal otherwise."""
    prefix = "k_sub_" if sub else "k_"
    if value is None or float(value).is_integer():
        return prefix + "int"
    return prefix + "dec"


def title_block(ws: Worksheet, title: str, left: str, right: str, width: int) -> int:
    """Merged title row and one information line; returns the next free row."""
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    put(ws, 1, 1, title, "k_title")
    ws.row_dimensions[1].height = 32
    half = max(1, width // 2)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=half)
    put(ws, 2, 1, left, "k_info")
    ws.merge_cells(start_row=2, start_column=half + 1, end_row=2, end_column=width)
    put(ws, 2, half + 1, right, "k_info_right")
    return 3


def header_row(ws: Worksheet, row: int, headers: list[str], widths: list[float]) -> None:
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        put(ws, row, col, text, "k_head")
        ws.column_dimensions[_letter(col)].width = width
    lines = max(text_lines(text, width) for text, width in zip(headers, widths, strict=True))
    ws.row_dimensions[row].height = max(lines * LINE_HEIGHT + 6, 24)


def _letter(col: int) -> str:
    return get_column_letter(col)


def page_setup(ws: Worksheet, header_rows: str, freeze: str, landscape: bool = True) -> None:
    """A4, fit to one page wide, repeated header rows, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.footer = 0.3
    ws.print_title_rows = header_rows
    ws.freeze_panes = freeze
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = FONT
    ws.oddFooter.center.size = 9


LINE_HEIGHT = 14.0


def text_width(text: str) -> int:
    """Width in Excel character units: a Chinese character takes two."""
    return sum(2 if east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def text_lines(text: object, width: float) -> int:
    """Lines a wrapped cell needs in a column `width` characters wide."""
    if text is None or text == "":
        return 1
    usable = max(width - 1.5, 1.0)
    return sum(max(1, ceil(text_width(part) / usable)) for part in str(text).split("\n"))


def fit_row(ws: Worksheet, row: int, cells: list[tuple[object, float]]) -> None:
    """Give a row the height its tallest wrapped cell needs (Excel won't on its own)."""
    lines = max((text_lines(text, width) for text, width in cells), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = lines * LINE_HEIGHT + 4


def fit_rows(ws: Worksheet, first: int, last: int, widths: list[float]) -> None:
    """Row heights for a small table, merged cells included.

    A cell merged across columns wraps in their summed width; one merged
    down several rows may spread its lines over them, any shortfall going
    to its last row.
    """
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_row, rng.max_col)
    covered = {
        (r, c)
        for (r0, c0), (r1, c1) in spans.items()
        for r in range(r0, r1 + 1)
        for c in range(c0, c1 + 1)
        if (r, c) != (r0, c0)
    }
    heights: dict[int, float] = {}
    tall: list[tuple[int, int, float]] = []
    for r in range(first, last + 1):
        need = 1
        for c in range(1, len(widths) + 1):
            if (r, c) in covered:
                continue
            r1, c1 = spans.get((r, c), (r, c))
            width = sum(widths[c - 1 : c1])
            lines = text_lines(ws.cell(r, c).value, width)
            if r1 > r:
                tall.append((r, r1, lines * LINE_HEIGHT + 4))
            else:
                need = max(need, lines)
        heights[r] = max(need * LINE_HEIGHT + 4, 18.0)
    for r0, r1, needed in tall:
        have = sum(heights[r] for r in range(r0, r1 + 1))
        if have < needed:
            heights[r1] += needed - have
    for r, h in heights.items():
        ws.row_dimensions[r].height = h
