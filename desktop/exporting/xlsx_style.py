"""Styles, page set-up and row writing for the return workbook: the look of a Chinese statistical form.

The return is written in openpyxl's write-only mode, so its memory stays
flat however long the ledger is: every sheet is a stream of rows, written
once, top to bottom. Its page set-up, column widths and frozen panes go
first (`page_setup`, `set_widths`), then the rows (`Rows`); merged ranges
are listed as they come and written with the sheet's tail.

A small table — a form whose task cells are merged down over their
indicators, whose row heights depend on the merges — is laid out first in a
`Grid` and streamed from it; the ledger streams one row at a time.

Cells are styled through named styles (one assignment per cell).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from functools import lru_cache
from math import ceil
from typing import Any
from unicodedata import east_asian_width

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.borders import DEFAULT_BORDER
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.properties import PageSetupProperties

from desktop.exporting.cells import put_value

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INT = "#,##0"
DEC = "#,##0.0"
PCT = "0.0%"
DATE = "yyyy-mm-dd"
PAPER_A4 = 9


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
_BORDERS = {st.name: st.border for st in STYLES}


def add_styles(wb: Workbook) -> None:
    for st in STYLES:
        wb.add_named_style(st)


_NUMBER_STYLES = {(False, True): "k_int", (False, False): "k_dec"}
_NUMBER_STYLES |= {(True, True): "k_sub_int", (True, False): "k_sub_dec"}


def number_style(value: float | None, sub: bool = False) -> str:
    """#,##0 for whole numbers (人次, 个, 次), one decimal otherwise."""
    return _NUMBER_STYLES[sub, value is None or float(value).is_integer()]


class _StreamedSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are always lists of ready cells (or None).

    openpyxl's own write-only sheet first tries every item of a row as a
    plain value, and a styled cell fails that try with an exception whose
    message spells the cell out; over a ledger of 240,000 rows × 20 cells
    that try costs more than writing the cells. Rows here hold nothing but
    cells, so they go to the writer as they are.
    """

    def _values_to_row(self, values: Iterable[Cell | None], row_idx: int):
        for col_idx, cell in enumerate(values, 1):
            if cell is None:
                continue
            cell.column = col_idx
            cell.row = row_idx
            yield cell


def streamed_sheet(wb: Workbook, title: str) -> WriteOnlyWorksheet:
    """A new write-only sheet at the end of `wb` (a `Workbook(write_only=True)`)."""
    if not hasattr(WriteOnlyWorksheet, "_values_to_row"):  # a future openpyxl: its own path
        return wb.create_sheet(title)
    ws = _StreamedSheet(parent=wb, title=title)
    wb._add_sheet(ws)
    return ws


def set_widths(ws: WriteOnlyWorksheet, widths: Sequence[float]) -> None:
    """Column widths; before the sheet's first row."""
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def page_setup(
    ws: WriteOnlyWorksheet, header_rows: str, freeze: str, landscape: bool = True
) -> None:
    """A4, fit to one page wide, repeated header rows, page numbers in the footer.

    The frozen panes go to the top of the sheet, so this comes before its first row.
    """
    ws.page_setup.paperSize = PAPER_A4
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


_NOTHING = object()


class RowCell(Cell):
    """A styled cell of a streamed sheet, which may be filled again for every row.

    openpyxl looks a cell's style up in the workbook (hashing it) every time
    it writes the cell; a row cell remembers the answer while its style stays
    as it was, which matters when the same cells are written for each row of
    a long ledger. It registers a copy of its style, so a later change (the
    quote prefix put_value gives formula-like text) never alters the style
    the workbook holds for the cells written before.
    """

    __slots__ = ("_known", "_known_id", "_held")

    def __init__(self, ws: WriteOnlyWorksheet, style: str, font: Font | None = None) -> None:
        super().__init__(ws, row=1, column=1)
        self.style = style
        if font is not None:
            self.font = font
        self._known: StyleArray | None = None
        self._known_id = 0
        self._held: object = _NOTHING

    def hold(self, value: Any) -> RowCell:
        """Hold `value` (cells.put_value), unless the cell holds it already from an earlier row."""
        held = self._held
        if type(value) is not type(held) or value != held:
            put_value(self, value)
            self._held = value
        return self

    @property
    def style_id(self) -> int:
        style = self._style
        if style != self._known:
            self._known = StyleArray(style)
            self._known_id = self.parent.parent._cell_styles.add(StyleArray(style))
        return self._known_id


class _Height(RowDimension):
    """A row height shared by every row that needs it; its attributes worked out once."""

    def __init__(self, ws: WriteOnlyWorksheet, height: float) -> None:
        super().__init__(ws, ht=height)
        self._attrs = list(super().__iter__())

    def __iter__(self):
        return iter(self._attrs)


class Rows:
    """The rows of a write-only sheet, written in order from row 1."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self.next = 1  # the number the next row gets
        self._heights: dict[float, _Height] = {}

    def cell(self, value: Any, style: str, font: Font | None = None) -> RowCell:
        """A styled cell holding `value` (cells.put_value: text stays text)."""
        return put_value(RowCell(self.ws, style, font), value)

    def append(self, cells: Sequence[Cell | None], height: float | None = None) -> None:
        """Write the next row; the cells are written before this returns, so they may be reused."""
        if height is None:
            self.ws.append(cells)
        else:
            # A row's height is read from row_dimensions while the row is written;
            # one dimension per height, dropped once written, keeps memory flat.
            dims = self.ws.row_dimensions
            dim = self._heights.get(height)
            if dim is None:
                dim = self._heights[height] = _Height(self.ws, height)
            dims[self.next] = dim
            try:
                self.ws.append(cells)
            finally:
                del dims[self.next]
        self.next += 1

    def skip_to(self, row: int) -> None:
        """Leave rows empty up to `row`."""
        while self.next < row:
            self.append([])

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.ws.merged_cells.add(
            CellRange(min_row=first_row, min_col=first_col, max_row=last_row, max_col=last_col)
        )


def covered_borders(
    start: Border, first_row: int, first_col: int, last_row: int, last_col: int
) -> dict[tuple[int, int], Border]:
    """The borders of the cells a merged range covers, as openpyxl gives them.

    Each covered cell on an edge of the range takes that edge's side from
    the range's first cell (a cell covered in the middle has none), so the
    merged box is drawn whole by every office suite.
    """
    edges = {
        "top": [(first_row, c) for c in range(first_col, last_col + 1)],
        "left": [(r, first_col) for r in range(first_row, last_row + 1)],
        "right": [(r, last_col) for r in range(first_row, last_row + 1)],
        "bottom": [(last_row, c) for c in range(first_col, last_col + 1)],
    }
    out: dict[tuple[int, int], Border] = {}
    for name, coords in edges.items():
        side = getattr(start, name)
        if side is None or side.style is None:
            continue
        edge = Border(**{name: side})
        for coord in coords:
            if coord != (first_row, first_col):
                out[coord] = out.get(coord, DEFAULT_BORDER) + edge
    return out


class Grid:
    """A small table laid out cell by cell, then streamed in row order.

    For the forms whose layout is decided after their cells (task cells
    merged down over their indicators, row heights from merged widths); its
    size is that of the plan, never that of the ledger.
    """

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], tuple[Any, str, Font | None]] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.heights: dict[int, float] = {}

    def put(self, row: int, col: int, value: Any, style: str, font: Font | None = None) -> None:
        self.cells[(row, col)] = (value, style, font)

    def value(self, row: int, col: int) -> Any:
        got = self.cells.get((row, col))
        return None if got is None else got[0]

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.merges.append((first_row, first_col, last_row, last_col))

    def height(self, row: int, height: float) -> None:
        self.heights[row] = height

    def note(self, row: int, width: int, text: str) -> None:
        """An information line across the table's whole width (a sheet's 说明, a part's caption)."""
        self.merge(row, 1, row, width)
        self.put(row, 1, text, "k_info")

    def header_row(self, row: int, headers: list[str], widths: list[float]) -> None:
        """Bold shaded headers, the row as tall as the longest wrapped header needs."""
        for col, text in enumerate(headers, start=1):
            self.put(row, col, text, "k_head")
        lines = max(text_lines(text, width) for text, width in zip(headers, widths, strict=True))
        self.heights[row] = max(lines * LINE_HEIGHT + 6, 24)

    def title_block(self, title: str, left: str, right: str, width: int) -> int:
        """Merged title row and one information line; returns the next free row."""
        self.merge(1, 1, 1, width)
        self.put(1, 1, title, "k_title")
        self.heights[1] = 32
        half = max(1, width // 2)
        self.merge(2, 1, 2, half)
        self.put(2, 1, left, "k_info")
        self.merge(2, half + 1, 2, width)
        self.put(2, half + 1, right, "k_info_right")
        return 3

    def fit_rows(self, first: int, last: int, widths: list[float]) -> None:
        """Row heights for the table, merged cells included.

        A cell merged across columns wraps in their summed width; one merged
        down several rows may spread its lines over them, any shortfall going
        to its last row.
        """
        spans = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in self.merges}
        covered = self._covered()
        heights: dict[int, float] = {}
        tall: list[tuple[int, int, float]] = []
        for r in range(first, last + 1):
            need = 1
            for c in range(1, len(widths) + 1):
                if (r, c) in covered:
                    continue
                r1, c1 = spans.get((r, c), (r, c))
                width = sum(widths[c - 1 : c1])
                lines = text_lines(self.value(r, c), width)
                if r1 > r:
                    tall.append((r, r1, lines * LINE_HEIGHT + 4))
                else:
                    need = max(need, lines)
            heights[r] = max(need * LINE_HEIGHT + 4, 18.0)
        for r0, r1, needed in tall:
            have = sum(heights[r] for r in range(r0, r1 + 1))
            if have < needed:
                heights[r1] += needed - have
        self.heights.update(heights)

    def stream_into(
        self,
        ws: WriteOnlyWorksheet,
        fit: tuple[int, int],
        widths: list[float],
        header_rows: str,
        freeze: str,
        landscape: bool = True,
    ) -> None:
        """Finish a small sheet: fit the rows `fit` spans, set widths and print setup, stream it.

        Write-only sheets take their widths and panes before the first row,
        so this order is the only one that works.
        """
        self.fit_rows(*fit, widths)
        set_widths(ws, widths)
        page_setup(ws, header_rows, freeze, landscape)
        self.write(Rows(ws))

    def _covered(self) -> set[tuple[int, int]]:
        return {
            (r, c)
            for r0, c0, r1, c1 in self.merges
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
            if (r, c) != (r0, c0)
        }

    def write(self, rows: Rows) -> None:
        """Stream the table into `rows`, from its first row on (rows before it left empty)."""
        covered = self._covered()
        borders: dict[tuple[int, int], Border] = {}
        for r0, c0, r1, c1 in self.merges:
            start = self.cells.get((r0, c0))
            if start is not None:
                borders.update(covered_borders(_BORDERS[start[1]], r0, c0, r1, c1))
            rows.merge(r0, c0, r1, c1)
        used = set(self.cells) | set(borders) | {(r, 1) for r in self.heights}
        if not used:
            return
        first = min(r for r, _ in used)
        last = max(r for r, _ in used)
        width = max(c for _, c in used)
        rows.skip_to(first)
        for r in range(first, last + 1):
            line: list[Cell | None] = []
            for c in range(1, width + 1):
                if (r, c) in covered:
                    border = borders.get((r, c))
                    if border is None:
                        line.append(None)
                    else:
                        cell = WriteOnlyCell(rows.ws)
                        cell.border = border
                        line.append(cell)
                    continue
                got = self.cells.get((r, c))
                line.append(None if got is None else rows.cell(*got))
            while line and line[-1] is None:
                line.pop()
            rows.append(line, self.heights.get(r))


LINE_HEIGHT = 14.0


class _Widths(dict):
    """Display width of each character met so far: a Chinese character takes two."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if east_asian_width(ch) in ("W", "F") else 1
        return width


_WIDTHS = _Widths()


def text_width(text: str) -> int:
    """Width in Excel character units: a Chinese character takes two."""
    if text.isascii():
        return len(text)
    return sum(map(_WIDTHS.__getitem__, text))


@lru_cache(maxsize=8192)  # a ledger repeats its task, group and unit lists row after row
def text_lines(text: object, width: float) -> int:
    """Lines a wrapped cell needs in a column `width` characters wide."""
    if text is None or text == "":
        return 1
    usable = max(width - 1.5, 1.0)
    text = str(text)
    if 2 * len(text) <= usable and "\n" not in text:  # one line even if every character is wide
        return 1
    return sum(max(1, ceil(text_width(part) / usable)) for part in text.split("\n"))


def row_height(cells: Iterable[tuple[str, float]]) -> float | None:
    """The height a row of texts needs for its tallest wrapped one (Excel won't set it on its own)."""
    lines = 1
    for text, width in cells:
        if 2 * len(text) > width - 1.5 or "\n" in text:  # else it fits on one line
            lines = max(lines, text_lines(text, width))
    return lines * LINE_HEIGHT + 4 if lines > 1 else None


def discard(wb: Workbook) -> None:
    """Remove what a write-only workbook that will not be saved has written so far.

    Each sheet streams into a temporary file of its own, removed by `save`;
    after a cancel or a failure nothing else would remove them before the
    program exits.
    """
    for ws in wb.worksheets:
        with suppress(Exception):
            if not ws.closed:
                ws.close()
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            with suppress(OSError, ValueError):
                writer.cleanup()
