"""What an OpenDocument spreadsheet (.ods) holds that the cell reader does not tell.

python-calamine reads an .ods whole when it is opened — every sheet as a
dense grid — shows formula cells as their cached results, and does not
report merged cells. One streaming pass of expat over content.xml (a DTD
or entity declaration refused, as defusedxml would) gives, for every sheet, what the import needs before that:
the extent of the cells that hold something (a cell repeated across
sixteen thousand columns is sixteen thousand cells), the formula cells —
written back as Excel shows them (of:=SUM([.I4:.I9]) becomes =SUM(I4:I9)) so
the message is the one an .xlsx gets — the merged ranges, and the literal
digits of a number too large for a float.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

from desktop.importing.workbook_file import Cells, column_letter

# Names as expat gives them with "}" between namespace and local name.
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_ROW = f"{_TABLE}table-row"
_SHEET = f"{_TABLE}table"
_NAMESPACE_PREFIX = re.compile(r"^[A-Za-z]+:(?==)")
_BRACKETED = re.compile(r"\[([^\]]*)\]")
_FLOAT_DIGITS = 308
_ROWS_AT_MOST = 10_000_000  # past the sheet limit either way; stops a repeat count from looping


def excel_formula(text: str) -> str:
    """An ODF formula (of:=SUM([.I4:.I9]); [$活动.A1]) in the form Excel shows (=SUM(I4:I9))."""

    def reference(match: re.Match[str]) -> str:
        parts = []
        for part in match[1].split(":"):
            sheet, _, cell = part.rpartition(".")
            sheet = sheet.lstrip("$").strip("'")
            parts.append(f"{sheet}!{cell}" if sheet else cell)
        return ":".join(parts)

    body = _NAMESPACE_PREFIX.sub("", text, count=1)
    return _BRACKETED.sub(reference, body).replace(";", ",")


def _count(text: str | None) -> int:
    """A repeat or span count; missing or unreadable is one."""
    if text is None:
        return 1
    try:
        return max(1, int(text))
    except ValueError:
        return 1


_VALUE = f"{_OFFICE}value"
_VALUE_TYPE = f"{_OFFICE}value-type"
_FORMULA = f"{_TABLE}formula"
_NAME = f"{_TABLE}name"
_COLUMNS_REPEATED = f"{_TABLE}number-columns-repeated"
_ROWS_REPEATED = f"{_TABLE}number-rows-repeated"
_COLUMNS_SPANNED = f"{_TABLE}number-columns-spanned"
_ROWS_SPANNED = f"{_TABLE}number-rows-spanned"


class _Walk:
    """The expat handlers: one pass, no tree kept (ElementTree's took twice as long)."""

    def __init__(self) -> None:
        self.sheets: dict[str, Cells] = {}
        self.found = Cells(merges=[])
        self.row = self.column = 0
        self.row_cells: list[tuple[int, int, str | None, str | None]] = []
        self.cell: dict[str, str] | None = None
        self.filled = False
        self.row_repeat = 1

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.cell is not None:
            self.filled = True  # a paragraph, a link, a note: the cell holds something
        elif tag in _CELLS:
            self.cell = attrs
            self.filled = _VALUE_TYPE in attrs or _FORMULA in attrs
            if tag == _CELLS[0] and (_COLUMNS_SPANNED in attrs or _ROWS_SPANNED in attrs):
                self._merge(attrs)
        elif tag == _ROW:
            self.column, self.row_cells = 0, []
            self.row_repeat = _count(attrs.get(_ROWS_REPEATED))
        elif tag == _SHEET:
            self.found = Cells(merges=[])
            self.sheets[attrs.get(_NAME, "")] = self.found
            self.row = 0

    def _merge(self, attrs: dict[str, str]) -> None:
        columns = _count(attrs.get(_COLUMNS_SPANNED))
        rows = _count(attrs.get(_ROWS_SPANNED))
        if columns > 1 or rows > 1:
            row, column = self.row, self.column
            first = f"{column_letter(column + 1)}{row + 1}"
            last = f"{column_letter(column + columns)}{row + rows}"
            self.found.merges.append(  # type: ignore[union-attr]
                (row + 1, row + rows, column + 1, column + columns, f"{first}:{last}")
            )

    def end(self, tag: str) -> None:
        attrs = self.cell
        if attrs is not None:
            if tag not in _CELLS:
                return
            self.cell = None
            repeat = _count(attrs.get(_COLUMNS_REPEATED))
            if self.filled:
                value = attrs.get(_VALUE) if attrs.get(_VALUE_TYPE) == "float" else None
                self.row_cells.append((self.column, repeat, attrs.get(_FORMULA), value))
            self.column += repeat
        elif tag == _ROW:
            repeat = min(self.row_repeat, _ROWS_AT_MOST)
            if self.row_cells:
                _place(self.found, self.row, repeat, self.row_cells)
            self.row += repeat


def read_sheets(path: Path) -> dict[str, Cells]:
    """Each sheet's walk by name, in the file's order.

    A DTD or an entity declaration is refused (as defusedxml does): no
    spreadsheet needs one, and an entity bomb does.
    """
    from xml.parsers import expat

    walk = _Walk()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def forbidden(*_: object) -> None:
        raise ParseError("DTD or entity declaration in content.xml")

    parser.StartElementHandler = walk.start
    parser.EndElementHandler = walk.end
    parser.StartDoctypeDeclHandler = forbidden
    parser.EntityDeclHandler = forbidden
    parser.UnparsedEntityDeclHandler = forbidden
    parser.ExternalEntityRefHandler = forbidden
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as stream:
        try:
            parser.ParseFile(stream)
        except expat.ExpatError as exc:
            raise ParseError(str(exc)) from exc
    return walk.sheets


def _place(
    found: Cells, row: int, repeat: int, cells: list[tuple[int, int, str | None, str | None]]
) -> None:
    """A row's cells that hold something, as many times as the row is repeated."""
    last = max(column + count for column, count, *_ in cells)
    found.last_row = max(found.last_row, row + repeat)
    found.last_column = max(found.last_column, last)
    for column, count, formula, value in cells:
        huge = value is not None and len(value.strip()) > _FLOAT_DIGITS
        if formula is None and not huge:
            continue
        for r in range(row + 1, row + 1 + min(repeat, _ROWS_AT_MOST)):
            for c in range(column + 1, column + 1 + count):
                if formula is not None:
                    found.formulas[(r, c)] = excel_formula(formula)
                if huge:
                    found.numbers[(r, c)] = value.strip()  # type: ignore[union-attr]
